// An evaluation run as one value (docs EVALUATION.md section 7): per model its spec, fit time,
// throughput, every metric with its bootstrap interval, the paired comparison with the baseline,
// the A/B view and the per-segment means; plus what was evaluated on and how. Written as a
// terminal table, JSON, Markdown and a self-contained HTML page (inline SVG, no network).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aisle/core/statistics.h"
#include "aisle/eval/evaluator.h"
#include "aisle/eval/split.h"

namespace aisle {

struct MetricValue {
  std::string name;
  double value = 0;
  std::optional<stats::Interval> interval;  // per-user metrics only
};

struct ModelReport {
  std::string spec;  // canonical: kind:params
  double fit_seconds = 0;
  double rank_seconds = 0;
  std::size_t ranked_users = 0;
  std::vector<MetricValue> metrics;
  // Against the baseline (absent for the baseline itself), per per-user metric.
  std::vector<std::pair<std::string, stats::PairedComparison>> vs_baseline;
  std::optional<stats::ProportionTest> ab;         // hr@(first k) against the baseline
  std::vector<std::vector<double>> segment_means;  // [segment][per-user metric]
  // A route's results by the segment each user's query took (empty for other models).
  std::vector<std::string> route_names;
  std::vector<std::size_t> route_users;          // per route
  std::vector<std::vector<double>> route_means;  // [route][per-user metric]
  UserMetrics per_user;

  double users_per_second() const { return rank_seconds > 0 ? static_cast<double>(ranked_users) / rank_seconds : 0; }
  const MetricValue* find(std::string_view name) const;
};

struct DatasetInfo {
  std::string source;                                            // the files or store URL
  std::vector<std::pair<std::string, std::string>> file_sha256;  // of the uncompressed content
  std::uint64_t rows = 0, users = 0, items = 0, train_pairs = 0;
  std::uint64_t evaluated_users = 0, test_pairs = 0, unreachable_pairs = 0;
  LeftOutUsers left_out;            // users not evaluated, by reason (split.h left_out_users)
  std::uint64_t catalog_items = 0;  // items full ranking ranks (with training pairs)
};

struct EvaluationReport {
  DatasetInfo data;
  std::string split;    // how train and test were made
  std::string ranking;  // EvalOptions::protocol_label()
  std::vector<std::size_t> ks;
  std::uint64_t seed = 0;
  int threads = 1;
  int bootstrap_resamples = 1000;
  std::string command;
  std::string baseline;  // spec of the baseline model
  std::vector<std::string> segment_names;
  std::vector<std::size_t> segment_users;
  std::vector<ModelReport> models;
};

// Summarizes one model's evaluation: bootstrap intervals (1,000 resamples of users, 95%),
// per-segment means, and a route's means per route.
ModelReport summarize(std::string spec, double fit_seconds, const Evaluation& evaluation, const Segments& segments,
                      int resamples, std::uint64_t seed);

// Fills vs_baseline and ab of every model but the baseline (paired sign-flip test with
// `resamples` sign patterns on every per-user metric; two-proportion z-test on hr@k).
void compare_with_baseline(EvaluationReport& report, std::size_t baseline, int resamples, std::uint64_t seed);

std::string to_table(const EvaluationReport& report);
std::string to_json(const EvaluationReport& report);
std::string to_markdown(const EvaluationReport& report);
std::string to_html(const EvaluationReport& report);

}  // namespace aisle
