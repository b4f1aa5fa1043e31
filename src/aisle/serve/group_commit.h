// Group commit: request threads submit rows and wait; one writer thread takes everything queued
// (up to a batch limit), commits it in one transaction, and wakes the waiters. A 2xx is only ever
// sent for rows the store has committed, while many requests share one commit so throughput holds
// under load. After each commit the rows are numbered (sequence numbers, in commit order) and
// handed to `on_committed`. Used for feedback events (feedback.h) and experiment impressions.
//
// Thread safety: submit() from any thread; close() once, from the owner. The commit function runs
// on the writer thread only (so the store object it uses is used from one thread).
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "aisle/core/error.h"

namespace aisle::serve {

template <typename Row>
class GroupCommitWriter {
 public:
  // Commits the rows in one transaction or throws (nothing of them stored).
  using Commit = std::function<void(std::span<const Row>)>;
  // Called on the writer thread after a commit, with the sequence number of the first row.
  using OnCommitted = std::function<void(std::span<const Row>, std::uint64_t first_seq)>;

  GroupCommitWriter(Commit commit, OnCommitted on_committed, std::size_t max_batch)
      : commit_(std::move(commit)),
        on_committed_(std::move(on_committed)),
        max_batch_(std::max<std::size_t>(1, max_batch)) {
    writer_ = std::thread([this] { run(); });
  }
  ~GroupCommitWriter() { close(); }
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Blocks until the rows are committed; rethrows the commit's error (a StoreError) when they
  // are not, or throws StoreError when the writer is closed.
  void submit(std::vector<Row> rows) {
    if (rows.empty()) return;
    auto ticket = std::make_shared<Ticket>();
    ticket->rows = std::move(rows);
    std::unique_lock lock(mutex_);
    if (closing_) throw StoreError("the server is shutting down; nothing more is accepted");
    queue_.push_back(ticket);
    work_.notify_one();
    ticket->finished.wait(lock, [&] { return ticket->done; });
    if (ticket->error) std::rethrow_exception(ticket->error);
  }

  // The sequence number of the last committed row (0: none yet).
  std::uint64_t last_committed() const {
    std::lock_guard lock(mutex_);
    return last_seq_;
  }
  std::uint64_t commits() const {
    std::lock_guard lock(mutex_);
    return commits_;
  }

  // Refuses new rows, commits those already queued, stops the writer thread. Idempotent.
  void close() {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
      work_.notify_one();
    }
    if (writer_.joinable()) writer_.join();
  }

 private:
  struct Ticket {
    std::vector<Row> rows;
    bool done = false;
    std::exception_ptr error;
    // Its own: a commit wakes its own waiters only, not every request thread that waits.
    std::condition_variable finished;
  };

  void run() {
    for (;;) {
      std::vector<std::shared_ptr<Ticket>> group;
      std::vector<Row> rows;
      {
        std::unique_lock lock(mutex_);
        work_.wait(lock, [&] { return closing_ || !queue_.empty(); });
        if (queue_.empty()) return;  // closing, and everything queued is committed
        // Whole tickets only (a request's rows commit together); at least one, then up to the limit.
        while (!queue_.empty() && (group.empty() || rows.size() + queue_.front()->rows.size() <= max_batch_)) {
          group.push_back(queue_.front());
          queue_.pop_front();
          rows.insert(rows.end(), group.back()->rows.begin(), group.back()->rows.end());
        }
      }
      std::exception_ptr error;
      try {
        commit_(rows);
      } catch (...) {
        error = std::current_exception();
      }
      if (!error && on_committed_) {
        std::uint64_t first = 0;
        {
          std::lock_guard lock(mutex_);
          first = last_seq_ + 1;
        }
        // Before the waiters wake: a request sent after the 2xx must see the rows.
        try {
          on_committed_(rows, first);
        } catch (...) {
          // The rows are durable; failing to index them live only delays them.
        }
      }
      {
        std::lock_guard lock(mutex_);
        if (!error) {
          last_seq_ += rows.size();
          ++commits_;
        }
        for (auto& t : group) {
          t->done = true;
          t->error = error;
        }
      }
      // After unlocking, so a woken waiter does not block on the mutex at once; `group` keeps
      // the tickets alive.
      for (auto& t : group) t->finished.notify_one();
    }
  }

  Commit commit_;
  OnCommitted on_committed_;
  std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable work_;
  std::deque<std::shared_ptr<Ticket>> queue_;
  bool closing_ = false;
  std::uint64_t last_seq_ = 0, commits_ = 0;
  std::thread writer_;
};

}  // namespace aisle::serve
