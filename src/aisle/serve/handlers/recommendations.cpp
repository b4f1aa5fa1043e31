// Recommendations: for a user (known, cold, or known only from live feedback), for a batch of
// requests each with its own filter and k, and for an anonymous session.
#include <ctime>

#include "aisle/serve/companions.h"
#include "aisle/serve/experiments.h"
#include "aisle/serve/handlers/handlers.h"
#include "aisle/serve/http_error.h"
#include "aisle/serve/recommending.h"

namespace aisle::serve::handlers {

namespace {

// An ItemRequest from a JSON object: user_id, items (or product_ids), category, exclude,
// include, available_only, keep_seen, explain and k (or `k_name`).
ItemRequest request_from_json(const ServeState& state, const Json& body, std::string_view k_name = "k") {
  if (!body.is_object()) throw bad_field("body", "must be a JSON object");
  ItemRequest r;
  if (auto user = id_member(body, "user_id")) r.user = *user;
  r.items = id_list_member(body, "items");
  if (r.items.empty()) r.items = id_list_member(body, "product_ids");
  if (auto category = id_member(body, "category")) r.category = *category;
  r.exclude = id_list_member(body, "exclude");
  r.include = id_list_member(body, "include");
  r.available_only = bool_member(body, "available_only").value_or(false);
  r.keep_seen = bool_member(body, "keep_seen").value_or(false);
  r.explain = bool_member(body, "explain").value_or(false);
  r.k = k_member(body, k_name, 10, state.config.serve.max_k);
  r.unknown_ids_warn = true;
  return r;
}

// A request from a visitor (the user id, or an anonymous visitor's session id) that a running
// experiment takes is answered by its arm and logged; every other request by the serving model.
Reply answer_one(ServeState& state, ItemRequest request, const std::string& visitor = {}, bool anonymous = false) {
  if (state.experiments != nullptr && !visitor.empty()) {
    const auto now = static_cast<Timestamp>(std::time(nullptr));
    if (const auto exposure = state.experiments->exposure(visitor, now)) {
      return json_reply(state.experiments->serve(*exposure, std::move(request), visitor, anonymous, now));
    }
  }
  const auto snapshot = serving_snapshot(state);
  const std::string user = request.user;
  const Served served = serve_one(state, *snapshot, std::move(request));
  (served.from_cache ? state.telemetry.cache_hits : state.telemetry.cache_misses)++;
  return json_reply(served_json(served, *snapshot, user));
}

}  // namespace

Reply get_recommendations(ServeState& state, const httplib::Request& request) {
  ItemRequest r;
  if (!request.has_param("user_id")) throw bad_field("user_id", "is required (GET /api/recommendations?user_id=U)");
  r.user = checked_id(request.get_param_value("user_id"), "user_id");
  r.k = query_k(state, request);
  read_filter_params(request, r);
  r.explain = checked_flag(query_param(request, "explain"), "explain");
  const std::string visitor = r.user;
  return answer_one(state, std::move(r), visitor);
}

// The request shape of the well-known Flask example: {"user_id": "10000", "num_recommendations": 5}.
Reply post_recommend_compat(ServeState& state, const httplib::Request& request) {
  const Json body = parse_body(request.body);
  ItemRequest r = request_from_json(state, body, body.contains("num_recommendations") ? "num_recommendations" : "k");
  if (r.user.empty() && r.items.empty()) throw bad_field("user_id", "is required");
  const bool anonymous = r.user.empty();
  const std::string visitor = anonymous ? id_member(body, "session_id").value_or("") : r.user;
  return answer_one(state, std::move(r), visitor, anonymous);
}

// {"requests": [{...}, ...]} (or a bare array): each answered with its own filter and k through
// one batch call; a request that cannot be served gets {"error": {...}} in its place.
Reply post_recommend_batch(ServeState& state, const httplib::Request& request) {
  const Json body = parse_body(request.body);
  const Json* list = &body;
  if (body.is_object()) {
    const auto it = body.find("requests");
    if (it == body.end()) throw bad_field("requests", "is required (an array of requests)");
    list = &*it;
  }
  if (!list->is_array()) throw bad_field("requests", "must be an array of requests");
  if (list->size() > state.config.serve.max_batch) {
    throw bad_field("requests", "holds " + std::to_string(list->size()) + " requests; at most serve.max_batch = " +
                                    std::to_string(state.config.serve.max_batch) + " are answered in one call");
  }
  std::vector<ItemRequest> requests;
  requests.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    try {
      requests.push_back(request_from_json(state, (*list)[i]));
    } catch (const RequestError& e) {
      throw RequestError(400, e.code(), "requests[" + std::to_string(i) + "]." + e.what(),
                         "requests[" + std::to_string(i) + "]." + e.field());
    }
  }
  const auto snapshot = serving_snapshot(state);
  std::vector<std::exception_ptr> errors;
  const std::vector<Served> served = serve_batch(state, *snapshot, requests, errors);
  Json results = Json::array();
  for (std::size_t i = 0; i < served.size(); ++i) {
    if (errors[i]) {
      results.push_back(Json::parse(error_reply(errors[i]).body));
      continue;
    }
    (served[i].from_cache ? state.telemetry.cache_hits : state.telemetry.cache_misses)++;
    results.push_back(served_json(served[i], *snapshot, requests[i].user));
  }
  return json_reply(Json{{"model", {{"spec", snapshot->spec}, {"version", snapshot->version}}}, {"results", results}});
}

