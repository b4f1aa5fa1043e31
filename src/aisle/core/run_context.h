// Cross-cutting settings passed explicitly (no globals): the thread budget and the pool that runs
// it, the seed, the progress sink, the cancel flag. The one carrier of these: code that runs on several threads
// takes a RunContext (parallel.h), never a thread count of its own.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "aisle/core/error.h"
#include "aisle/core/progress.h"
#include "aisle/core/thread_pool.h"

namespace aisle {

// The number of threads a thread setting means: 0 or less is one per core.
int resolve_threads(int threads);

// A value: copies share one pool (ownership is shared; the last copy joins its workers), and
// the budget never changes after construction, so the pool always matches it. Cheap to copy.
// Thread safety: const methods may be called from many threads at once, and so may
// parallel_for on one context (the pool takes concurrent calls).
class RunContext {
 public:
  // One thread, seed 42, no progress: everything runs on the calling thread, no pool.
  RunContext() = default;
  // A budget of `threads` (resolve_threads: 0 or less is one per core) with a pool of that many
  // threads when it is above one. The pool's workers start on its first use, not here.
  explicit RunContext(int threads, std::uint64_t seed = 42, Progress* progress = nullptr);

  int threads() const { return threads_; }          // the budget, >= 1
  ThreadPool* pool() const { return pool_.get(); }  // null when the budget is one thread

  std::uint64_t seed = 42;
  Progress* progress = nullptr;  // not owned; may be null
  // Not owned; may be null. Long work calls check_cancelled() between its steps (a fit's
  // iterations, blocks of users): once the flag is true it throws Cancelled there.
  const std::atomic<bool>* cancel = nullptr;

  void check_cancelled() const {
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) throw Cancelled("cancelled: stopping");
  }

 private:
  int threads_ = 1;
  std::shared_ptr<ThreadPool> pool_;
};

}  // namespace aisle
