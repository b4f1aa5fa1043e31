#include "aisle/serve/feedback.h"

#include "aisle/core/error.h"

namespace aisle::serve {

FeedbackWriter::FeedbackWriter(Commit commit, OnCommitted on_committed, std::size_t max_batch)
    : commit_(std::move(commit)),
      on_committed_(std::move(on_committed)),
      max_batch_(std::max<std::size_t>(1, max_batch)) {
  writer_ = std::thread([this] { run(); });
}

FeedbackWriter::~FeedbackWriter() {
  close();
}

void FeedbackWriter::submit(std::vector<FeedbackEvent> events) {
  if (events.empty()) return;
  auto ticket = std::make_shared<Ticket>();
  ticket->events = std::move(events);
  std::unique_lock lock(mutex_);
  if (closing_) throw StoreError("the server is shutting down; feedback is no longer accepted");
  queue_.push_back(ticket);
  work_.notify_one();
  finished_.wait(lock, [&] { return ticket->done; });
  if (ticket->error) std::rethrow_exception(ticket->error);
}

std::uint64_t FeedbackWriter::last_committed() const {
  std::lock_guard lock(mutex_);
  return last_seq_;
}

std::uint64_t FeedbackWriter::commits() const {
  std::lock_guard lock(mutex_);
  return commits_;
}

void FeedbackWriter::close() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    work_.notify_one();
  }
  if (writer_.joinable()) writer_.join();
}

void FeedbackWriter::run() {
  for (;;) {
    std::vector<std::shared_ptr<Ticket>> group;
    std::vector<FeedbackEvent> events;
    {
      std::unique_lock lock(mutex_);
      work_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, and everything queued is committed
      // Whole tickets only (a request's events commit together); at least one, then up to the limit.
      while (!queue_.empty() && (group.empty() || events.size() + queue_.front()->events.size() <= max_batch_)) {
        group.push_back(queue_.front());
        queue_.pop_front();
        events.insert(events.end(), group.back()->events.begin(), group.back()->events.end());
      }
    }
    std::exception_ptr error;
    try {
      commit_(events);
    } catch (...) {
      error = std::current_exception();
    }
    std::uint64_t first = 0;
    if (!error) {
      {
        std::lock_guard lock(mutex_);
        first = last_seq_ + 1;
      }
      // Before the waiters wake: a user's next request (sent after the 2xx) must see the events.
      try {
        on_committed_(events, first);
      } catch (...) {
        // The events are durable; failing to index them live only delays them to the next model.
      }
    }
    std::lock_guard lock(mutex_);
    if (!error) {
      last_seq_ += events.size();
      ++commits_;
    }
    for (auto& t : group) {
      t->done = true;
      t->error = error;
    }
    finished_.notify_all();
  }
}

}  // namespace aisle::serve
