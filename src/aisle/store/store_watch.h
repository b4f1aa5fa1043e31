// Wakes a thread that follows a store (a server reading what other processes appended or
// published) when the store may have changed. PostgreSQL: one LISTEN connection of its own that
// hears NOTIFY on the given channels (sent by writers when they commit); the wait ends at a
// notification. SQLite has no notifications: the wait ends when its timeout passes, and the
// caller polls. Either way the caller reads the store after every wait: a notification only
// says "look now", and a wait that times out is the safety net (a lost or reconnected listening
// connection may have missed notifications).
//
// Thread safety: wait() from one thread at a time; stop() from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace aisle {

class StoreWatch {
 public:
  virtual ~StoreWatch() = default;
  // Blocks until a notification arrives, `timeout` passes or stop() was called. Never throws: a
  // broken listening connection is reconnected on a later wait (and logged once per loss).
  virtual void wait(std::chrono::milliseconds timeout) = 0;
  // Ends a wait in progress and every later one at once.
  virtual void stop() = 0;
  virtual bool stopped() const = 0;
  // True when changes are notified (PostgreSQL); false: only timeouts end a wait.
  virtual bool notifies() const = 0;
};

// A watch of the store at `url` on NOTIFY `channels` (ignored by SQLite). Throws StoreError when
// a PostgreSQL store cannot be reached, ConfigError for an unknown URL.
std::unique_ptr<StoreWatch> watch_store(const std::string& url, const std::vector<std::string>& channels);

}  // namespace aisle
