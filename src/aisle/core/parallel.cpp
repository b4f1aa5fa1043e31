#include "aisle/core/parallel.h"

namespace aisle {

void parallel_for(const RunContext& run, std::size_t n, std::size_t grain,
                  const std::function<void(std::size_t, std::size_t, int)>& fn) {
  if (n == 0) return;
  if (ThreadPool* pool = run.pool()) {
    pool->parallel_for(n, run.threads(), grain, fn);
  } else {
    fn(0, n, 0);
  }
}

}  // namespace aisle
