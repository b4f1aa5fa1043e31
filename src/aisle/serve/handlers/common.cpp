// Helpers the handlers share (declared in handlers.h).
#include "aisle/core/json_text.h"
#include "aisle/core/text.h"
#include "aisle/serve/handlers/handlers.h"

namespace aisle::serve::handlers {

Reply json_reply(const Json& body, int status) {
  return {status, json_text(body), "application/json"};
}

std::string query_param(const httplib::Request& request, const char* name) {
  return request.has_param(name) ? request.get_param_value(name) : std::string();
}

std::size_t query_k(const ServeState& state, const httplib::Request& request) {
  if (!request.has_param("k")) return 10;
  return checked_k(request.get_param_value("k"), "k", state.config.serve.max_k);
}

void read_filter_params(const httplib::Request& request, ItemRequest& out) {
  out.unknown_ids_warn = true;
  if (const std::string category = query_param(request, "category"); !trim(category).empty()) {
    out.category = checked_id(category, "category");
  }
  out.exclude = id_csv(query_param(request, "exclude"), "exclude");
  out.include = id_csv(query_param(request, "include"), "include");
  out.available_only = checked_flag(query_param(request, "available_only"), "available_only");
  out.keep_seen = checked_flag(query_param(request, "keep_seen"), "keep_seen");
}

}  // namespace aisle::serve::handlers
