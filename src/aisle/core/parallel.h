// The one way aisle runs work on several threads: parallel_for over an index range, split in
// chunks handed out dynamically. Callers write to disjoint outputs per index, so results do not
// depend on the number of threads unless the caller says otherwise (e.g. Hogwild SGD).
#pragma once

#include <cstddef>
#include <functional>

namespace aisle {

// Calls fn(begin, end, worker) over [0, n) in chunks of `grain` indices on `threads` threads
// (the caller's thread is worker 0; threads <= 1 runs inline). The first exception thrown by fn
// is rethrown here after all workers stop; remaining chunks are then skipped.
void parallel_for(std::size_t n, int threads, std::size_t grain,
                  const std::function<void(std::size_t begin, std::size_t end, int worker)>& fn);

// The number of threads a RunContext value means: 0 or less is one per core.
int resolve_threads(int threads);

}  // namespace aisle
