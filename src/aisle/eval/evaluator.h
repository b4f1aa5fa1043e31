// The one evaluation loop (docs EVALUATION.md sections 3 and 4): every evaluated user is ranked
// once, through the same batch path the CLI and the server use, and every metric of metrics.h
// is applied to that one list. The tuner, reports and benchmarks all go through here.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "aisle/eval/split.h"
#include "aisle/models/ranker.h"

namespace aisle {

struct EvalOptions {
  std::vector<std::size_t> ks{10};  // cut-offs, each > 0
  // Sampled protocol: each user's recommendable test items ranked among `sample_size` random
  // items the user has not seen (labelled "sampled-100" in every output). Default: full ranking.
  bool sampled = false;
  std::size_t sample_size = 100;
  bool repeats_allowed = false;  // rank the user's training items too
  RunContext run;                // threads and pool for ranking; the seed of the sampled protocol

  std::string protocol_label() const;  // "full ranking", "sampled-100", "..., repeats allowed"
};

// Metric values per evaluated user, in the TestSet's user order: row u holds names.size() values.
struct UserMetrics {
  std::vector<std::string> names;
  std::vector<double> values;

  std::size_t num_users() const { return names.empty() ? 0 : values.size() / names.size(); }
  std::size_t index_of(std::string_view name) const;  // throws ConfigError naming the known metrics
  double at(std::size_t user, std::size_t metric) const { return values[user * names.size() + metric]; }
  std::vector<double> column(std::size_t metric) const;
  double mean(std::size_t metric) const;
};

struct Evaluation {
  UserMetrics per_user;  // hr, precision, recall, ndcg, mrr, map, f1 at every K
  // Metrics of the whole run: coverage@K and popularity@K for every K; rmse and mae for rating
  // models (RatingPredictor) when the test pairs carry values.
  std::vector<std::pair<std::string, double>> totals;
  double rank_seconds = 0;  // ranking every evaluated user (the throughput figure)
  QueryRoutes routes;       // a route model's segment per evaluated user (Ranker::routes); else empty
};

class Evaluator {
 public:
  // `train` is what the model was fitted on; test shares its indices.
  Evaluator(const Interactions& train, TestSet test, EvalOptions options);

  // Any Ranker: a trained model, or a model at a checkpoint of its fit (RankerView).
  Evaluation evaluate(const Ranker& ranker) const;

  const TestSet& test() const { return test_; }
  const EvalOptions& options() const { return options_; }
  std::size_t catalog_size() const { return catalog_size_; }  // items full ranking ranks

 private:
  std::vector<std::vector<ItemIdx>> rank_sampled(const Ranker& ranker) const;

  TestSet test_;
  EvalOptions options_;
  std::vector<ItemIdx> untrained_;  // never recommended (no training pair)
  std::vector<double> popularity_;  // share of training users per item
  std::size_t catalog_size_ = 0;
};

// Users' segments by their number of training pairs: bounds {3, 10} give "1-2", "3-9", "10+".
struct Segments {
  std::vector<std::string> names;
  std::vector<std::uint8_t> of_user;  // per evaluated user (TestSet order), an index into names
};
Segments segment_by_history(const Interactions& train, const TestSet& test, std::span<const std::uint32_t> bounds);

}  // namespace aisle
