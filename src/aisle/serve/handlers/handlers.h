// The handlers of the route table (routes.cpp), one file per resource:
//   recommendations.cpp  GET /api/recommendations, POST /recommend, POST /api/recommend,
//                        POST /api/session/recommend
//   items.cpp            GET /api/items/{id}, /api/items/{id}/similar, /api/items/{id}/bought-with,
//                        /api/popular, /api/trending
//   models.cpp           GET /api/models (serving, companions, the registry), /api/reports
//   users.cpp            GET /api/users/{id}/history
//   batch.cpp            GET /api/users/{id}/recommendations?source=batch (the store's batches)
//   feedback.cpp         POST /api/feedback
//   system.cpp           GET /api/model, /healthz, /readyz, /metrics, /api, POST /api/admin/reload, /api/admin/retrain
//   experiments.cpp      GET /api/experiments, /api/experiments/{name}, POST /api/admin/experiments,
//                        /api/admin/experiments/{name}/start, /api/admin/experiments/{name}/stop
//   search.cpp           GET /api/items?q= (items by name)
//   stats.cpp            GET /api/stats
//   dashboard.cpp        GET /, /assets/{path} (the embedded web dashboard)
#pragma once

#include "aisle/app/requests.h"
#include "aisle/serve/json_body.h"
#include "aisle/serve/routes.h"

namespace aisle::serve::handlers {

Reply get_recommendations(ServeState& state, const httplib::Request& request);
Reply post_recommend_compat(ServeState& state, const httplib::Request& request);
Reply post_recommend_batch(ServeState& state, const httplib::Request& request);
Reply post_session_recommend(ServeState& state, const httplib::Request& request);

Reply get_item(ServeState& state, const httplib::Request& request);
Reply get_similar(ServeState& state, const httplib::Request& request);
Reply get_bought_with(ServeState& state, const httplib::Request& request);
Reply get_popular(ServeState& state, const httplib::Request& request);
Reply get_trending(ServeState& state, const httplib::Request& request);

Reply get_user_history(ServeState& state, const httplib::Request& request);
Reply get_user_recommendations(ServeState& state, const httplib::Request& request);

Reply post_feedback(ServeState& state, const httplib::Request& request);

Reply get_model(ServeState& state, const httplib::Request& request);
Reply get_models(ServeState& state, const httplib::Request& request);
Reply get_reports(ServeState& state, const httplib::Request& request);
Reply get_healthz(ServeState& state, const httplib::Request& request);
Reply get_readyz(ServeState& state, const httplib::Request& request);
Reply get_metrics(ServeState& state, const httplib::Request& request);
Reply get_index(ServeState& state, const httplib::Request& request);
Reply post_admin_reload(ServeState& state, const httplib::Request& request);
Reply post_admin_retrain(ServeState& state, const httplib::Request& request);

Reply get_item_search(ServeState& state, const httplib::Request& request);
Reply get_stats(ServeState& state, const httplib::Request& request);

Reply get_dashboard(ServeState& state, const httplib::Request& request);
Reply get_web_asset(ServeState& state, const httplib::Request& request);
Reply get_experiments(ServeState& state, const httplib::Request& request);
Reply get_experiment(ServeState& state, const httplib::Request& request);
Reply post_admin_define_experiment(ServeState& state, const httplib::Request& request);
Reply post_admin_start_experiment(ServeState& state, const httplib::Request& request);
Reply post_admin_stop_experiment(ServeState& state, const httplib::Request& request);

// Shared by the handlers: a JSON reply, and request parameters read with the serve limits.
Reply json_reply(const Json& body, int status = 200);
std::string query_param(const httplib::Request& request, const char* name);  // "" when absent
std::size_t query_k(const ServeState& state, const httplib::Request& request);
// category, exclude, include, available_only, keep_seen from the query string.
void read_filter_params(const httplib::Request& request, ItemRequest& out);

}  // namespace aisle::serve::handlers
