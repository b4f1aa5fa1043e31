// Progress on a terminal: one line on stderr, rewritten at most ~8 times a second, with rows,
// rows/s and bytes, or for a fit its step, loss, elapsed time and ETA. Prints nothing when stderr is not a terminal.
#pragma once

#include <chrono>
#include <string>

#include "aisle/core/progress.h"

namespace aisle::cli {

class ProgressBar final : public Progress {
 public:
  ProgressBar();
  void update(std::string_view stage, std::uint64_t rows, std::uint64_t done_bytes, std::uint64_t total_bytes) override;
  // "als iteration 3/15  loss 0.1234  elapsed 2.1 s  ETA 10.5 s"
  void step(std::string_view stage, std::uint64_t done, std::uint64_t total, double loss) override;
  void finish() override;
  bool enabled() const { return enabled_; }

 private:
  bool enabled_;
  bool drawn_ = false;
  std::string stage_;
  std::chrono::steady_clock::time_point start_, last_;
};

std::string human_bytes(std::uint64_t bytes);
std::string with_commas(std::uint64_t n);

}  // namespace aisle::cli
