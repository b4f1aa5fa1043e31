// The persistent pool behind parallel_for: results equal a serial loop, errors propagate, many
// callers share one pool, nested calls and a busy pool cannot deadlock, and no call starts a
// thread. Run under ThreadSanitizer by `make test-tsan`.
#include "aisle/core/thread_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "aisle/core/parallel.h"
#include "aisle/core/run_context.h"

namespace aisle {
namespace {

std::vector<std::size_t> serial_squares(std::size_t n) {
  std::vector<std::size_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = i * i;
  return out;
}

// i * i for every index through the pool; an index visited twice or a worker out of range
// spoils the result.
std::vector<std::size_t> pool_squares(ThreadPool& pool, std::size_t n, int threads, std::size_t grain) {
  std::vector<std::size_t> out(n, 0);
  const int bound = std::clamp(threads, 1, pool.size());
  pool.parallel_for(n, threads, grain, [&](std::size_t begin, std::size_t end, int worker) {
    for (std::size_t i = begin; i < end; ++i) out[i] += worker >= 0 && worker < bound ? i * i : 1;
  });
  return out;
}

// Counts the threads that run a task, each once, even when the system reuses a thread id.
class ThreadCounter {
 public:
  ThreadCounter() : generation_(next_generation_++) {}
  void note() {
    if (seen_in_ == generation_) return;
    seen_in_ = generation_;
    ++count_;
  }
  int count() const { return count_.load(); }

 private:
  static inline std::atomic<int> next_generation_{0};
  static inline thread_local int seen_in_ = -1;
  const int generation_;
  std::atomic<int> count_{0};
};

TEST(ThreadPool, ResultsEqualASerialLoop) {
  ThreadPool pool(4);
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{1000}, std::size_t{4097}}) {
    for (int threads : {-1, 0, 1, 2, 4, 9}) {
      for (std::size_t grain : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{64}, std::size_t{5000}}) {
        EXPECT_EQ(pool_squares(pool, n, threads, grain), serial_squares(n))
            << "n " << n << " threads " << threads << " grain " << grain;
      }
    }
  }
}

TEST(ThreadPool, ACallUsesAtMostTheThreadsItAsksFor) {
  ThreadPool pool(4);
  for (int threads : {1, 2, 3}) {
    std::mutex m;
    std::set<std::thread::id> ran_on;
    std::atomic<int> max_worker{0};
    pool.parallel_for(2000, threads, 1, [&](std::size_t, std::size_t, int worker) {
      int seen = max_worker.load();
      while (worker > seen && !max_worker.compare_exchange_weak(seen, worker)) {}
      const std::lock_guard lock(m);
      ran_on.insert(std::this_thread::get_id());
    });
    EXPECT_LT(max_worker.load(), threads);
    EXPECT_LE(static_cast<int>(ran_on.size()), threads);
  }
}

TEST(ThreadPool, TheFirstExceptionIsRethrownAfterAllStop) {
  ThreadPool pool(3);
  for (std::size_t bad : {std::size_t{0}, std::size_t{333}, std::size_t{999}}) {
    std::atomic<int> running{0};  // threads inside fn
    EXPECT_THROW(pool.parallel_for(1000, 3, 10,
                                   [&](std::size_t begin, std::size_t end, int) {
                                     ++running;
                                     for (std::size_t i = begin; i < end; ++i) {
                                       if (i == bad) {
                                         --running;
                                         throw std::runtime_error("bad index");
                                       }
                                     }
                                     --running;
                                   }),
                 std::runtime_error);
    EXPECT_EQ(running.load(), 0) << "bad index " << bad;
    EXPECT_EQ(pool_squares(pool, 500, 3, 7), serial_squares(500)) << "the pool works after an error";
  }
  EXPECT_THROW(pool.parallel_for(5, 1, 1, [](std::size_t, std::size_t, int) { throw std::logic_error("inline"); }),
               std::logic_error);
}

TEST(ThreadPool, ConcurrentCallersOnOnePoolAllFinishWithTheirOwnResults) {
  ThreadPool pool(3);
  constexpr int kCallers = 4;
  std::vector<int> wrong(kCallers, 0);
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&, c] {
      for (int round = 0; round < 40; ++round) {
        const auto n = static_cast<std::size_t>(1 + (round * 37 + c * 11) % 600);
        const int threads = 1 + (c + round) % 4;
        const auto grain = static_cast<std::size_t>(1 + round % 16);
        wrong[static_cast<std::size_t>(c)] += pool_squares(pool, n, threads, grain) != serial_squares(n);
      }
    });
  }
  for (std::thread& t : callers) t.join();
  for (int c = 0; c < kCallers; ++c) EXPECT_EQ(wrong[static_cast<std::size_t>(c)], 0) << "caller " << c;
}

