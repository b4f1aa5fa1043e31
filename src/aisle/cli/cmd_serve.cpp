// aisle serve [--store URL] [--model FILE | --model-source store] [--listen HOST:PORT] [--retrain-every 1h] [--reports
// DIR] Answers recommendation requests over HTTP (serve/server.h; the routes in serve/routes.cpp, docs/SERVING.md).
// Runs until SIGTERM or SIGINT, then stops accepting, finishes the requests in flight and commits queued feedback
// before it exits.
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "aisle/cli/command.h"
#include "aisle/core/error.h"
#include "aisle/core/timestamp.h"
#include "aisle/serve/server.h"

namespace aisle::cli {

namespace {

int g_signal_pipe[2] = {-1, -1};

void on_signal(int sig) {
  [[maybe_unused]] const auto written = write(g_signal_pipe[1], &sig, sizeof sig);
}

struct ServeFlags {
  std::string store, model, model_source, listen, retrain_every, reports;
  int threads = -1;
  bool log_requests = false;
};

void run_serve(const ServeFlags& flags, const GlobalOptions& global) {
  serve::ServeOptions options;
  options.config = global.load();
  options.store_url = flags.store;
  options.model_path = flags.model;
  ServeSettings& s = options.config.serve;
  if (!flags.listen.empty()) s.listen = flags.listen;
  if (!flags.model_source.empty()) {
    if (flags.model_source != "file" && flags.model_source != "store") {
      throw ConfigError("--model-source: expected file or store, found '" + flags.model_source + "'");
    }
    if (flags.model_source == "store" && !flags.model.empty()) {
      throw ConfigError("--model-source store serves the models published to the store: leave out --model");
    }
    s.model_source = flags.model_source;
  }
  if (!flags.retrain_every.empty()) {
    const auto secs = parse_duration_seconds(flags.retrain_every);
    if (!secs)
      throw ConfigError("--retrain-every: expected a duration like 30m, 1h or 1d, found '" + flags.retrain_every + "'");
    s.retrain_every_seconds = *secs;
  }
  if (flags.threads >= 0) options.config.threads = flags.threads;
  if (flags.log_requests) s.log_requests = true;
  if (!flags.reports.empty()) s.reports = flags.reports;

  const std::string listen = s.listen;
  serve::Server server(std::move(options));
  const int port = server.start();
  // SIGTERM/SIGINT may arrive on any thread (OpenBLAS starts its own before main), so the handler
  // only writes the signal number to a pipe; a waiter thread reads it and stops the server.
  if (pipe(g_signal_pipe) != 0) throw ConfigError("cannot create the signal pipe");
  struct sigaction action {};
  action.sa_handler = on_signal;
  // No SA_RESTART: a stop signal that lands on the accepting thread ends httplib's accept loop with
  // EINTR, which is a stop too (the pool still finishes requests in flight); with SA_RESTART a
  // deferred handler (ThreadSanitizer defers them) would never run.
  action.sa_flags = 0;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  std::fprintf(stderr, "aisle serve: listening on %s (port %d); SIGTERM or Ctrl-C stops\n", listen.c_str(), port);
  // The first signal stops the server on its own thread; a second one while it stops (a fit that
  // cannot stop at once) exits at once: every acknowledged event is committed by then, as after
  // a kill -9.
  std::thread waiter([&] {
    std::thread stopper;
    for (;;) {
      int sig = 0;
      while (read(g_signal_pipe[0], &sig, sizeof sig) < 0 && errno == EINTR) {}
      if (sig <= 0) break;  // the server stopped by itself
      if (stopper.joinable()) {
        std::fprintf(stderr, "aisle serve: signal %d again: exiting now\n", sig);
        std::_Exit(128 + sig);
      }
      std::fprintf(stderr, "aisle serve: stopping (signal %d): finishing requests in flight, committing feedback\n",
                   sig);
      stopper = std::thread([&server] { server.stop(); });
    }
    if (stopper.joinable()) stopper.join();
  });
  server.wait();
  server.stop();
  const int none = 0;
  [[maybe_unused]] const auto written = write(g_signal_pipe[1], &none, sizeof none);  // wakes the waiter
  waiter.join();
  std::fprintf(stderr, "aisle serve: stopped\n");
}

}  // namespace

void add_serve_command(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<ServeFlags>();
  sub.add_option("--store", flags->store, "store for feedback and retraining (default: store.url of the config)");
  sub.add_option("--model", flags->model,
                 "model file to serve (default: model.path of the config when it exists, else a model trained from "
                 "the store)");
  sub.add_option("--model-source", flags->model_source,
                 "file (default: serve.model_source) or store: the newest model published to the store (aisle "
                 "publish), and each newer one as it is published");
  sub.add_option("--listen", flags->listen, "host:port (default: serve.listen, 127.0.0.1:8080; port 0 picks one)");
  sub.add_option("--retrain-every", flags->retrain_every, "retrain from the store this often (30m, 1h, 1d)");
  sub.add_option("--reports", flags->reports,
                 "folder of `aisle evaluate --out` reports for GET /api/reports (default: serve.reports)");
  sub.add_option("--threads", flags->threads, "compute threads (default: run.threads of the config)");
  sub.add_flag("--log-requests", flags->log_requests, "one line per request on stderr");
  sub.callback([flags, &global] { run_serve(*flags, global); });
}

}  // namespace aisle::cli
