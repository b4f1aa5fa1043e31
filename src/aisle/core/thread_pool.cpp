#include "aisle/core/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <exception>

#include "aisle/core/error.h"

namespace aisle {

namespace {

// Set while the thread runs fn of a parallel_for: nested calls then run inline.
thread_local bool inside_task = false;

class TaskScope {
 public:
  TaskScope() : outer_(inside_task) { inside_task = true; }
  ~TaskScope() { inside_task = outer_; }
  TaskScope(const TaskScope&) = delete;
  TaskScope& operator=(const TaskScope&) = delete;

 private:
  bool outer_;
};

}  // namespace

// One parallel_for call; it lives on the caller's stack until every helper has left it.
struct ThreadPool::Job {
  Job(const ChunkFn& f, std::size_t size, std::size_t chunk, int wanted)
      : fn(f), n(size), grain(chunk), helpers_wanted(wanted) {}

  const ChunkFn& fn;
  const std::size_t n, grain;
  const int helpers_wanted;  // workers besides the caller
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::exception_ptr error;  // the first one; read by the caller once every helper has left
  // Under the pool's mutex_:
  int helpers_joined = 0;   // also the last worker index handed out
  int helpers_running = 0;  // joined and not yet left
  std::condition_variable helpers_left;
};

ThreadPool::ThreadPool(int threads) : size_(threads) {
  AISLE_CHECK_MSG(threads >= 1, "a thread pool needs at least one thread");
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    AISLE_CHECK_MSG(open_.empty(), "a thread pool destroyed during a parallel_for");
    stop_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
}

bool ThreadPool::in_task() {
  return inside_task;
}

void ThreadPool::start_workers() {
  if (!workers_.empty()) return;
  workers_.reserve(static_cast<std::size_t>(size_ - 1));
  for (int w = 1; w < size_; ++w) workers_.emplace_back([this] { work(); });
}

void ThreadPool::run_chunks(Job& job, int worker) {
  const TaskScope scope;
  try {
    while (!job.failed.load(std::memory_order_relaxed)) {
      const std::size_t begin = job.next.fetch_add(job.grain, std::memory_order_relaxed);
      if (begin >= job.n) return;
      job.fn(begin, std::min(job.n, begin + job.grain), worker);
    }
  } catch (...) {
    job.failed = true;
    std::lock_guard lock(job.error_mutex);
    if (!job.error) job.error = std::current_exception();
  }
}

void ThreadPool::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || !open_.empty(); });
    if (open_.empty()) return;  // stopping, and no call left to help
    Job& job = *open_.front();
    const int worker = ++job.helpers_joined;
    if (job.helpers_joined == job.helpers_wanted) open_.pop_front();
    ++job.helpers_running;
    lock.unlock();
    run_chunks(job, worker);
    lock.lock();
    // Notified with the lock held: the caller cannot wake, return and destroy the Job before
    // this thread has let go of it.
    if (--job.helpers_running == 0) job.helpers_left.notify_one();
  }
}

void ThreadPool::parallel_for(std::size_t n, int threads, std::size_t grain, const ChunkFn& fn) {
  if (n == 0) return;
  grain = std::max<std::size_t>(grain, 1);
  const std::size_t chunks = (n - 1) / grain + 1;
  const auto bound = static_cast<std::size_t>(std::clamp(threads, 1, size_));
  const int participants = static_cast<int>(std::min(bound, chunks));
  if (participants <= 1 || in_task()) {
    const TaskScope scope;
    fn(0, n, 0);
    return;
  }
  Job job(fn, n, grain, participants - 1);
  {
    std::lock_guard lock(mutex_);
    start_workers();
    open_.push_back(&job);
  }
  for (int h = 0; h < job.helpers_wanted; ++h) wake_.notify_one();
  run_chunks(job, 0);
  {
    std::unique_lock lock(mutex_);
    // Every chunk is handed out (or the call failed): no helper may join from here on.
    const auto open = std::find(open_.begin(), open_.end(), &job);
    if (open != open_.end()) open_.erase(open);
    job.helpers_left.wait(lock, [&] { return job.helpers_running == 0; });
  }
  if (job.error) std::rethrow_exception(job.error);
}

}  // namespace aisle
