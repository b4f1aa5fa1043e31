// The one place errors become HTTP answers (as cli/main.cpp is the one place they become exit
// codes). Handlers throw: RequestError for what only HTTP knows (a body too large, a missing
// token), the library's typed errors (core/error.h) for everything else. Every error answer has
// the body {"error": {"code", "message", "field"}}; `field` is null when no one field is at fault.
#pragma once

#include <exception>
#include <string>

#include "aisle/core/error.h"

namespace aisle::serve {

// An error of the request itself, with the status it earns and the field at fault.
class RequestError : public Error {
 public:
  RequestError(int status, std::string code, std::string message, std::string field = {})
      : Error(std::move(message)), status_(status), code_(std::move(code)), field_(std::move(field)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::string& field() const { return field_; }

 private:
  int status_;
  std::string code_, field_;
};

// A 400 naming the field: `field` must be ... (the common case of request parsing).
RequestError bad_field(std::string field, std::string message);

struct ErrorReply {
  int status = 500;
  std::string body;    // {"error": {...}}
  std::string detail;  // for the server log on a 5xx (never sent: it may show internals)
};

// The map: RequestError -> its status; NotFound -> 404; ConfigError and InputError -> 400;
// StoreError -> 503; FitError -> 422; anything else -> 500 (message kept out of the body).
// Call from inside a catch block with std::current_exception().
ErrorReply error_reply(const std::exception_ptr& error);

// The error body for a status and message (what the route layer uses for 404 route / 405).
std::string error_body(std::string_view code, std::string_view message, std::string_view field = {});

}  // namespace aisle::serve
