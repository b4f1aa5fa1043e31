// Cross-cutting settings passed explicitly (no globals): thread budget, seed, progress sink.
#pragma once

#include <cstdint>

#include "aisle/core/progress.h"

namespace aisle {

struct RunContext {
  int threads = 1;
  std::uint64_t seed = 42;
  Progress* progress = nullptr;  // not owned; may be null
};

}  // namespace aisle
