// Keeps a server current with what other processes write to its store while it serves, so that
// several servers on one store (docs/SCALE.md, "Serving replicas") answer alike: feedback
// committed through another server reaches this one's live history within about a second.
//
// One background thread waits on a StoreWatch (PostgreSQL: LISTEN on the feedback channel, with
// a poll every kSafetyPoll in case a notification was missed; SQLite: a poll every kPollInterval)
// and then reads the feedback log after the replay cursor (ServeState::replay), skipping this
// process's own run, into the live history as replayed events. Nothing is followed before the
// first model is in service (its replay sets the cursor). With serve.model_source = "store" it
// also watches the published models (PostgreSQL: LISTEN on the models channel) and puts a newer
// version into service through the model manager; a version that cannot be loaded is refused
// once (logged), and the serving model stays. A store that cannot be read is logged and tried
// again at the next wake; the server keeps serving.
//
// Thread safety: start() and stop() from the thread that owns the server; stop() is idempotent.
#pragma once

#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "aisle/serve/live_history.h"
#include "aisle/serve/serve_state.h"
#include "aisle/store/event_store.h"
#include "aisle/store/store_watch.h"

namespace aisle::serve {

// Stored events as live-history entries under the configured weighting; events of a type the
// weighting lacks are left out (the model would ignore them too).
std::vector<LiveHistory::Replayed> replayed_of(const Weighting& weighting, std::span<const LiveEvent> events);

class StoreFollower {
 public:
  static constexpr std::chrono::milliseconds kPollInterval{250};  // SQLite
  static constexpr std::chrono::milliseconds kSafetyPoll{1000};   // PostgreSQL, between notifications

  StoreFollower(ServeState& state, std::string store_url);
  ~StoreFollower();
  StoreFollower(const StoreFollower&) = delete;
  StoreFollower& operator=(const StoreFollower&) = delete;

  // Starts following. Throws StoreError when a PostgreSQL store cannot be reached to listen.
  void start();
  // Stops and joins the thread (a read in progress finishes first).
  void stop();

 private:
  void run();
  void follow_feedback();
  void follow_models();

  ServeState& state_;
  std::string store_url_;
  std::unique_ptr<StoreWatch> watch_;
  std::unique_ptr<EventStore> store_;  // the thread's own; reopened after an error
  std::thread thread_;
  std::int64_t refused_version_ = 0;  // a published version that could not be loaded
};

}  // namespace aisle::serve
