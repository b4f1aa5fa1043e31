// aisle replay (--events F... [--format F] | --store URL) [--from TIME] [--server URL] [--k 10]
//              [--visitors N] [--token T]
// Feeds a held-out part of a log to a running `aisle serve` as visitors, so that an online
// experiment runs end to end on real data (docs/EXPERIMENTS.md, "Replaying a log"): for each
// user of the held-out events (those at or after --from; every event when it is not given), in
// the order of their first held-out event, one recommendation request, then the user's held-out
// events as feedback, in time order. Then it prints the report of every experiment that ran.
// The server's model should know nothing of the held-out events (train it on the part before).
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>

#include "aisle/app/training_data.h"
#include "aisle/cli/command.h"
#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/core/timestamp.h"

namespace aisle::cli {

namespace {

using Json = nlohmann::json;

struct ReplayFlags {
  DataSource source;
  std::string from;
  std::string server = "http://127.0.0.1:8080";
  std::string token;
  std::size_t k = 10;
  std::size_t visitors = 0;  // 0: every user of the held-out events
};

// One user's held-out events, in time order.
struct Visitor {
  std::string user;
  std::vector<const Event*> events;
};

std::vector<Visitor> held_out_visitors(const EventLog& log, Timestamp from) {
  std::vector<const Event*> held;
  for (const Event& e : log.events) {
    if (e.time >= from) held.push_back(&e);
  }
  std::stable_sort(held.begin(), held.end(), [](const Event* a, const Event* b) { return a->time < b->time; });
  std::vector<Visitor> out;
  std::vector<std::size_t> slot(log.users.size(), SIZE_MAX);
  // Visitors come in the order of their first held-out event.
  for (const Event* event : held) {
    const Event& e = *event;
    if (slot[e.user] == SIZE_MAX) {
      slot[e.user] = out.size();
      out.push_back({std::string(log.users.name(e.user)), {}});
    }
    out[slot[e.user]].events.push_back(&e);
  }
  return out;
}

std::string fixed(double v, int digits = 4) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// One line per arm of an A/B report, or the interleaving summary.
void print_report(const Json& r) {
  std::printf("experiment %s (%s, %s): %s impressions\n", r["name"].get<std::string>().c_str(),
              r["mode"].get<std::string>().c_str(), r["state"].get<std::string>().c_str(),
              std::to_string(r["impressions"].get<long long>()).c_str());
  if (r.contains("interleaving")) {
    const Json& x = r["interleaving"];
    std::printf("  visitors %lld, preferring %s: %lld, %s: %lld, neither: %lld; delta %s, sign test p %s\n",
                x["visitors"].get<long long>(), x["arms"][0].get<std::string>().c_str(),
                x["prefer"][x["arms"][0].get<std::string>()].get<long long>(), x["arms"][1].get<std::string>().c_str(),
                x["prefer"][x["arms"][1].get<std::string>()].get<long long>(), x["prefer"]["tie"].get<long long>(),
                fixed(x["delta"].get<double>()).c_str(), fixed(x["p_value"].get<double>()).c_str());
    return;
  }
  for (const Json& arm : r["arms"]) {
    std::string line = "  " + arm["name"].get<std::string>() + (arm["control"].get<bool>() ? " (control)" : "") + ": " +
                       std::to_string(arm["visitors"].get<long long>()) + " visitors";
    for (const char* metric : {"click_rate", "add_to_cart_rate", "purchase_rate"}) {
      const Json& m = arm[metric];
      line += std::string(", ") + metric + " " + fixed(m["value"].get<double>()) + " [" + fixed(m["lo"].get<double>()) +
              ", " + fixed(m["hi"].get<double>()) + "]";
      if (arm.contains("vs_control")) {
        const Json& c = arm["vs_control"][metric];
        line += " lift " + fixed(100 * c["lift"].get<double>(), 1) + "% p " + fixed(c["p_value"].get<double>()) +
                " (always-valid p " + fixed(c["sequential_p_value"].get<double>()) + ")";
      }
    }
    std::printf("%s\n", line.c_str());
  }
  const Json& srm = r["sample_ratio"];
  std::printf("  sample ratio: chi-squared %s, p %s%s\n", fixed(srm["chi_squared"].get<double>(), 2).c_str(),
              fixed(srm["p_value"].get<double>()).c_str(),
              srm["mismatch"].get<bool>() ? " -- MISMATCH: the split is broken; do not trust the lifts" : "");
}

void run_replay(const ReplayFlags& flags, const GlobalOptions& global) {
  const Config config = global.load();
  ReadOptions options = config.read_options();
  const LoadedEvents loaded = load_events(flags.source, config, options);
  Timestamp from = std::numeric_limits<Timestamp>::min();
  if (!flags.from.empty()) {
    const auto t = parse_timestamp(flags.from, TimeFormat::kAuto);
    if (!t) throw ConfigError("--from: expected a time (ISO 8601 or unix seconds), found '" + flags.from + "'");
    from = *t;
  }
  std::vector<Visitor> visitors = held_out_visitors(loaded.log, from);
  if (visitors.empty()) throw InputError(loaded.description + ": no events at or after --from to replay");
  if (flags.visitors > 0 && visitors.size() > flags.visitors) visitors.resize(flags.visitors);

  httplib::Client client(flags.server);
  if (!client.is_valid()) throw ConfigError("--server: not an http URL: '" + flags.server + "'");
  client.set_read_timeout(30, 0);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);  // else every request waits on Nagle's algorithm (docs STACK.md)
  httplib::Headers headers;
  std::string token = flags.token;
  if (token.empty()) {
    if (const char* env = std::getenv("AISLE_API_TOKEN")) token = env;
  }
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);

