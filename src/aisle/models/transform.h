// Weight transforms named in model specs ("none", "log1p", ...), the names of data/weighting.h.
#pragma once

#include <cmath>
#include <span>
#include <string_view>
#include <vector>

#include "aisle/data/weighting.h"

namespace aisle {

// The Transform of a name a ParamSchema has already validated.
Transform parse_transform(std::string_view name);

// The per-pair transforms (those that need no corpus statistics).
inline float transform_weight(Transform t, float w) {
  return t == Transform::kLog1p ? std::log1p(w) : w;
}

// Recency weights of a history: 0.5^(r / half_life) for an item whose time is the r-th newest
// distinct time of the history (r = 0 for the newest basket), so the last basket counts fully
// and older ones fade by position, not by clock time (shops differ in visit frequency).
// half_life <= 0 or a history without times gives all ones.
void recency_weights(std::span<const Timestamp> times, float half_life, std::vector<float>& out);

}  // namespace aisle
