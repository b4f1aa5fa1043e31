// Everything a request handler may use, owned by the Server and shared by its request threads.
// Members are either immutable after start (settings, config) or thread-safe themselves (the
// snapshot holder, live history, telemetry, feedback writer, model manager).
#pragma once

#include <atomic>
#include <memory>

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
  ModelManager* models = nullptr;
  Experiments* experiments = nullptr;  // set by the Server before it serves
  Companions* companions = nullptr;    // serve.companions; set by the Server before it serves
  BatchLists* batch_lists = nullptr;   // the store's recommendation batches; set by the Server before it serves
  std::atomic<bool> stopping{false};
};

}  // namespace aisle::serve
