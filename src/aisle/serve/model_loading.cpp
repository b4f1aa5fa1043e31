#include "aisle/serve/model_loading.h"

#include <ctime>

#include "aisle/app/retraining.h"
#include "aisle/models/model_file.h"
#include "aisle/serve/feedback.h"
#include "aisle/serve/group_commit.h"

namespace aisle::serve {

std::shared_ptr<Snapshot> load_model_snapshot(const ServeState& state, const std::string& store_url,
                                              const std::string& reference, const std::atomic<bool>* cancel) {
  auto next = std::make_shared<Snapshot>();
  if (reference.starts_with(kModelFilePrefix)) {
    const std::string path = reference.substr(kModelFilePrefix.size());
    next->model = std::make_shared<const TrainedModel>(load_model(path));
    next->source = path;
  } else {
    RunContext run = state.compute;
    run.cancel = cancel;
    // Feedback committed before the store is read is in the model's data.
    const std::uint64_t through = state.feedback != nullptr ? state.feedback->last_committed() : 0;
    Retrained r = retrain_from_store(store_url, state.config, reference, nullptr, 0, run);
    next->model = r.model;
    next->source = "trained from " + store_url;
    next->feedback_through = through;
  }
  next->spec = next->model->spec();
  next->loaded_at = static_cast<Timestamp>(std::time(nullptr));
  return next;
}

}  // namespace aisle::serve
