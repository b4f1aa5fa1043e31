#include "aisle/store/store_watch.h"

#include <condition_variable>
#include <mutex>

#include "aisle/core/error.h"
#include "aisle/store/postgres/listener.h"

namespace aisle {

namespace {

// SQLite: a sleep that stop() cuts short.
class TimerWatch final : public StoreWatch {
 public:
  void wait(std::chrono::milliseconds timeout) override {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, timeout, [&] { return stopped_; });
  }
  void stop() override {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    cv_.notify_all();
  }
  bool stopped() const override {
    std::lock_guard lock(mutex_);
    return stopped_;
  }
  bool notifies() const override { return false; }

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool stopped_ = false;
};

}  // namespace

std::unique_ptr<StoreWatch> watch_store(const std::string& url, const std::vector<std::string>& channels) {
  if (url.starts_with("sqlite:")) return std::make_unique<TimerWatch>();
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return pg::listen_to(url, channels);
  throw ConfigError("unknown store URL '" + url + "'; expected sqlite:PATH or postgresql://USER@HOST:PORT/DB");
}

}  // namespace aisle
