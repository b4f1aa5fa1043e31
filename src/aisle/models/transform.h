// Weight transforms named in model specs ("none", "log1p", ...), the names of data/weighting.h.
#pragma once

#include <cmath>
#include <string_view>

#include "aisle/data/weighting.h"

namespace aisle {

// The Transform of a name a ParamSchema has already validated.
Transform parse_transform(std::string_view name);

// The per-pair transforms (those that need no corpus statistics).
inline float transform_weight(Transform t, float w) {
  return t == Transform::kLog1p ? std::log1p(w) : w;
}

}  // namespace aisle
