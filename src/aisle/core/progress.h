// Progress reporting travels in RunContext; library code calls it, the CLI decides how to show it.
#pragma once

#include <cstdint>
#include <string_view>

namespace aisle {

class Progress {
 public:
  virtual ~Progress() = default;
  // Called from the thread that does the work, at most a few times per second is useful;
  // implementations throttle themselves. `done_bytes`/`total_bytes` may be 0 when unknown.
  virtual void update(std::string_view stage, std::uint64_t rows, std::uint64_t done_bytes,
                      std::uint64_t total_bytes) = 0;
  // A step of an iterative fit (epoch or iteration `done` of `total`); `loss` is NaN when the
  // model has none. Sinks that only show reading progress may ignore it.
  virtual void step(std::string_view /*stage*/, std::uint64_t /*done*/, std::uint64_t /*total*/, double /*loss*/) {}
  virtual void finish() = 0;
};

}  // namespace aisle
