// The one way aisle runs work on several threads: parallel_for over an index range, split in
// chunks handed out dynamically, on the persistent pool of a RunContext (no thread is started
// per call). Callers write to disjoint outputs per index, so results do not depend on the number
// of threads unless the caller says otherwise (e.g. Hogwild SGD).
#pragma once

#include <cstddef>
#include <functional>

#include "aisle/core/run_context.h"

namespace aisle {

// Calls fn(begin, end, worker) over [0, n) in chunks of `grain` indices on at most
// run.threads() threads, worker in [0, run.threads()): the caller's thread is worker 0, the
// run's pool supplies the others (ThreadPool::parallel_for states the contract: a busy pool
// leaves the caller to run the chunks alone, nested calls run inline). A budget of one runs
// fn(0, n, 0) inline. The first exception thrown by fn is rethrown here after all workers stop;
// remaining chunks are then skipped. Safe to call from many threads with one RunContext.
void parallel_for(const RunContext& run, std::size_t n, std::size_t grain,
                  const std::function<void(std::size_t begin, std::size_t end, int worker)>& fn);

}  // namespace aisle
