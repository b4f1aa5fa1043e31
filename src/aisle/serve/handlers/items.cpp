// Items: one item's catalog fields, items similar to it, and the popular and trending lists
// (the cold-start answers), each under the usual filters.
#include "aisle/core/text.h"
#include "aisle/serve/bought_with.h"
#include "aisle/serve/handlers/handlers.h"
#include "aisle/serve/http_error.h"
#include "aisle/serve/recommending.h"

namespace aisle::serve::handlers {

namespace {

ItemIdx item_of(const Snapshot& snapshot, const std::string& id) {
  const ItemIdx i = snapshot.model->items().find(id);
  if (i == kNoIndex) throw NotFound("item '" + printable(id) + "' is not in the model");
  return i;
}

Json list_reply(const Snapshot& snapshot, const Answer& answer, std::string_view kind) {
  Json j = Json::object();
  j["list"] = kind;
  j["model"] = {{"spec", snapshot.spec}, {"version", snapshot.version}};
  j["items"] = item_rows_json(answer.items);
  j["warnings"] = answer.notes;
  return j;
}

// popular or trending under the request's filters (no user: nothing is seen).
Reply ranked_list(ServeState& state, const httplib::Request& request, bool trending) {
  const auto snapshot = serving_snapshot(state);
  ItemRequest r;
  r.k = query_k(state, request);
  read_filter_params(request, r);
  const TrainedModel& model = *snapshot->model;
  Answer answer;
  const Filter filter = resolve_filter(model, r, answer.notes);
  const std::vector<Scored> top =
      trending ? model.trending(filter, r.k, state.config.serve.trending_half_life_days) : model.popular(filter, r.k);
  answer.served_as = ServedAs::kColdStart;
  answer.items = describe(model, top);
  return json_reply(list_reply(*snapshot, answer, trending ? "trending" : "popular"));
}

}  // namespace

Reply get_item(ServeState& state, const httplib::Request& request) {
  const auto snapshot = serving_snapshot(state);
  const std::string id = checked_id(request.matches[1].str(), "id");
  const ItemIdx i = item_of(*snapshot, id);
  const TrainedModel& model = *snapshot->model;
  const Scored self{i, 0};
  Json j = item_rows_json(describe(model, std::span(&self, 1))).at(0);
  j.erase("score");
  Json categories = Json::array();
  for (const CategoryIdx c : model.facts().categories_of(i)) categories.push_back(model.facts().category_label(c));
  j["categories"] = categories;
  const auto available = static_cast<Availability>(model.facts().available[i]);
  j["available"] = available == Availability::kUnknown ? Json(nullptr) : Json(available == Availability::kYes);
  j["training_users"] = static_cast<std::uint64_t>(model.training_users(i));
  return json_reply(j);
}

Reply get_similar(ServeState& state, const httplib::Request& request) {
  const auto snapshot = serving_snapshot(state);
  const std::string id = checked_id(request.matches[1].str(), "id");
  item_of(*snapshot, id);
  ItemRequest r;
  r.k = query_k(state, request);
  read_filter_params(request, r);
  Json j = list_reply(*snapshot, similar(*snapshot->model, id, r), "similar");
  j["item_id"] = id;
  return json_reply(j);
}

// The other items of the users who have this one in their training history (bought_with.h).
Reply get_bought_with(ServeState& state, const httplib::Request& request) {
  const auto snapshot = serving_snapshot(state);
  const std::string id = checked_id(request.matches[1].str(), "id");
  const ItemIdx i = item_of(*snapshot, id);
  const BoughtWith with = bought_with(*snapshot->model, i, query_k(state, request));
  std::vector<Scored> items;
  for (const BoughtWithRow& row : with.rows) items.push_back({row.item, static_cast<float>(row.together)});
  Json rows = item_rows_json(describe(*snapshot->model, items));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    rows[r].erase("score");
    rows[r]["together"] = with.rows[r].together;
    rows[r]["share"] = with.rows[r].share;
    rows[r]["lift"] = with.rows[r].lift;
  }
  return json_reply(Json{{"item_id", id},
                         {"model", {{"spec", snapshot->spec}, {"version", snapshot->version}}},
                         {"buyers", with.buyers},
                         {"items", rows}});
}

Reply get_popular(ServeState& state, const httplib::Request& request) {
  return ranked_list(state, request, false);
}

Reply get_trending(ServeState& state, const httplib::Request& request) {
  return ranked_list(state, request, true);
}

}  // namespace aisle::serve::handlers
