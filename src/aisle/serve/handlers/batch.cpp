// A user's list from the store's recommendation batches (`aisle batch`), not computed per request.
#include "aisle/core/text.h"
#include "aisle/serve/batch_lists.h"
#include "aisle/serve/handlers/handlers.h"
#include "aisle/serve/http_error.h"

namespace aisle::serve::handlers {

// GET /api/users/{id}/recommendations?source=batch[&version=V][&k=N]: the user's stored list in
// the newest complete batch (or batch V), at most k items (default: the whole list). No
// fallback to the model: a user the batch has no list for is a 404 that says so, as is a store
// without a complete batch; the caller chooses what to do (GET /api/recommendations computes one).
Reply get_user_recommendations(ServeState& state, const httplib::Request& request) {
  const std::string user = checked_id(request.matches[1].str(), "id");
  if (const std::string source = query_param(request, "source"); source != "batch") {
    throw bad_field("source",
                    "must be 'batch' (the store's precomputed lists; computed per request: "
                    "GET /api/recommendations?user_id=U)");
  }
  const std::string version = query_param(request, "version");
  if (!version.empty()) checked_id(version, "version");
  std::size_t k = kMaxK;
  if (request.has_param("k")) k = query_k(state, request);
  AISLE_CHECK(state.batch_lists != nullptr);
  const std::optional<StoredList> list = state.batch_lists->find(user, version);
  if (!list) {
    throw NotFound(version.empty()
                       ? std::string("no complete recommendation batch in the store (aisle batch writes one)")
                       : "no complete recommendation batch '" + printable(version) + "' in the store");
  }
  if (list->items.empty()) {
    throw NotFound("user '" + printable(user) + "' has no list in recommendation batch '" + list->batch.version + "'");
  }
  Json items = Json::array();
  for (std::size_t p = 0; p < list->items.size() && p < k; ++p) {
    items.push_back({{"item_id", list->items[p].item}, {"score", list->items[p].score}});
  }
  Json batch = {{"version", list->batch.version}, {"model", list->batch.model}, {"k", list->batch.k}};
  batch["completed_at"] = list->batch.completed_at ? Json(*list->batch.completed_at) : Json(nullptr);
  return json_reply(Json{{"user_id", user}, {"source", "batch"}, {"batch", batch}, {"items", items}});
}

}  // namespace aisle::serve::handlers
