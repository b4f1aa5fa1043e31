// The route table: every endpoint of `aisle serve` in one list, with who may call it and the
// handler that answers it. A handler gets the shared state and the request and returns a reply
// or throws (http_error.h maps what it throws).
#pragma once

#include <httplib.h>

#include <span>
#include <string>
#include <string_view>

#include "aisle/serve/serve_state.h"

namespace aisle::serve {

struct Reply {
  Reply() = default;
  Reply(int code, std::string text, std::string type = "application/json")
      : status(code), body(std::move(text)), content_type(std::move(type)) {}

  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  httplib::Headers headers;  // more response headers (ETag, Cache-Control)
};

using Handler = Reply (*)(ServeState& state, const httplib::Request& request);

// kOpen: anyone (health, metrics); kRead: anyone unless serve.open_reads is false; kPrivate (a
// user's history: personal data), kWrite and kAdmin: the bearer token whenever one is set (401
// without one, 403 with a wrong one).
enum class Access { kOpen, kRead, kPrivate, kWrite, kAdmin };

struct Route {
  std::string_view method;   // "GET" or "POST"
  std::string_view pattern;  // httplib's regex form: path parameters are groups
  std::string_view label;    // the pattern as documented, the metrics' route label
  Access access;
  Handler handler;
};

std::span<const Route> route_table();

}  // namespace aisle::serve