// {"items": [...], "times": [...]?, "events": [...]?, "k", "category", "exclude", ...}: an
// anonymous session, newest item last. Unknown items are ignored and listed under warnings.
Reply post_session_recommend(ServeState& state, const httplib::Request& request) {
  const Json body = parse_body(request.body);
  ItemRequest r = request_from_json(state, body);
  if (!r.user.empty()) throw bad_field("user_id", "a session is anonymous: use /api/recommendations for a user");
  if (r.items.empty()) throw bad_field("items", "is required: the session's items, newest last");
  if (const auto times = body.find("times"); times != body.end() && !times->is_null()) {
    if (!times->is_array() || times->size() != r.items.size()) {
      throw bad_field("times", "must be an array with one time (unix seconds) per item");
    }
    for (std::size_t i = 0; i < times->size(); ++i) {
      if (!(*times)[i].is_number()) throw bad_field("times[" + std::to_string(i) + "]", "must be unix seconds");
      r.times.push_back(static_cast<Timestamp>((*times)[i].get<double>()));
    }
  }
  r.session = true;
  if (const auto events = body.find("events"); events != body.end() && !events->is_null()) {
    if (!events->is_array() || events->size() != r.items.size()) {
      throw bad_field("events", "must be an array with one event type per item");
    }
  }
  // "model": NAME asks a companion model (serve.companions; "serving": the serving model) for
  // this session, outside any experiment: the dashboard shows the models side by side.
  if (const auto model = id_member(body, "model"); model && *model != "serving") {
    if (state.companions == nullptr) throw bad_field("model", "no model '" + *model + "': no companion models here");
    const std::shared_ptr<const Snapshot> companion = state.companions->ready(*model);
    const Served served = serve_one(state, *companion, std::move(r));
    Json answer = served_json(served, *companion, "");
    answer["model"]["name"] = *model;
    answer["model"].erase("version");  // versions count the serving model's swaps only
    return json_reply(answer);
  }
  // An anonymous visitor is known to experiments by the session id alone.
  const std::string visitor = id_member(body, "session_id").value_or("");
  if (body.contains("model")) return answer_one(state, std::move(r));  // "serving": the serving model, no experiment
  return answer_one(state, std::move(r), visitor, true);
}

}  // namespace aisle::serve::handlers
