#include "aisle/serve/server.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "aisle/app/training_data.h"
#include "aisle/core/parallel.h"
#include "aisle/core/text.h"
#include "aisle/serve/batch_lists.h"
#include "aisle/serve/companions.h"
#include "aisle/serve/experiments.h"
#include "aisle/serve/feedback.h"
#include "aisle/serve/http_error.h"
#include "aisle/serve/model_manager.h"
#include "aisle/serve/routes.h"
#include "aisle/serve/store_follower.h"
#include "aisle/store/event_store.h"

namespace aisle::serve {

namespace {

struct Listen {
  std::string host;
  int port = 8080;
};

Listen parse_listen(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) throw ConfigError("serve.listen: expected host:port, found '" + text + "'");
  Listen l;
  l.host = text.substr(0, colon);
  if (l.host.size() >= 2 && l.host.front() == '[' && l.host.back() == ']') l.host = l.host.substr(1, l.host.size() - 2);
  const auto port = parse_int(text.substr(colon + 1));
  if (l.host.empty() || !port || *port < 0 || *port > 65535) {
    throw ConfigError("serve.listen: expected host:port with a port from 0 to 65535, found '" + text + "'");
  }
  l.port = static_cast<int>(*port);
  return l;
}

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "::1" || host == "localhost";
}

// Constant-time comparison, so a wrong token's timing says nothing of the right one.
bool same_token(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ b[i % (b.empty() ? 1 : b.size())]);
  return diff == 0;
}

// Throws 401/403 when the route needs a token the request does not carry.
void check_access(const ServeState& state, Access access, const httplib::Request& request) {
  if (access == Access::kOpen) return;
  if (access == Access::kRead && state.config.serve.open_reads) return;
  if (state.api_token.empty()) return;  // only possible on loopback (Server::start refuses otherwise)
  const std::string header = request.get_header_value("Authorization");
  constexpr std::string_view kBearer = "bearer ";  // the scheme is case-insensitive (RFC 9110 11.1)
  if (header.size() <= kBearer.size() || to_lower(std::string_view(header).substr(0, kBearer.size())) != kBearer) {
    throw RequestError(401, "unauthorized", "this route needs the header Authorization: Bearer <token>");
  }
  if (!same_token(std::string_view(header).substr(kBearer.size()), state.api_token)) {
    throw RequestError(403, "forbidden", "the bearer token is not this server's");
  }
}

std::string status_code_name(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 404:
      return "no_such_route";
    case 405:
      return "method_not_allowed";
    case 413:
      return "body_too_large";
    case 414:
      return "uri_too_long";
    default:
      return "http_" + std::to_string(status);
  }
}

}  // namespace

struct Server::Impl {
  ServeOptions options;
  ServeState state;
  std::unique_ptr<EventStore> store;
  std::unique_ptr<FeedbackWriter> feedback;
  std::unique_ptr<ModelManager> models;
  std::unique_ptr<Experiments> experiments;
  std::unique_ptr<Companions> companions;
  std::unique_ptr<StoreFollower> follower;
  std::unique_ptr<BatchLists> batch_lists;
  httplib::Server http;
  std::thread startup;
  std::mutex stop_mutex;
  bool stopped = false;
  std::atomic<bool> waiting{false}, wait_done{false};

  void dispatch(const Route& route, const httplib::Request& req, httplib::Response& res);
  void configure_http();
};

void Server::Impl::dispatch(const Route& route, const httplib::Request& req, httplib::Response& res) {
  const auto start = std::chrono::steady_clock::now();
  Reply reply;
  try {
    check_access(state, route.access, req);
    reply = route.handler(state, req);
  } catch (...) {
    ErrorReply e = error_reply(std::current_exception());
    if (e.status >= 500) {
      std::fprintf(stderr, "aisle serve: %s %s: %d: %s\n", req.method.c_str(), printable(req.path).c_str(), e.status,
                   e.detail.c_str());
    }
    reply = {e.status, std::move(e.body), "application/json"};
    if (e.status == 401) res.set_header("WWW-Authenticate", "Bearer");
  }
  res.status = reply.status;
  for (const auto& [name, value] : reply.headers) res.set_header(name, value);
  res.set_content(std::move(reply.body), reply.content_type.c_str());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  state.telemetry.observe_request(route.label, reply.status, seconds);
  if (state.config.serve.log_requests) {
    std::fprintf(stderr, "aisle serve: %s %s %d %.3f ms\n", req.method.c_str(), printable(req.path).c_str(),
                 reply.status, seconds * 1e3);
  }
}

