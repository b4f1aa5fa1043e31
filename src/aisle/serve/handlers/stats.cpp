// GET /api/stats: the shop in numbers (shop_stats.h), from the store, once per model version.
#include "aisle/serve/handlers/handlers.h"
#include "aisle/serve/model_manager.h"
#include "aisle/serve/recommending.h"
#include "aisle/serve/shop_stats.h"
#include "aisle/store/event_store.h"

namespace aisle::serve::handlers {

Reply get_stats(ServeState& state, const httplib::Request&) {
  const auto snapshot = serving_snapshot(state);
  const auto body = state.stats.get(snapshot->version, [&] {
    const EventLog log = open_store(state.models->store_url(), OpenMode::kExisting)->read();
    Json j = shop_stats_json(log, state.config.weighting);
    j["model_version"] = snapshot->version;
    return j;
  });
  return json_reply(*body);
}

}  // namespace aisle::serve::handlers
