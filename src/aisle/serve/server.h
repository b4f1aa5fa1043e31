// `aisle serve`: the HTTP server. Owns the shared state, the feedback writer (with its store),
// the model manager and the cpp-httplib server configured for load (TCP_NODELAY, long keep-alive,
// a thread pool sized by serve.http_threads, body limit, read timeout).
//
// Lifecycle: construct (opens the store), start() (puts the first model in service and binds;
// throws on a bad model file or an address in use), wait() (blocks while serving), stop() from
// any thread (stops accepting, lets requests in flight finish, commits queued feedback, stops
// retraining). Safe to stop() more than once.
#pragma once

#include <memory>
#include <string>

#include "aisle/config/config.h"

namespace httplib {
class Server;
}

namespace aisle::serve {

struct ServeOptions {
  Config config;
  std::string store_url;  // empty: config.store_url
  // empty: config.model_path when that file exists, else train from the store; must be empty with
  // serve.model_source = "store" (the newest published model is served)
  std::string model_path;
  std::string api_token;  // empty: AISLE_API_TOKEN, else config.serve.api_token
};

class Server {
 public:
  explicit Server(ServeOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds serve.listen (port 0: any free port), then puts the first model in service: a model
  // file now (a bad one throws InputError), or a model trained from the store in the background
  // (/readyz says 503 until it serves). Returns the port bound.
  int start();
  // Serves until stop(); returns after the listener closed and requests in flight finished.
  void wait();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aisle::serve