void Server::Impl::configure_http() {
  const ServeSettings& s = state.config.serve;
  http.set_tcp_nodelay(true);
  http.set_keep_alive_max_count(s.keep_alive_max_requests);
  http.set_keep_alive_timeout(s.read_timeout_seconds);
  http.set_read_timeout(s.read_timeout_seconds, 0);
  http.set_write_timeout(s.read_timeout_seconds, 0);
  http.set_payload_max_length(s.max_body_bytes);
  const auto threads = static_cast<std::size_t>(s.http_threads);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  for (const Route& route : route_table()) {
    auto handler = [this, &route](const httplib::Request& req, httplib::Response& res) { dispatch(route, req, res); };
    if (route.method == "GET") {
      http.Get(std::string(route.pattern), handler);
    } else {
      http.Post(std::string(route.pattern), handler);
    }
  }
  // Before a body is read: the body limit only holds for a body of declared length in plain
  // bytes (httplib would inflate gzip/brotli and read chunked bodies without a bound).
  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    const auto refuse = [&](int status, std::string_view code, const std::string& message) {
      res.status = status;
      res.set_header("Connection", "close");
      res.set_content(error_body(code, message), "application/json");
      state.telemetry.observe_request("(refused)", status, 0);
      return httplib::Server::HandlerResponse::Handled;
    };
    const std::string encoding = to_lower(trim(req.get_header_value("Content-Encoding")));
    if (!encoding.empty() && encoding != "identity") {
      return refuse(415, "unsupported_encoding",
                    "compressed request bodies are not accepted (Content-Encoding: " + printable(encoding) + ")");
    }
    if (req.method == "POST" && !req.has_header("Content-Length")) {
      return refuse(411, "length_required", "a POST needs a Content-Length header (chunked bodies are not accepted)");
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // What httplib answers by itself (no route, a body over the limit, a malformed request) gets
  // the same error body as everything else.
  http.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    std::string message = "no route " + req.method + " " + printable(req.path) + " (GET /api lists them)";
    if (res.status == 413) {
      message = "the body is larger than serve.max_body_bytes (" + std::to_string(state.config.serve.max_body_bytes) +
                " bytes)";
    } else if (res.status == 400) {
      message = "malformed HTTP request";
    }
    res.set_content(error_body(status_code_name(res.status), message), "application/json");
    state.telemetry.observe_request("(unmatched)", res.status, 0);
  });
}

Server::Server(ServeOptions options) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.options = std::move(options);
  m.state.config = m.options.config;
  m.state.compute = RunContext(std::max(1, resolve_threads(m.state.config.threads) - 1), m.state.config.seed);
  if (!m.options.api_token.empty()) {
    m.state.api_token = m.options.api_token;
  } else if (const char* env = std::getenv("AISLE_API_TOKEN"); env != nullptr && *env != '\0') {
    m.state.api_token = env;
  } else {
    m.state.api_token = m.state.config.serve.api_token;
  }
  const std::string url = store_url(m.options.store_url, m.state.config);
  m.store = open_store(url, OpenMode::kCreate);
  m.feedback = std::make_unique<FeedbackWriter>(
      [store = m.store.get(), &run = m.state.feedback_run,
       &replay = m.state.replay](std::span<const FeedbackEvent> events) {
        std::vector<LiveEvent> rows;
        rows.reserve(events.size());
        for (const FeedbackEvent& e : events) {
          LiveEvent row;
          row.user = e.user;
          row.item = e.item;
          row.type = e.type;
          row.session = e.session;
          row.time = e.time;
          row.value = e.value;
          rows.push_back(std::move(row));
        }
        if (run.load() != 0) {
          store->append(rows);
          return;
        }
        // The first append creates this process's run: readers of the replay must learn its id
        // before they can see its events (ServeState::replay).
        std::lock_guard lock(replay.mutex);
        run = store->append(rows).run_id;
      },
      [this](std::span<const FeedbackEvent> events, std::uint64_t first_seq) {
        impl_->state.telemetry.feedback_commits++;
        for (std::size_t i = 0; i < events.size(); ++i) {
          impl_->state.live.add(events[i].user, events[i].item, events[i].weight, events[i].time, first_seq + i);
        }
      },
      m.state.config.serve.feedback_max_batch);
  m.state.feedback = m.feedback.get();
  m.models = std::make_unique<ModelManager>(m.state, url);
  m.state.models = m.models.get();
  m.experiments = std::make_unique<Experiments>(m.state, url);
  m.state.experiments = m.experiments.get();
  m.companions = std::make_unique<Companions>(m.state, url);
  m.state.companions = m.companions.get();
  m.follower = std::make_unique<StoreFollower>(m.state, url);
  m.batch_lists = std::make_unique<BatchLists>(url);
  m.state.batch_lists = m.batch_lists.get();
  m.configure_http();
}

