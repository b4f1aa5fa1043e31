// Durable feedback with group commit. Request threads submit events and wait; one writer thread
// takes everything queued (up to a batch limit), commits it to the store in one transaction, and
// wakes the waiters: a 2xx is only ever sent for events the store has committed, while many
// requests share one commit so throughput holds under load. After each commit the events are
// numbered (sequence numbers, in commit order) and handed to `on_committed` (the live history),
// so the user's next request reflects them.
//
// Thread safety: submit() from any thread; close() once, from the owner. The commit function runs
// on the writer thread only (so the store object it uses is used from one thread).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "aisle/core/types.h"

namespace aisle::serve {

struct FeedbackEvent {
  std::string user, item, type, session;  // external ids; type canonical ("view", "cart", ...)
  Timestamp time = 0;
  float value = kAbsent;  // a rating or an amount
  float weight = 0;       // under the configured weighting (for the live history; not stored)
};

class FeedbackWriter {
 public:
  // Commits the events in one transaction or throws (nothing of them stored).
  using Commit = std::function<void(std::span<const FeedbackEvent>)>;
  // Called on the writer thread after a commit, with the sequence number of the first event.
  using OnCommitted = std::function<void(std::span<const FeedbackEvent>, std::uint64_t first_seq)>;

  FeedbackWriter(Commit commit, OnCommitted on_committed, std::size_t max_batch);
  ~FeedbackWriter();
  FeedbackWriter(const FeedbackWriter&) = delete;
  FeedbackWriter& operator=(const FeedbackWriter&) = delete;

  // Blocks until the events are committed; rethrows the commit's error (a StoreError) when they
  // are not, or throws StoreError when the writer is closed.
  void submit(std::vector<FeedbackEvent> events);

  // The sequence number of the last committed event (0: none yet).
  std::uint64_t last_committed() const;
  std::uint64_t commits() const;

  // Refuses new events, commits those already queued, stops the writer thread. Idempotent.
  void close();

 private:
  struct Ticket {
    std::vector<FeedbackEvent> events;
    bool done = false;
    std::exception_ptr error;
  };
  void run();

  Commit commit_;
  OnCommitted on_committed_;
  std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable work_, finished_;
  std::deque<std::shared_ptr<Ticket>> queue_;
  bool closing_ = false;
  std::uint64_t last_seq_ = 0, commits_ = 0;
  std::thread writer_;
};

}  // namespace aisle::serve
