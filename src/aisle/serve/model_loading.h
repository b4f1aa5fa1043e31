// Models the server holds beside the one in service (experiment arms, companion models): each
// named by a model reference and had on a background thread.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "aisle/serve/serve_state.h"
#include "aisle/serve/snapshot.h"

namespace aisle::serve {

// A reference that "file:PATH" makes a model file (loaded); anything else is a model spec,
// trained from the store's events now.
inline constexpr std::string_view kModelFilePrefix = "file:";

// The snapshot (unpublished: version 0, no cache) of `reference`: the model file read, or the
// spec fitted on `store_url`'s events with the state's compute threads. Throws what reading or
// fitting throws (InputError, ConfigError, FitError, StoreError), Cancelled once `cancel` is set.
// Slow (a fit): call it from a background thread.
std::shared_ptr<Snapshot> load_model_snapshot(const ServeState& state, const std::string& store_url,
                                              const std::string& reference, const std::atomic<bool>* cancel);

}  // namespace aisle::serve
