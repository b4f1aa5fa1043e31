#include "aisle/serve/http_error.h"

#include <nlohmann/json.hpp>

#include "aisle/core/json_text.h"

namespace aisle::serve {

RequestError bad_field(std::string field, std::string message) {
  return RequestError(400, "bad_request", field + ": " + message, field);
}

std::string error_body(std::string_view code, std::string_view message, std::string_view field) {
  nlohmann::ordered_json e;
  e["code"] = code;
  e["message"] = message;
  e["field"] = field.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(field);
  return json_text(nlohmann::ordered_json{{"error", e}});
}

ErrorReply error_reply(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const RequestError& e) {
    return {e.status(), error_body(e.code(), e.what(), e.field()), {}};
  } catch (const NotFound& e) {
    return {404, error_body("not_found", e.what()), {}};
  } catch (const ConfigError& e) {
    return {400, error_body("bad_request", e.what()), {}};
  } catch (const InputError& e) {
    return {400, error_body("bad_input", e.what()), {}};
  } catch (const StoreError& e) {
    return {503, error_body("store_unavailable", "the store cannot be written or read now; try again"), e.what()};
  } catch (const Cancelled& e) {
    return {503, error_body("stopping", "the server is stopping; the work was cancelled"), e.what()};
  } catch (const FitError& e) {
    return {422, error_body("fit_failed", e.what()), {}};
  } catch (const std::bad_alloc&) {
    return {503, error_body("out_of_memory", "the server is out of memory"), "out of memory"};
  } catch (const std::exception& e) {
    return {500, error_body("internal", "internal error (the server log has the details)"), e.what()};
  } catch (...) {
    return {500, error_body("internal", "internal error"), "unknown exception"};
  }
}

}  // namespace aisle::serve
