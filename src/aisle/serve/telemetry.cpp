#include "aisle/serve/telemetry.h"

#include <cstdio>

namespace aisle::serve {

void Telemetry::observe_request(std::string_view route, int status, double seconds) {
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  std::lock_guard lock(mutex_);
  Series& s = requests_[{std::string(route), status}];
  ++s.counts[bucket];
  ++s.count;
  s.sum += seconds;
}

namespace {

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void sample(std::string& out, std::string_view name, double value) {
  out.append(name).append(" ").append(number(value)).append("\n");
}

}  // namespace

std::string Telemetry::prometheus_text(std::int64_t now) const {
  std::string out;
  header(out, "aisle_http_requests_total", "counter", "HTTP requests answered, by route pattern and status.");
  std::map<std::pair<std::string, int>, Series> copy;
  {
    std::lock_guard lock(mutex_);
    copy = requests_;
  }
  for (const auto& [key, s] : copy) {
    out += "aisle_http_requests_total{route=\"" + key.first + "\",status=\"" + std::to_string(key.second) + "\"} " +
           std::to_string(s.count) + "\n";
  }
  header(out, "aisle_http_request_duration_seconds", "histogram",
         "Time from the request's arrival at the router to its answer, by route pattern and status.");
  for (const auto& [key, s] : copy) {
    const std::string labels = "route=\"" + key.first + "\",status=\"" + std::to_string(key.second) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += s.counts[b];
      const std::string le = b < kBuckets.size() ? number(kBuckets[b]) : "+Inf";
      out += "aisle_http_request_duration_seconds_bucket{" + labels + ",le=\"" + le + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += "aisle_http_request_duration_seconds_sum{" + labels + "} " + number(s.sum) + "\n";
    out += "aisle_http_request_duration_seconds_count{" + labels + "} " + std::to_string(s.count) + "\n";
  }
  const auto counter = [&](std::string_view name, std::string_view help, std::uint64_t v) {
    header(out, name, "counter", help);
    sample(out, name, static_cast<double>(v));
  };
  const auto gauge = [&](std::string_view name, std::string_view help, double v) {
    header(out, name, "gauge", help);
    sample(out, name, v);
  };
  counter("aisle_feedback_accepted_total", "Feedback events committed to the store.", feedback_accepted.load());
  counter("aisle_feedback_rejected_total", "Feedback events refused (bad request or store failure).",
          feedback_rejected.load());
  counter("aisle_feedback_commits_total", "Store transactions that committed feedback (group commits).",
          feedback_commits.load());
  counter("aisle_feedback_followed_total",
          "Feedback events other servers on the store committed, added to this one's live history.",
          feedback_followed.load());
  counter("aisle_experiment_impressions_total", "Lists served in online experiments, each logged as an impression.",
          impressions.load());
  counter("aisle_cache_hits_total", "Recommendations answered from the top-list cache.", cache_hits.load());
  counter("aisle_cache_misses_total", "Recommendations computed over the full catalog.", cache_misses.load());
  counter("aisle_model_swaps_total", "Models put into service (the first load included).", model_swaps.load());
  counter("aisle_model_refusals_total", "Models refused (a bad file, or a retrained model clearly worse).",
          model_refusals.load());
  gauge("aisle_model_version", "Version number of the serving model in this process.",
        static_cast<double>(model_version.load()));
  const std::int64_t loaded = model_loaded_at.load();
  gauge("aisle_model_age_seconds", "Seconds since the serving model was put into service.",
        loaded == 0 ? 0.0 : static_cast<double>(now - loaded));
  gauge("aisle_retrain_duration_seconds", "Duration of the last background retrain.", last_retrain_seconds.load());
  return out;
}

}  // namespace aisle::serve
