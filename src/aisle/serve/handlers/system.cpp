// The service itself: which model serves, health, readiness, metrics, and the admin routes that
// swap models (a reload from a file, a retrain from the store).
#include <ctime>

#include "aisle/core/timestamp.h"
#include "aisle/serve/ann_index.h"
#include "aisle/serve/feedback.h"
#include "aisle/serve/handlers/handlers.h"
#include "aisle/serve/http_error.h"
#include "aisle/serve/model_manager.h"
#include "aisle/serve/recommending.h"

namespace aisle::serve::handlers {

Reply get_model(ServeState& state, const httplib::Request&) {
  const auto snapshot = serving_snapshot(state);
  const TrainedModel& m = *snapshot->model;
  const Provenance& p = m.provenance();
  Json j = Json::object();
  j["kind"] = m.model().kind();
  j["parameters"] = m.model().params();
  j["spec"] = snapshot->spec;
  j["version"] = snapshot->version;
  j["source"] = snapshot->source;
  j["store_version"] = snapshot->store_version == 0 ? Json(nullptr) : Json(snapshot->store_version);
  j["loaded_at"] = format_timestamp(snapshot->loaded_at);
  j["trained_at"] = p.trained_at == 0 ? Json(nullptr) : Json(format_timestamp(p.trained_at));
  j["data_as_of"] = p.data_as_of == 0 ? Json(nullptr) : Json(format_timestamp(p.data_as_of));
  j["data_fingerprint"] = p.data_fingerprint.empty() ? Json(nullptr) : Json(p.data_fingerprint);
  j["aisle_version"] = p.aisle_version.empty() ? Json(nullptr) : Json(p.aisle_version);
  j["users"] = m.users().size();
  j["items"] = m.items().size();
  j["training_pairs"] = m.history().item.size();
  j["cache_depth"] = snapshot->cache.lists.empty() ? 0 : snapshot->cache.depth;
  if (const HnswIndex* ann = snapshot->ann.get()) {
    j["ann"] = {{"kind", "hnsw"},
                {"m", ann->params().m},
                {"ef_construction", ann->params().ef_construction},
                {"ef_search", ann->params().ef_search}};
  } else {
    j["ann"] = nullptr;
  }
  j["live_feedback_users"] = state.live.users();
  return json_reply(j);
}

Reply get_healthz(ServeState&, const httplib::Request&) {
  return json_reply(Json{{"status", "ok"}});
}

Reply get_readyz(ServeState& state, const httplib::Request&) {
  const auto snapshot = state.snapshots.current();
  if (!snapshot || state.stopping) {
    return json_reply(Json{{"status", state.stopping ? "stopping" : "loading"}}, 503);
  }
  return json_reply(Json{{"status", "ready"}, {"model_version", snapshot->version}});
}

Reply get_metrics(ServeState& state, const httplib::Request&) {
  std::string text = state.telemetry.prometheus_text(static_cast<std::int64_t>(std::time(nullptr)));
  if (const auto snapshot = state.snapshots.current()) text += ann_metrics_text(*snapshot);
  return {200, std::move(text), "text/plain; version=0.0.4; charset=utf-8"};
}

Reply get_index(ServeState&, const httplib::Request&) {
  Json routes = Json::array();
  for (const Route& r : route_table()) routes.push_back(std::string(r.method) + " " + std::string(r.label));
  return json_reply(Json{{"service", "aisle"}, {"routes", routes}});
}

// {"path": "model.aislemodel"}: loads the file; a bad file is refused (400) and the serving
// model stays.
Reply post_admin_reload(ServeState& state, const httplib::Request& request) {
  const Json body = parse_body(request.body.empty() ? std::string("{}") : request.body);
  const auto path = id_member(body, "path");
  if (!path) throw bad_field("path", "is required: the model file to load");
  try {
    state.models->load_file(*path);
  } catch (const InputError& e) {
    throw RequestError(400, "model_refused",
                       std::string("the model was not loaded, the serving one stays: ") + e.what(), "path");
  }
  const auto snapshot = serving_snapshot(state);
  return json_reply(Json{{"loaded", *path}, {"version", snapshot->version}, {"spec", snapshot->spec}});
}

// {"model": "als:factors=64"}? : retrains from the store in this request; 409 while another runs.
Reply post_admin_retrain(ServeState& state, const httplib::Request& request) {
  const Json body = parse_body(request.body.empty() ? std::string("{}") : request.body);
  std::string spec;
  if (const auto it = body.find("model"); it != body.end() && !it->is_null()) {
    if (!it->is_string()) throw bad_field("model", "must be a model spec string, e.g. \"als:factors=64\"");
    spec = it->get<std::string>();
  }
  const Retrained r = state.models->retrain(spec);
  Json j = Json::object();
  j["accepted"] = r.accepted;
  j["summary"] = r.comparison.summary;
  j["seconds"] = r.seconds;
  j["comparison"] = {{"users", r.comparison.users},
                     {"candidate_ndcg@10", r.comparison.candidate_ndcg},
                     {"serving_ndcg@10", r.comparison.serving_ndcg}};
  const auto snapshot = serving_snapshot(state);
  j["version"] = snapshot->version;
  j["spec"] = snapshot->spec;
  if (!r.accepted) {
    Json e = Json::parse(
        error_body("model_refused", "the retrained model was refused, the serving one stays: " + r.comparison.summary));
    e["details"] = j;
    return json_reply(e, 409);
  }
  return json_reply(j);
}

}  // namespace aisle::serve::handlers
