// The threads aisle computes on: a fixed set of workers, started once and kept for the pool's
// life, that parallel_for calls borrow. A RunContext owns one (run_context.h); code reaches it
// through parallel_for(run, ...) in parallel.h.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace aisle {

class ThreadPool {
 public:
  // fn(begin, end, worker): one chunk of indices, on the thread numbered `worker`.
  using ChunkFn = std::function<void(std::size_t begin, std::size_t end, int worker)>;

  // A pool for `threads` threads in all (>= 1): the caller of each parallel_for and threads - 1
  // workers. The workers start on the first parallel_for that can use them, never again after.
  explicit ThreadPool(int threads);
  // Joins the workers. No parallel_for may be running on the pool (its owner outlives them).
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return size_; }

  // Calls fn over [0, n) in chunks of `grain` indices (0 counts as 1), handed out dynamically, on
  // at most min(threads, size()) threads: the calling thread is worker 0, and workers of the pool
  // that are free join it as 1, 2, ... (each index below that bound at most once per call, so
  // callers may keep scratch per worker). The first exception thrown by fn is rethrown here after
  // every thread has left the call; chunks not yet started are then skipped.
  //
  // Thread safety: any number of threads may call it at once. A call never waits for a worker
  // to become free: when the pool is busy with other calls, the caller runs the chunks alone.
  // A call from inside fn (of any pool's parallel_for) runs inline, fn(0, n, 0) on the calling
  // thread, so nesting cannot deadlock or oversubscribe.
  void parallel_for(std::size_t n, int threads, std::size_t grain, const ChunkFn& fn);

  // Whether the calling thread is inside fn of a parallel_for (of any pool).
  static bool in_task();

 private:
  struct Job;
  void start_workers();  // once, with mutex_ held
  void work();           // a worker's loop
  static void run_chunks(Job& job, int worker);

  const int size_;
  std::mutex mutex_;  // guards everything below and the Job bookkeeping fields it names
  std::condition_variable wake_;
  std::deque<Job*> open_;  // calls that still take helpers, oldest first
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace aisle
