#include "aisle/serve/routes.h"

#include <array>

#include "aisle/serve/handlers/handlers.h"

namespace aisle::serve {

std::span<const Route> route_table() {
  static const std::array<Route, 30> kRoutes = {{
      {"GET", "/api/recommendations", "/api/recommendations", Access::kRead, handlers::get_recommendations},
      {"POST", "/recommend", "/recommend", Access::kRead, handlers::post_recommend_compat},
      {"POST", "/api/recommend", "/api/recommend", Access::kRead, handlers::post_recommend_batch},
      {"POST", "/api/session/recommend", "/api/session/recommend", Access::kRead, handlers::post_session_recommend},
      {"GET", "/api/items", "/api/items", Access::kRead, handlers::get_item_search},
      {"GET", R"(/api/items/([^/]+))", "/api/items/{id}", Access::kRead, handlers::get_item},
      {"GET", R"(/api/items/([^/]+)/similar)", "/api/items/{id}/similar", Access::kRead, handlers::get_similar},
      {"GET", R"(/api/items/([^/]+)/bought-with)", "/api/items/{id}/bought-with", Access::kRead,
       handlers::get_bought_with},
      {"GET", R"(/api/users/([^/]+)/history)", "/api/users/{id}/history", Access::kPrivate, handlers::get_user_history},
      {"GET", R"(/api/users/([^/]+)/recommendations)", "/api/users/{id}/recommendations", Access::kRead,
       handlers::get_user_recommendations},
      {"GET", "/api/popular", "/api/popular", Access::kRead, handlers::get_popular},
      {"GET", "/api/trending", "/api/trending", Access::kRead, handlers::get_trending},
      {"POST", "/api/feedback", "/api/feedback", Access::kWrite, handlers::post_feedback},
      {"GET", "/api/model", "/api/model", Access::kRead, handlers::get_model},
      {"GET", "/api/models", "/api/models", Access::kRead, handlers::get_models},
      {"GET", "/api/reports", "/api/reports", Access::kRead, handlers::get_reports},
      {"GET", "/api/stats", "/api/stats", Access::kRead, handlers::get_stats},
      {"POST", "/api/admin/reload", "/api/admin/reload", Access::kAdmin, handlers::post_admin_reload},
      {"POST", "/api/admin/retrain", "/api/admin/retrain", Access::kAdmin, handlers::post_admin_retrain},
      {"GET", "/api/experiments", "/api/experiments", Access::kRead, handlers::get_experiments},
      {"GET", R"(/api/experiments/([^/]+))", "/api/experiments/{name}", Access::kRead, handlers::get_experiment},
      {"POST", "/api/admin/experiments", "/api/admin/experiments", Access::kAdmin,
       handlers::post_admin_define_experiment},
      {"POST", R"(/api/admin/experiments/([^/]+)/start)", "/api/admin/experiments/{name}/start", Access::kAdmin,
       handlers::post_admin_start_experiment},
      {"POST", R"(/api/admin/experiments/([^/]+)/stop)", "/api/admin/experiments/{name}/stop", Access::kAdmin,
       handlers::post_admin_stop_experiment},
      {"GET", "/healthz", "/healthz", Access::kOpen, handlers::get_healthz},
      {"GET", "/readyz", "/readyz", Access::kOpen, handlers::get_readyz},
      {"GET", "/metrics", "/metrics", Access::kOpen, handlers::get_metrics},
      {"GET", "/", "/", Access::kOpen, handlers::get_dashboard},
      {"GET", R"(/assets/(.+))", "/assets/{path}", Access::kOpen, handlers::get_web_asset},
      {"GET", "/api", "/api", Access::kOpen, handlers::get_index},
  }};
  return kRoutes;
}

}  // namespace aisle::serve
