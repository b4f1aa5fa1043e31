// Puts models into service: from a model file (at start and on POST /api/admin/reload) or
// trained from the store (at start when there is no model file, on a schedule, and on POST
// /api/admin/retrain). A model that cannot be read, or a retrained one clearly worse than the
// serving one, is refused and the serving model stays. The top-list cache of a new model is
// built on a background thread after the model is in service, so a swap costs no wait.
//
// Thread safety: every method may be called from any thread; reloads and retrains run one at a
// time (a second retrain while one runs is refused with 409).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

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
  // Trains `spec` (empty: the serving model's, or the default recommender) from the store and
  // publishes it unless the comparison refuses it.
  Retrained retrain(const std::string& spec);
  // Retrains every `seconds` on a background thread (errors are logged, the model stays).
  void start_schedule(std::int64_t seconds);
  // Stops the schedule and the cache builder; waits for them.
  void stop();

  const std::string& store_url() const { return store_url_; }

 private:
  void publish(std::shared_ptr<const TrainedModel> model, std::string source, std::uint64_t feedback_through);
  void build_cache(std::shared_ptr<const Snapshot> snapshot);

  ServeState& state_;
  std::string store_url_;
  std::mutex swap_mutex_;  // one load or retrain at a time
  std::mutex schedule_mutex_;
  std::condition_variable schedule_cv_;
  bool stopping_ = false;
  std::thread schedule_, cache_builder_;
};

}  // namespace aisle::serve
