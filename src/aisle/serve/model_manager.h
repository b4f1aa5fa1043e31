// Puts models into service: from a model file (at start and on POST /api/admin/reload) or
// trained from the store (at start when there is no model file, on a schedule, and on POST
// /api/admin/retrain). A model that cannot be read, or a retrained one clearly worse than the
// serving one, is refused and the serving model stays. The top-list cache of a new model is
// built on a background thread after the model is in service, so a swap costs no wait (a newer
// swap cancels the build for the model it replaces).
//
// Feedback stored after a model's data was read (Provenance::data_as_of) by an earlier run of
// the server or by another process is replayed into the live history when the model is put
// into service, so that nothing acknowledged is forgotten across a restart or a reload.
//
// Thread safety: every method may be called from any thread; reloads and retrains run one at a
// time (a second retrain while one runs is refused with 409).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "aisle/app/retraining.h"
#include "aisle/serve/serve_state.h"

namespace aisle::serve {

class ModelManager {
 public:
  ModelManager(ServeState& state, std::string store_url);
  ~ModelManager();
  ModelManager(const ModelManager&) = delete;
  ModelManager& operator=(const ModelManager&) = delete;

  // Loads and publishes a model file. Throws InputError for a missing, damaged, truncated or
  // incompatible file (the serving model is then unchanged), RequestError 409 while another
  // reload or retrain runs.
  void load_file(const std::string& path);
  // Loads and publishes the model the store holds as `version` (EventStore::publish_model).
  // Throws as load_file does, and StoreError when the store cannot give it.
  void load_published(std::int64_t version);
  // The published version in service (0: none, or a model that did not come from the store).
  std::int64_t serving_store_version() const;
  // Trains `spec` (empty: the serving model's, or the default recommender) from the store and
  // publishes it unless the comparison refuses it.
  Retrained retrain(const std::string& spec);
  // Retrains every `seconds` on a background thread (errors are logged, the model stays).
  void start_schedule(std::int64_t seconds);
  // Cancels a retrain or cache build in progress (it throws Cancelled at its next step; the
  // serving model stays) and refuses new ones. Returns at once; any thread.
  void cancel();
  // cancel(), then stops the schedule and the cache builder and waits for them.
  void stop();

  const std::string& store_url() const { return store_url_; }

 private:
  // Clocks of the machines writing the store may differ by this much (seconds); replaying an
  // event the model has learnt costs nothing (the live history skips the user's training items).
  static constexpr Timestamp kClockSkewMargin = 60;

  void publish(std::shared_ptr<const TrainedModel> model, std::string source, std::uint64_t feedback_through,
               std::int64_t store_version = 0);
  // The stored feedback `model` has not learnt, from other processes' ingestion runs (this one's
  // is in the live history already); empty, with a log line, when the store cannot be read.
  // `through` gets the feedback log's position of what was read (unchanged on an error).
  // Called with state_.replay.mutex held.
  std::vector<LiveHistory::Replayed> stored_feedback(const TrainedModel& model, std::int64_t& through) const;
  void build_cache(const Snapshot& snapshot, const RunContext& run);
  void cancel_cache_build();

  ServeState& state_;
  std::string store_url_;
  std::atomic<bool> cancelled_{false};
  RunContext run_;         // state_.compute with the cancel flag: retrains and cache builds
  std::mutex swap_mutex_;  // one load or retrain at a time
  std::mutex schedule_mutex_;
  std::condition_variable schedule_cv_;
  bool stopping_ = false;
  std::thread schedule_, cache_builder_;
  std::mutex cache_mutex_;
  std::shared_ptr<std::atomic<bool>> cache_cancel_;  // the running cache build's flag
};

}  // namespace aisle::serve
