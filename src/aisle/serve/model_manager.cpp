#include "aisle/serve/model_manager.h"

#include <cstdio>

#include "aisle/models/model_file.h"
#include "aisle/serve/ann_index.h"
#include "aisle/serve/feedback.h"
#include "aisle/serve/http_error.h"

namespace aisle::serve {

ModelManager::ModelManager(ServeState& state, std::string store_url)
    : state_(state), store_url_(std::move(store_url)) {}

ModelManager::~ModelManager() {
  stop();
}

void ModelManager::publish(std::shared_ptr<const TrainedModel> model, std::string source,
                           std::uint64_t feedback_through) {
  auto next = std::make_shared<Snapshot>();
  next->spec = model->spec();
  next->model = std::move(model);
  next->source = std::move(source);
  next->feedback_through = feedback_through;
  state_.snapshots.publish(next);
  state_.live.forget_through(feedback_through);
  state_.telemetry.model_swaps++;
  state_.telemetry.model_version = next->version;
  state_.telemetry.model_loaded_at = next->loaded_at;
  std::fprintf(stderr, "aisle serve: model %llu in service: %s (%s)\n", static_cast<unsigned long long>(next->version),
               next->spec.c_str(), next->source.c_str());
  if (state_.config.serve.cache_depth > 0 || state_.config.serve.ann != "off") {
    if (cache_builder_.joinable()) cache_builder_.join();
    cache_builder_ = std::thread([this, next] {
      build_cache(next);
      attach_ann_index(state_, *next);
    });
  }
}

void ModelManager::build_cache(std::shared_ptr<const Snapshot> snapshot) {
  if (state_.config.serve.cache_depth == 0) return;
  try {
    TopListCache cache = build_top_list_cache(*snapshot->model, state_.config.serve.cache_depth, state_.compute);
    state_.snapshots.attach_cache(snapshot->version, std::move(cache));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "aisle serve: top-list cache not built: %s\n", e.what());
  }
}

void ModelManager::load_file(const std::string& path) {
  std::unique_lock lock(swap_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) throw RequestError(409, "busy", "a reload or retrain is already running");
  std::shared_ptr<const TrainedModel> model;
  try {
    model = std::make_shared<const TrainedModel>(load_model(path));
  } catch (const Error&) {
    state_.telemetry.model_refusals++;
    throw;
  }
  // A model file's data is not the live feedback's: keep all of it in the live history.
  publish(std::move(model), path, 0);
}

Retrained ModelManager::retrain(const std::string& spec) {
  std::unique_lock lock(swap_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) throw RequestError(409, "busy", "a reload or retrain is already running");
  const std::uint64_t through = state_.feedback != nullptr ? state_.feedback->last_committed() : 0;
  const auto serving = state_.snapshots.current();
  const RunContext& run = state_.compute;
  Retrained r = retrain_from_store(store_url_, state_.config, spec, serving ? serving->model.get() : nullptr,
                                   state_.config.serve.retrain_max_drop, run);
  state_.telemetry.last_retrain_seconds = r.seconds;
  std::fprintf(stderr, "aisle serve: retrain from %s in %.1f s: %s\n", store_url_.c_str(), r.seconds,
               r.comparison.summary.c_str());
  if (!r.accepted) {
    state_.telemetry.model_refusals++;
    return r;
  }
  publish(r.model, "trained from " + store_url_, through);
  return r;
}

void ModelManager::start_schedule(std::int64_t seconds) {
  schedule_ = std::thread([this, seconds] {
    std::unique_lock lock(schedule_mutex_);
    while (!schedule_cv_.wait_for(lock, std::chrono::seconds(seconds), [&] { return stopping_; })) {
      lock.unlock();
      try {
        retrain("");
      } catch (const std::exception& e) {
        std::fprintf(stderr, "aisle serve: scheduled retrain failed, the serving model stays: %s\n", e.what());
      }
      lock.lock();
    }
  });
}

void ModelManager::stop() {
  {
    std::lock_guard lock(schedule_mutex_);
    stopping_ = true;
    schedule_cv_.notify_all();
  }
  if (schedule_.joinable()) schedule_.join();
  std::lock_guard lock(swap_mutex_);
  if (cache_builder_.joinable()) cache_builder_.join();
}

}  // namespace aisle::serve
