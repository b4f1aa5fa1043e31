#include "aisle/core/run_context.h"

#include <algorithm>
#include <thread>

namespace aisle {

int resolve_threads(int threads) {
  if (threads > 0) return threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

RunContext::RunContext(int threads, std::uint64_t seed_value, Progress* progress_sink)
    : seed(seed_value), progress(progress_sink), threads_(resolve_threads(threads)) {
  if (threads_ > 1) pool_ = std::make_shared<ThreadPool>(threads_);
}

}  // namespace aisle