TEST(ThreadPool, NestedCallsRunInlineAndFinish) {
  ThreadPool pool(3), other(2);
  constexpr std::size_t kOuter = 12, kInner = 300;
  std::vector<std::size_t> sums(kOuter, 0);
  std::vector<int> elsewhere(kOuter, 0);
  pool.parallel_for(kOuter, 3, 1, [&](std::size_t begin, std::size_t end, int) {
    EXPECT_TRUE(ThreadPool::in_task());
    for (std::size_t o = begin; o < end; ++o) {
      const std::thread::id outer = std::this_thread::get_id();
      ThreadPool& inner_pool = o % 2 == 0 ? pool : other;  // the same pool or another: both inline
      inner_pool.parallel_for(kInner, 3, 7, [&](std::size_t ib, std::size_t ie, int worker) {
        elsewhere[o] += std::this_thread::get_id() != outer || worker != 0;
        for (std::size_t i = ib; i < ie; ++i) sums[o] += i;
      });
    }
  });
  EXPECT_FALSE(ThreadPool::in_task());
  for (std::size_t o = 0; o < kOuter; ++o) {
    EXPECT_EQ(sums[o], kInner * (kInner - 1) / 2) << "outer index " << o;
    EXPECT_EQ(elsewhere[o], 0) << "outer index " << o;
  }
}

TEST(ThreadPool, ACallerFinishesAloneWhileThePoolIsBusy) {
  ThreadPool pool(3);
  std::atomic<int> inside{0};
  std::atomic<bool> release{false};
  // One call holds every thread of the pool (its caller and both workers) until released.
  std::thread holder([&] {
    pool.parallel_for(3, 3, 1, [&](std::size_t, std::size_t, int) {
      ++inside;
      while (!release.load()) std::this_thread::yield();
    });
  });
  while (inside.load() < 3) std::this_thread::yield();
  std::atomic<int> elsewhere{0};
  const std::thread::id self = std::this_thread::get_id();
  std::vector<std::size_t> out(200, 0);
  pool.parallel_for(out.size(), 3, 1, [&](std::size_t begin, std::size_t end, int) {
    elsewhere += std::this_thread::get_id() != self;
    for (std::size_t i = begin; i < end; ++i) out[i] = i * i;
  });
  EXPECT_EQ(out, serial_squares(out.size()));
  EXPECT_EQ(elsewhere.load(), 0);
  release = true;
  holder.join();
}

TEST(ThreadPool, StartsItsWorkersOnceForAllCalls) {
  constexpr int kCallers = 2, kCalls = 100;
  ThreadPool pool(3);
  ThreadCounter counter;
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&] {
      for (int call = 0; call < kCalls; ++call) {
        pool.parallel_for(64, 3, 1, [&](std::size_t, std::size_t, int) {
          counter.note();
          std::this_thread::yield();  // leaves chunks for the workers
        });
      }
    });
  }
  for (std::thread& t : callers) t.join();
  // The callers and the pool's two workers; a thread started per call would count anew.
  EXPECT_LE(counter.count(), kCallers + pool.size() - 1);
}

TEST(RunContext, CopiesShareOnePoolSizedToTheBudget) {
  const RunContext serial;
  EXPECT_EQ(serial.threads(), 1);
  EXPECT_EQ(serial.pool(), nullptr);
  EXPECT_EQ(RunContext(1).pool(), nullptr);
  const RunContext run(3, 7);
  ASSERT_NE(run.pool(), nullptr);
  EXPECT_EQ(run.pool()->size(), 3);
  EXPECT_EQ(run.seed, 7u);
  RunContext copy = run;
  copy.seed = 8;
  EXPECT_EQ(copy.pool(), run.pool());
  EXPECT_EQ(RunContext(0).threads(), resolve_threads(0));
  EXPECT_GE(resolve_threads(0), 1);
  EXPECT_EQ(resolve_threads(5), 5);
}

TEST(RunContext, ParallelForRunsOnTheContextsPool) {
  for (int threads : {1, 2, 4}) {
    const RunContext run(threads);
    std::vector<std::size_t> out(1000, 0);
    std::atomic<int> bad_worker{0};
    parallel_for(run, out.size(), 9, [&](std::size_t begin, std::size_t end, int worker) {
      bad_worker += worker < 0 || worker >= run.threads();
      for (std::size_t i = begin; i < end; ++i) out[i] = i * i;
    });
    EXPECT_EQ(out, serial_squares(out.size())) << "threads " << threads;
    EXPECT_EQ(bad_worker.load(), 0);
  }
  int calls = 0;
  parallel_for(RunContext{}, 10, 1, [&](std::size_t begin, std::size_t end, int worker) {
    ++calls;
    EXPECT_EQ(begin, 0u);
    EXPECT_EQ(end, 10u);
    EXPECT_EQ(worker, 0);
  });
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace aisle
