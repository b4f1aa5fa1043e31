#include "aisle/store/postgres/listener.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>

#include "aisle/store/postgres/connection.h"

namespace aisle::pg {

namespace {

class Listener final : public StoreWatch {
 public:
  Listener(std::string url, std::vector<std::string> channels) : url_(std::move(url)), channels_(std::move(channels)) {
    if (::pipe2(stop_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) throw StoreError(url_ + ": cannot create a pipe to listen");
    connect();  // the first connection's failure is the caller's error
  }
  ~Listener() override {
    ::close(stop_pipe_[0]);
    ::close(stop_pipe_[1]);
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  void wait(std::chrono::milliseconds timeout) override;
  void stop() override {
    stopped_ = true;
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(stop_pipe_[1], &byte, 1);  // a full pipe already wakes
  }
  bool stopped() const override { return stopped_; }
  bool notifies() const override { return true; }

 private:
  void connect() {
    conn_.reset();
    auto c = std::make_unique<Connection>(url_);
    for (const std::string& channel : channels_) c->exec("LISTEN " + channel);
    conn_ = std::move(c);
  }
  // True when notifications had arrived (they are consumed).
  bool take_notifications() {
    bool any = false;
    while (PGnotify* n = PQnotifies(conn_->raw())) {
      any = true;
      PQfreemem(n);
    }
    return any;
  }
  // Sleeps up to `timeout` unless stop() is called.
  void sleep(std::chrono::milliseconds timeout) {
    pollfd fd{stop_pipe_[0], POLLIN, 0};
    ::poll(&fd, 1, static_cast<int>(timeout.count()));
  }

  std::string url_;
  std::vector<std::string> channels_;
  std::unique_ptr<Connection> conn_;  // null while lost
  int stop_pipe_[2] = {-1, -1};
  std::atomic<bool> stopped_{false};
};

void Listener::wait(std::chrono::milliseconds timeout) {
  if (stopped_) return;
  if (!conn_) {
    try {
      connect();
      std::fprintf(stderr, "aisle: listening to %s again\n", url_.c_str());
      return;  // what was notified while the connection was lost: the caller reads the store now
    } catch (const StoreError&) {
      sleep(timeout);
      return;
    }
  }
  if (take_notifications()) return;
  pollfd fds[2] = {{PQsocket(conn_->raw()), POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
  const int rc = ::poll(fds, 2, static_cast<int>(timeout.count()));
  if (rc <= 0 || (fds[1].revents & POLLIN) != 0) return;  // timeout, a signal, or stop()
  if (PQconsumeInput(conn_->raw()) == 0) {
    std::fprintf(stderr, "aisle: lost the listening connection to %s (%s); reconnecting\n", url_.c_str(),
                 PQerrorMessage(conn_->raw()));
    conn_.reset();
    sleep(timeout);
    return;
  }
  take_notifications();
}

}  // namespace

std::unique_ptr<StoreWatch> listen_to(const std::string& url, const std::vector<std::string>& channels) {
  return std::make_unique<Listener>(url, channels);
}

}  // namespace aisle::pg
