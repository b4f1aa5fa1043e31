#include "aisle/serve/store_follower.h"

#include <cstdio>

#include "aisle/core/error.h"
#include "aisle/data/weighting.h"
#include "aisle/serve/http_error.h"
#include "aisle/serve/model_manager.h"

namespace aisle::serve {

std::vector<LiveHistory::Replayed> replayed_of(const Weighting& weighting, std::span<const LiveEvent> events) {
  std::vector<LiveHistory::Replayed> out;
  out.reserve(events.size());
  for (const LiveEvent& e : events) {
    const TypeWeight* rule = weighting.find(e.type);
    if (rule == nullptr) continue;
    out.push_back({e.user, e.item, event_weight(e.weight, e.value, *rule), e.time});
  }
  return out;
}

StoreFollower::StoreFollower(ServeState& state, std::string store_url)
    : state_(state), store_url_(std::move(store_url)) {}

StoreFollower::~StoreFollower() {
  stop();
}

void StoreFollower::start() {
  watch_ = watch_store(store_url_, {kFeedbackChannel, kModelsChannel});
  thread_ = std::thread([this] { run(); });
}

void StoreFollower::stop() {
  if (watch_) watch_->stop();
  if (thread_.joinable()) thread_.join();
}

void StoreFollower::run() {
  const auto interval = watch_->notifies() ? kSafetyPoll : kPollInterval;
  bool failing = false;
  while (true) {
    watch_->wait(interval);
    if (watch_->stopped()) return;
    try {
      follow_models();
      follow_feedback();
      if (failing) std::fprintf(stderr, "aisle serve: following %s again\n", store_url_.c_str());
      failing = false;
    } catch (const std::exception& e) {
      store_.reset();
      if (!failing) {
        std::fprintf(stderr, "aisle serve: cannot follow the feedback of other servers in %s (%s); retrying\n",
                     store_url_.c_str(), e.what());
      }
      failing = true;
    }
  }
}

void StoreFollower::follow_models() {
  if (state_.config.serve.model_source != "store") return;
  if (!store_) store_ = open_store(store_url_, OpenMode::kExisting);
  const std::int64_t latest = store_->latest_model_version();
  if (latest <= state_.models->serving_store_version() || latest == refused_version_) return;
  try {
    state_.models->load_published(latest);
  } catch (const RequestError&) {
    // A reload or retrain is running: the next wake tries again.
  } catch (const InputError& e) {
    refused_version_ = latest;
    std::fprintf(stderr, "aisle serve: published model version %lld refused, the serving model stays: %s\n",
                 static_cast<long long>(latest), e.what());
  }
}

void StoreFollower::follow_feedback() {
  if (!state_.snapshots.current()) return;  // the first model's replay sets the cursor
  std::lock_guard lock(state_.replay.mutex);
  if (!store_) store_ = open_store(store_url_, OpenMode::kExisting);
  const FollowedFeedback followed = store_->feedback_after(state_.replay.through, state_.feedback_run.load());
  state_.live.add_replayed(replayed_of(state_.config.weighting, followed.events));
  state_.replay.through = followed.through;
  state_.telemetry.feedback_followed += followed.events.size();
}

}  // namespace aisle::serve
