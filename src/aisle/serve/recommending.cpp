#include "aisle/serve/recommending.h"

#include <algorithm>

#include "aisle/serve/http_error.h"

namespace aisle::serve {

std::shared_ptr<const Snapshot> serving_snapshot(const ServeState& state) {
  auto snapshot = state.snapshots.current();
  if (!snapshot) throw RequestError(503, "not_ready", "no model is in service yet; try again shortly");
  return snapshot;
}

std::vector<std::string> unlearnt_live_items(const ServeState& state, const Snapshot& snapshot, std::string_view user,
                                             std::vector<std::string>* removed) {
  std::vector<std::string> live = state.live.items_of(user, snapshot.feedback_through, removed);
  const TrainedModel& model = *snapshot.model;
  const UserIdx u = model.users().find(user);
  if (u == kNoIndex || live.empty()) return live;
  const std::span<const ItemIdx> trained = model.history().items_of(u);
  std::erase_if(live, [&](const std::string& item) {
    const ItemIdx i = model.items().find(item);
    return i != kNoIndex && std::binary_search(trained.begin(), trained.end(), i);
  });
  return live;
}

namespace {

// Adds the user's unlearnt live items that the model knows to the request's history.
void add_live_history(const ServeState& state, const Snapshot& snapshot, ItemRequest& request) {
  if (request.user.empty()) return;
  std::vector<std::string> known = unlearnt_live_items(state, snapshot, request.user);
  std::erase_if(known, [&](const std::string& item) { return snapshot.model->items().find(item) == kNoIndex; });
  request.items.insert(request.items.begin(), known.begin(), known.end());
}

// The cached top list answers exactly when the request asks for the default filter (maybe with
// exclusions) over the user's training history only, without explanations, and enough cached
// items survive the exclusions.
bool answer_from_cache(const Snapshot& snapshot, const ItemRequest& r, Served& out) {
  const TopListCache& cache = snapshot.cache;
  if (cache.lists.empty() || r.k > cache.depth || !r.items.empty() || !r.include.empty() || !r.category.empty() ||
      r.keep_seen || r.available_only || r.user.empty() || r.explain) {
    return false;
  }
  const TrainedModel& model = *snapshot.model;
  const UserIdx u = model.users().find(r.user);
  if (u == kNoIndex || u >= cache.lists.size()) return false;
  std::vector<ItemIdx> excluded;
  for (const std::string& id : r.exclude) {
    if (const ItemIdx i = model.items().find(id); i != kNoIndex) excluded.push_back(i);
  }
  const std::vector<Scored>& list = cache.lists[u];
  std::vector<Scored> kept;
  kept.reserve(r.k);
  for (const Scored& s : list) {
    if (kept.size() == r.k) break;
    if (std::find(excluded.begin(), excluded.end(), s.item) == excluded.end()) kept.push_back(s);
  }
  // A list shorter than the depth holds every eligible item; else it must still fill k.
  if (kept.size() < r.k && list.size() == cache.depth) return false;
  out.answer.served_as = ServedAs::kModel;
  out.answer.items = describe(model, kept);
  if (kept.size() < r.k) out.answer.notes.push_back(fewer_items_note(model, kept.size(), r.k));
  out.from_cache = true;
  return true;
}

}  // namespace

Served serve_one(const ServeState& state, const Snapshot& snapshot, ItemRequest request) {
  add_live_history(state, snapshot, request);
  Served out;
  if (answer_from_cache(snapshot, request, out)) return out;
  out.answer = recommend(*snapshot.model, request, snapshot.ann.get());
  return out;
}

std::vector<Served> serve_batch(const ServeState& state, const Snapshot& snapshot, std::vector<ItemRequest> requests,
                                std::vector<std::exception_ptr>& errors) {
  errors.assign(requests.size(), nullptr);
  std::vector<Served> out(requests.size());
  std::vector<ResolvedRequest> resolved;
  std::vector<std::size_t> resolved_of;
  for (std::size_t r = 0; r < requests.size(); ++r) {
    add_live_history(state, snapshot, requests[r]);
    if (answer_from_cache(snapshot, requests[r], out[r])) continue;
    try {
      resolved.push_back(resolve_request(*snapshot.model, requests[r]));
      resolved_of.push_back(r);
    } catch (...) {
      errors[r] = std::current_exception();
    }
  }
  std::vector<Answer> answers = answer_resolved(*snapshot.model, resolved, state.compute, snapshot.ann.get());
  for (std::size_t i = 0; i < answers.size(); ++i) out[resolved_of[i]].answer = std::move(answers[i]);
  return out;
}

Json served_json(const Served& served, const Snapshot& snapshot, std::string_view user) {
  Json j = Json::object();
  j["user_id"] = user.empty() ? Json(nullptr) : Json(std::string(user));
  j["model"] = {{"spec", snapshot.spec}, {"version", snapshot.version}};
  j["served_as"] = served_as_name(served.answer.served_as);
  j["items"] = item_rows_json(served.answer.items);
  j["warnings"] = served.answer.notes;
  return j;
}

}  // namespace aisle::serve
