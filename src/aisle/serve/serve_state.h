// Everything a request handler may use, owned by the Server and shared by its request threads.
// Members are either immutable after start (settings, config) or thread-safe themselves (the
// snapshot holder, live history, telemetry, feedback writer, model manager).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "aisle/config/config.h"
#include "aisle/core/run_context.h"
#include "aisle/serve/live_history.h"
#include "aisle/serve/shop_stats.h"
#include "aisle/serve/snapshot.h"
#include "aisle/serve/telemetry.h"

namespace aisle::serve {

template <typename Row>
class GroupCommitWriter;
struct FeedbackEvent;
using FeedbackWriter = GroupCommitWriter<FeedbackEvent>;
class ModelManager;
class Experiments;
class Companions;
class BatchLists;

// Where the replayed events of the live history (LiveHistory) stand in the store's feedback log
// (EventStore::feedback_after): every event other processes logged up to `through` is in it,
// none after. `mutex` is held across reading the store and changing the replayed events (the
// model manager's replay at a swap, the store follower's catch-up) and across this process's
// first append (until then its run id, which both skip, is unknown), so that no event is added
// twice or missed.
struct ReplayCursor {
  std::mutex mutex;
  std::int64_t through = 0;  // guarded by mutex
};

struct ServeState {
  Config config;          // config.serve holds the server's settings
  std::string api_token;  // resolved: AISLE_API_TOKEN or serve.api_token
  RunContext compute;     // batch requests, the top-list cache and retraining: run.threads less one, at least one
  SnapshotHolder snapshots;
  LiveHistory live;
  Telemetry telemetry;
  StatsCache stats;                           // GET /api/stats per model version
  FeedbackWriter* feedback = nullptr;         // set by the Server before it serves (it always opens a store)
  std::atomic<std::int64_t> feedback_run{0};  // the store's ingestion run of this process's feedback (0: none yet)
  ReplayCursor replay;
  ModelManager* models = nullptr;
  Experiments* experiments = nullptr;  // set by the Server before it serves
  Companions* companions = nullptr;    // serve.companions; set by the Server before it serves
  BatchLists* batch_lists = nullptr;   // the store's recommendation batches; set by the Server before it serves
  std::atomic<bool> stopping{false};
};

}  // namespace aisle::serve