  const auto started = std::chrono::steady_clock::now();
  std::size_t in_experiment = 0, events_sent = 0;
  for (const Visitor& v : visitors) {
    const std::string path =
        "/api/recommendations?user_id=" + httplib::detail::encode_query_param(v.user) + "&k=" + std::to_string(flags.k);
    const auto res = client.Get(path.c_str(), headers);
    if (!res)
      throw StoreError(flags.server + ": no answer to GET " + path + " (" + httplib::to_string(res.error()) + ")");
    if (res->status != 200) {
      throw InputError(flags.server + ": GET " + path + " answered " + std::to_string(res->status) + ": " +
                       printable(res->body));
    }
    in_experiment += Json::parse(res->body, nullptr, false).contains("experiment");
    Json events = Json::array();
    for (const Event* e : v.events) {
      Json row = {{"user_id", v.user},
                  {"item_id", std::string(loaded.log.items.name(e->item))},
                  {"event", std::string(loaded.log.event_types.name(e->type))}};
      if (is_present(e->value)) row["value"] = e->value;
      events.push_back(std::move(row));
    }
    // In pieces the server's batch limit accepts; no timestamp: the server's clock, so the
    // feedback falls in the attribution window of the list just served.
    for (std::size_t at = 0; at < events.size(); at += config.serve.max_batch) {
      const std::size_t end = std::min(events.size(), at + config.serve.max_batch);
      const Json body = {{"events", Json(events.begin() + static_cast<std::ptrdiff_t>(at),
                                         events.begin() + static_cast<std::ptrdiff_t>(end))}};
      const auto posted = client.Post("/api/feedback", headers, body.dump(), "application/json");
      if (!posted || posted->status != 200) {
        throw InputError(flags.server + ": POST /api/feedback for user " + printable(v.user) + " answered " +
                         (posted ? std::to_string(posted->status) + ": " + printable(posted->body)
                                 : httplib::to_string(posted.error())));
      }
      events_sent += end - at;
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("replayed %zu visitors (%zu of them in an experiment) and %zu feedback events to %s in %.1f s\n",
              visitors.size(), in_experiment, events_sent, flags.server.c_str(), seconds);

  const auto list = client.Get("/api/experiments", headers);
  if (!list || list->status != 200) throw StoreError(flags.server + ": GET /api/experiments failed");
  const Json experiments = Json::parse(list->body, nullptr, false);
  if (!experiments.contains("experiments")) throw StoreError(flags.server + ": GET /api/experiments: not a list");
  for (const Json& e : experiments["experiments"]) {
    const std::string name = e["name"];
    const auto report = client.Get(("/api/experiments/" + httplib::detail::encode_query_param(name)).c_str(), headers);
    if (!report || report->status != 200) {
      throw StoreError(flags.server + ": GET /api/experiments/" + printable(name) + " failed" +
                       (report ? ": " + printable(report->body) : std::string()));
    }
    const Json r = Json::parse(report->body);
    if (r["impressions"].get<long long>() > 0) print_report(r);
  }
}

}  // namespace

void add_replay_command(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<ReplayFlags>();
  sub.add_option("--events", flags->source.events, "event files holding the held-out part");
  sub.add_option("--format", flags->source.format, "format of --events (default: csv, the exchange format)");
  sub.add_option("--store", flags->source.store, "a store to read the events from instead");
  sub.add_option("--from", flags->from, "replay the events at or after this time (default: all of them)");
  sub.add_option("--server", flags->server, "the running aisle serve (default: http://127.0.0.1:8080)");
  sub.add_option("--token", flags->token, "bearer token for POST /api/feedback (default: $AISLE_API_TOKEN)");
  sub.add_option("--k", flags->k, "list length asked for (default: 10)")->check(CLI::Range(1, 1000));
  sub.add_option("--visitors", flags->visitors, "replay at most this many users (default: all)");
  sub.callback([flags, &global] { run_replay(*flags, global); });
}

}  // namespace aisle::cli
