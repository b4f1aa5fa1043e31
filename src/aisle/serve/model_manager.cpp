#include "aisle/serve/model_manager.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "aisle/models/model_file.h"
#include "aisle/serve/ann_index.h"
#include "aisle/serve/feedback.h"
#include "aisle/serve/http_error.h"
#include "aisle/serve/store_follower.h"
#include "aisle/store/event_store.h"

namespace aisle::serve {

ModelManager::ModelManager(ServeState& state, std::string store_url)
    : state_(state), store_url_(std::move(store_url)), run_(state.compute) {
  run_.cancel = &cancelled_;
}

ModelManager::~ModelManager() {
  stop();
}

std::vector<LiveHistory::Replayed> ModelManager::stored_feedback(const TrainedModel& model,
                                                                 std::int64_t& through) const {
  std::vector<LiveHistory::Replayed> out;
  try {
    const Timestamp since = model.provenance().data_as_of - kClockSkewMargin;
    std::int64_t log_end = 0;
    const std::vector<LiveEvent> events =
        open_store(store_url_, OpenMode::kExisting)->feedback_since(since, state_.feedback_run.load(), &log_end);
    out = replayed_of(state_.config.weighting, events);
    through = log_end;
    if (!out.empty()) {
      std::fprintf(stderr, "aisle serve: %zu feedback events stored since the model's data was read are replayed\n",
                   out.size());
    }
  } catch (const Error& e) {
    std::fprintf(stderr, "aisle serve: stored feedback not replayed (%s); it reaches the next model\n", e.what());
  }
  return out;
}

void ModelManager::publish(std::shared_ptr<const TrainedModel> model, std::string source,
                           std::uint64_t feedback_through, std::int64_t store_version) {
  // Held until the replayed events are in place: the store follower continues from `through`.
  std::unique_lock replay_lock(state_.replay.mutex);
  std::int64_t through = state_.replay.through;  // kept when the store cannot be read
  const std::vector<LiveHistory::Replayed> replayed = stored_feedback(*model, through);
  auto next = std::make_shared<Snapshot>();
  next->spec = model->spec();
  next->model = std::move(model);
  next->source = std::move(source);
  next->feedback_through = feedback_through;
  next->store_version = store_version;
  state_.snapshots.publish(next);
  state_.live.forget_through(feedback_through);
  state_.live.replace_replayed(replayed);
  state_.replay.through = through;
  replay_lock.unlock();
  state_.telemetry.model_swaps++;
  state_.telemetry.model_version = next->version;
  state_.telemetry.model_loaded_at = next->loaded_at;
  std::fprintf(stderr, "aisle serve: model %llu in service: %s (%s)\n", static_cast<unsigned long long>(next->version),
               next->spec.c_str(), next->source.c_str());
  if (state_.config.serve.cache_depth > 0 || state_.config.serve.ann != "off") {
    // The previous snapshot's cache would be refused by attach_cache: stop building it.
    if (cache_builder_.joinable()) {
      cancel_cache_build();
      cache_builder_.join();
    }
    auto flag = std::make_shared<std::atomic<bool>>(cancelled_.load());
    {
      std::lock_guard lock(cache_mutex_);
      cache_cancel_ = flag;
    }
    RunContext run = state_.compute;
    run.cancel = flag.get();
    cache_builder_ = std::thread([this, next, run, flag] {
      build_cache(*next, run);
      if (!*flag) attach_ann_index(state_, *next);
    });
  }
}

void ModelManager::cancel_cache_build() {
  std::lock_guard lock(cache_mutex_);
  if (cache_cancel_) *cache_cancel_ = true;
}

void ModelManager::build_cache(const Snapshot& snapshot, const RunContext& run) {
  if (state_.config.serve.cache_depth == 0) return;
  try {
    TopListCache cache = build_top_list_cache(*snapshot.model, state_.config.serve.cache_depth, run);
    state_.snapshots.attach_cache(snapshot.version, std::move(cache));
  } catch (const Cancelled&) {
    std::fprintf(stderr, "aisle serve: top-list cache of model %llu not built: %s\n",
                 static_cast<unsigned long long>(snapshot.version),
                 cancelled_ ? "stopping" : "a newer model is in service");
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

void ModelManager::load_published(std::int64_t version) {
  std::unique_lock lock(swap_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) throw RequestError(409, "busy", "a reload or retrain is already running");
  StoredModel stored = open_store(store_url_, OpenMode::kExisting)->read_model(version);
  // The model file reader takes a path: the bytes go through a temporary file of this load's own.
  static std::atomic<std::uint64_t> loads{0};
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("aisle-published-" + std::to_string(::getpid()) + "-" +
                                                std::to_string(loads.fetch_add(1)) + "-v" + std::to_string(version));
  std::shared_ptr<const TrainedModel> model;
  try {
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out.write(stored.bytes.data(), static_cast<std::streamsize>(stored.bytes.size()));
      if (!out.good()) throw InputError(path.string() + ": cannot write the published model to a temporary file");
    }
    stored.bytes = std::string();  // the file holds them now
    model = std::make_shared<const TrainedModel>(load_model(path.string()));
  } catch (const Error&) {
    std::filesystem::remove(path);
    state_.telemetry.model_refusals++;
    throw;
  }
  std::filesystem::remove(path);
  // Like a model file: its data is not the live feedback's.
  publish(std::move(model), "published version " + std::to_string(version) + " in " + store_url_, 0, version);
}

std::int64_t ModelManager::serving_store_version() const {
  const auto snapshot = state_.snapshots.current();
  return snapshot ? snapshot->store_version : 0;
}

Retrained ModelManager::retrain(const std::string& spec) {
  std::unique_lock lock(swap_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) throw RequestError(409, "busy", "a reload or retrain is already running");
  const std::uint64_t through = state_.feedback != nullptr ? state_.feedback->last_committed() : 0;
  run_.check_cancelled();
  const auto serving = state_.snapshots.current();
  Retrained r = retrain_from_store(store_url_, state_.config, spec, serving ? serving->model.get() : nullptr,
                                   state_.config.serve.retrain_max_drop, run_);
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

void ModelManager::cancel() {
  cancelled_ = true;
  cancel_cache_build();
}

void ModelManager::stop() {
  cancel();
  {
    std::lock_guard lock(schedule_mutex_);
    stopping_ = true;
    schedule_cv_.notify_all();
  }
  std::unique_lock lock(swap_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) {
    std::fprintf(stderr,
                 "aisle serve: waiting for the model fit in progress to reach a step where it can stop "
                 "(feedback is committed; a second signal exits at once)\n");
    lock.lock();
  }
  lock.unlock();
  if (schedule_.joinable()) schedule_.join();
  lock.lock();
  if (cache_builder_.joinable()) cache_builder_.join();
}

}  // namespace aisle::serve
