// GET /api/items?q=TEXT&k=20: the serving model's items whose name or id contains TEXT (ASCII
// case ignored), the most bought first (training users), for finding a product by name. A
// linear scan of the names: about a millisecond per 100,000 items.
#include <algorithm>

#include "aisle/core/text.h"
#include "aisle/serve/handlers/handlers.h"
#include "aisle/serve/http_error.h"
#include "aisle/serve/recommending.h"

namespace aisle::serve::handlers {

Reply get_item_search(ServeState& state, const httplib::Request& request) {
  const auto snapshot = serving_snapshot(state);
  const TrainedModel& model = *snapshot->model;
  const std::string q = to_lower(trim(query_param(request, "q")));
  if (q.empty()) throw bad_field("q", "is required: the text to look for in item names and ids");
  if (q.size() > 200) throw bad_field("q", "is longer than 200 bytes");
  const std::size_t k = query_k(state, request);
  const std::vector<std::string>& names = model.facts().item_name;
  std::vector<ItemIdx> found;
  for (ItemIdx i = 0; i < model.items().size(); ++i) {
    const bool by_name = i < names.size() && to_lower(names[i]).find(q) != std::string::npos;
    if (by_name || to_lower(model.items().name(i)).find(q) != std::string::npos) found.push_back(i);
  }
  const std::size_t n = std::min(k, found.size());
  std::partial_sort(
      found.begin(), found.begin() + static_cast<std::ptrdiff_t>(n), found.end(), [&](ItemIdx a, ItemIdx b) {
        return model.training_users(a) != model.training_users(b) ? model.training_users(a) > model.training_users(b)
                                                                  : a < b;
      });
  found.resize(n);
  std::vector<Scored> rows;
  rows.reserve(n);
  for (const ItemIdx i : found) rows.push_back({i, model.training_users(i)});
  Json j = Json::object();
  j["q"] = q;
  j["items"] = item_rows_json(describe(model, rows));
  for (std::size_t r = 0; r < n; ++r) {
    Json& row = j["items"][r];
    row.erase("score");
    row["training_users"] = static_cast<std::uint64_t>(model.training_users(found[r]));
  }
  return json_reply(j);
}

}  // namespace aisle::serve::handlers