Server::~Server() {
  stop();
  if (impl_->startup.joinable()) impl_->startup.join();
}

int Server::start() {
  Impl& m = *impl_;
  const Listen listen = parse_listen(m.state.config.serve.listen);
  if (!is_loopback(listen.host) && m.state.api_token.empty()) {
    throw ConfigError("serve.listen " + m.state.config.serve.listen +
                      " is reachable from other machines: set AISLE_API_TOKEN (or serve.api_token) so that feedback "
                      "and admin routes need a token");
  }
  const bool from_store = m.state.config.serve.model_source == "store";
  if (from_store && !m.options.model_path.empty()) {
    throw ConfigError("serve.model_source = \"store\" serves the models published to the store: give no model file");
  }
  if (from_store && m.state.config.serve.retrain_every_seconds > 0) {
    throw ConfigError(
        "serve.model_source = \"store\" and serve.retrain_every exclude each other: a server that serves published "
        "models does not train its own (aisle train --publish)");
  }
  std::string model_path = m.options.model_path;
  if (model_path.empty() && !from_store && std::filesystem::exists(m.state.config.model_path)) {
    model_path = m.state.config.model_path;
  }
  if (from_store) {
    // The newest published model now (a bad one fails the start); newer ones as they come.
    const std::int64_t latest = open_store(m.models->store_url(), OpenMode::kExisting)->latest_model_version();
    if (latest > 0) {
      m.models->load_published(latest);
    } else {
      std::fprintf(stderr, "aisle serve: no model published in %s yet; serving none until one is (aisle publish)\n",
                   m.models->store_url().c_str());
    }
  } else if (!model_path.empty()) {
    m.models->load_file(model_path);  // a bad file fails the start
  }
  m.experiments->start();  // so does a bad set of experiments
  m.companions->start();   // a companion that cannot be had says so in GET /api/models; the start goes on
  int port = listen.port;
  if (port == 0) {
    port = m.http.bind_to_any_port(listen.host);
    if (port < 0) throw ConfigError("serve.listen: cannot bind " + listen.host + " (any port)");
  } else if (!m.http.bind_to_port(listen.host, port)) {
    throw ConfigError("serve.listen: cannot bind " + m.state.config.serve.listen + " (in use, or not an address here)");
  }
  if (model_path.empty() && !from_store) {
    m.startup = std::thread([&m] {
      try {
        m.models->retrain("");
      } catch (const std::exception& e) {
        std::fprintf(stderr, "aisle serve: no model file and no model could be trained from %s: %s\n",
                     m.models->store_url().c_str(), e.what());
      }
    });
  }
  if (m.state.config.serve.retrain_every_seconds > 0)
    m.models->start_schedule(m.state.config.serve.retrain_every_seconds);
  m.follower->start();  // a PostgreSQL store that cannot be listened to fails the start
  return port;
}

void Server::wait() {
  Impl& m = *impl_;
  {
    std::lock_guard lock(m.stop_mutex);
    if (m.stopped) return;
    m.waiting = true;
  }
  if (!m.http.listen_after_bind()) std::fprintf(stderr, "aisle serve: the listener stopped with an error\n");
  m.wait_done = true;
}

void Server::stop() {
  Impl& m = *impl_;
  std::lock_guard lock(m.stop_mutex);
  if (m.stopped) return;
  m.stopped = true;
  m.state.stopping = true;
  m.models->cancel();  // before waiting for requests: an admin retrain in flight ends with 503
  if (m.waiting) {
    // httplib ignores stop() until its accept loop runs: wait for that, then stop it; its
    // listen returns once the requests in flight have finished (the pool is joined).
    while (!m.wait_done && !m.http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    m.http.stop();
    while (!m.wait_done) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // Only now: feedback requests in flight have had their commits. Then the models: a fit that
  // cannot stop at once (one long LAPACK call) holds nothing that needs saving.
  m.follower->stop();
  m.experiments->stop();
  m.companions->stop();
  m.feedback->close();
  m.models->stop();
}

}  // namespace aisle::serve
