#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "aisle/data/readers/input_stream.h"

namespace aisle {

namespace {

constexpr std::size_t kChunk = std::size_t{1} << 20;
constexpr std::size_t kMaxQueued = 4;

class ReadAheadStream final : public InputStream {
 public:
  explicit ReadAheadStream(std::unique_ptr<InputStream> inner)
      : InputStream(inner->name()),
        inner_(std::move(inner)),
        total_(inner_->total_bytes()),
        compressed_(inner_->compressed()),
        thread_([this] { produce(); }) {}

  ~ReadAheadStream() override {
    {
      std::lock_guard<std::mutex> lock(m_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  ReadAheadStream(const ReadAheadStream&) = delete;
  ReadAheadStream& operator=(const ReadAheadStream&) = delete;

  std::size_t read(char* out, std::size_t n) override {
    if (pos_ == current_.size()) {
      std::unique_lock<std::mutex> lock(m_);
      if (!current_.empty()) free_.push_back(std::move(current_));
      current_.clear();
      pos_ = 0;
      cv_.notify_all();
      cv_.wait(lock, [&] { return !ready_.empty() || done_; });
      if (ready_.empty()) {
        if (error_) std::rethrow_exception(error_);
        return 0;
      }
      current_ = std::move(ready_.front());
      ready_.pop_front();
      cv_.notify_all();
    }
    const std::size_t got = std::min(n, current_.size() - pos_);
    std::memcpy(out, current_.data() + pos_, got);
    pos_ += got;
    return got;
  }
  std::uint64_t consumed_bytes() const override { return consumed_.load(std::memory_order_relaxed); }
  std::uint64_t total_bytes() const override { return total_; }
  bool compressed() const override { return compressed_; }

 private:
  // The producer thread: fills chunks from inner_ until the end, an error, or stop_.
  void produce() {
    try {
      while (true) {
        std::string chunk;
        {
          std::unique_lock<std::mutex> lock(m_);
          cv_.wait(lock, [&] { return stop_ || ready_.size() < kMaxQueued; });
          if (stop_) break;
          if (!free_.empty()) {
            chunk = std::move(free_.back());
            free_.pop_back();
          }
        }
        chunk.resize(kChunk);
        const std::size_t got = inner_->read(chunk.data(), chunk.size());
        consumed_.store(inner_->consumed_bytes(), std::memory_order_relaxed);
        if (got == 0) break;
        chunk.resize(got);
        std::lock_guard<std::mutex> lock(m_);
        ready_.push_back(std::move(chunk));
        cv_.notify_all();
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(m_);
      error_ = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(m_);
    done_ = true;
    cv_.notify_all();
  }

  std::unique_ptr<InputStream> inner_;  // used by the producer thread only
  const std::uint64_t total_;
  const bool compressed_;
  std::atomic<std::uint64_t> consumed_{0};

  std::mutex m_;
  std::condition_variable cv_;
  std::deque<std::string> ready_;  // filled chunks, in order
  std::vector<std::string> free_;  // chunks handed back for reuse
  bool done_ = false;
  bool stop_ = false;
  std::exception_ptr error_;

  std::string current_;  // consumer side
  std::size_t pos_ = 0;

  std::thread thread_;  // last: starts once everything above is constructed
};

}  // namespace

std::unique_ptr<InputStream> read_ahead(std::unique_ptr<InputStream> inner) {
  return std::make_unique<ReadAheadStream>(std::move(inner));
}

}  // namespace aisle
