#include "aisle/eval/evaluator.h"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <random>

#include "aisle/core/error.h"
#include "aisle/core/parallel.h"
#include "aisle/eval/metrics.h"

namespace aisle {

namespace {

std::vector<ItemIdx> ids_of(const std::vector<Scored>& list) {
  std::vector<ItemIdx> out;
  out.reserve(list.size());
  for (const Scored& s : list) out.push_back(s.item);
  return out;
}

}  // namespace

std::string EvalOptions::protocol_label() const {
  std::string label = sampled ? "sampled-" + std::to_string(sample_size) : "full ranking";
  if (repeats_allowed) label += ", repeats allowed";
  return label;
}

std::size_t UserMetrics::index_of(std::string_view name) const {
  for (std::size_t m = 0; m < names.size(); ++m) {
    if (names[m] == name) return m;
  }
  std::string known;
  for (const std::string& n : names) known += (known.empty() ? "" : ", ") + n;
  throw ConfigError("unknown metric '" + std::string(name) + "'; evaluated: " + known);
}

std::vector<double> UserMetrics::column(std::size_t metric) const {
  std::vector<double> out(num_users());
  for (std::size_t u = 0; u < out.size(); ++u) out[u] = at(u, metric);
  return out;
}

double UserMetrics::mean(std::size_t metric) const {
  const std::size_t n = num_users();
  double sum = 0;
  for (std::size_t u = 0; u < n; ++u) sum += at(u, metric);
  return n == 0 ? 0.0 : sum / static_cast<double>(n);
}

Evaluator::Evaluator(const Interactions& train, TestSet test, EvalOptions options)
    : test_(std::move(test)), options_(std::move(options)) {
  if (options_.ks.empty()) throw ConfigError("evaluation needs at least one cut-off k");
  for (std::size_t k : options_.ks) {
    if (k == 0) throw ConfigError("cut-off k must be at least 1");
  }
  if (options_.sampled && !test_.anonymous.empty()) {
    throw ConfigError("the sampled ranking is not available for anonymous histories (new-users)");
  }
  const std::vector<std::uint8_t> trained = trained_items(train);
  popularity_.assign(train.num_items, 0.0);
  for (std::size_t p = 0; p < train.num_pairs(); ++p) {
    if (train.weight[p] > 0) popularity_[train.item[p]] += 1.0;
  }
  const double users = std::max<double>(1.0, train.num_users);
  for (double& v : popularity_) v /= users;
  for (ItemIdx i = 0; i < train.num_items; ++i) {
    if (trained[i] == 0) untrained_.push_back(i);
  }
  catalog_size_ = train.num_items - untrained_.size();
}

std::vector<std::vector<ItemIdx>> Evaluator::rank_sampled(const Ranker& ranker) const {
  const std::size_t k = *std::max_element(options_.ks.begin(), options_.ks.end());
  const History& history = ranker.history();
  // Every user's request carries its own candidates (include_only); one batch call ranks all.
  std::vector<Request> requests(test_.size());
  std::vector<std::uint8_t> blocked(ranker.num_items(), 0);
  for (ItemIdx i : untrained_) blocked[i] = 1;
  const std::size_t available = catalog_size_;
  parallel_for(options_.run, test_.size(), 16, [&](std::size_t begin, std::size_t end, int) {
    std::vector<ItemIdx> candidates;
    for (std::size_t u = begin; u < end; ++u) {
      const UserIdx user = test_.users[u];
      const auto seen = history.items_of(user);
      const auto tests = test_.items_of(u);
      candidates.assign(tests.begin(), tests.end());
      const std::size_t can_sample = available - std::min(available, seen.size() + tests.size());
      const std::size_t want = std::min(options_.sample_size, can_sample);
      std::mt19937_64 rng(options_.run.seed * 0x9E3779B97F4A7C15ull + user);
      std::uniform_int_distribution<ItemIdx> any(0, ranker.num_items() - 1);
      while (candidates.size() < tests.size() + want) {
        const ItemIdx i = any(rng);
        if (blocked[i] != 0 || std::binary_search(seen.begin(), seen.end(), i) ||
            std::find(candidates.begin(), candidates.end(), i) != candidates.end()) {
          continue;
        }
        candidates.push_back(i);
      }
      Request& r = requests[u];
      r.query.user = user;
      r.filter.exclude_seen = !options_.repeats_allowed;
      std::sort(candidates.begin(), candidates.end());
      r.filter.include_only = candidates;
      r.k = k;
    }
  });
  std::vector<std::vector<ItemIdx>> lists;
  lists.reserve(test_.size());
  for (const auto& list : ranker.recommend(requests, options_.run)) lists.push_back(ids_of(list));
  return lists;
}

Evaluation Evaluator::evaluate(const Ranker& ranker) const {
  const std::size_t k_max = *std::max_element(options_.ks.begin(), options_.ks.end());
  Evaluation result;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::vector<ItemIdx>> lists;
  if (options_.sampled) {
    lists = rank_sampled(ranker);
    std::vector<Query> users(test_.size());
    for (std::size_t u = 0; u < test_.size(); ++u) users[u].user = test_.users[u];
    result.routes = ranker.routes(users);
  } else {
    std::vector<Query> queries(test_.size());
    for (std::size_t u = 0; u < test_.size(); ++u) {
      if (test_.anonymous.empty()) {
        queries[u].user = test_.users[u];
      } else {
        queries[u] = test_.anonymous[u];
      }
    }
    Filter filter;
    filter.exclude_seen = !options_.repeats_allowed;
    filter.exclude = untrained_;
    const auto ranked = ranker.recommend(queries, filter, k_max, options_.run);
    result.routes = ranker.routes(queries);
    lists.reserve(ranked.size());
    for (const auto& list : ranked) lists.push_back(ids_of(list));
  }
  result.rank_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  for (std::size_t k : options_.ks) {
    for (std::string& name : metrics::per_user_metric_names(k)) result.per_user.names.push_back(std::move(name));
  }
  result.per_user.values.reserve(test_.size() * result.per_user.names.size());
  std::vector<std::uint8_t> relevant;
  for (std::size_t u = 0; u < test_.size(); ++u) {
    metrics::mark_relevant(lists[u], test_.items_of(u), relevant);
    for (std::size_t k : options_.ks) {
      metrics::per_user_metrics(relevant, test_.num_relevant[u], k, result.per_user.values);
    }
  }
  for (std::size_t k : options_.ks) {
    const std::string at = "@" + std::to_string(k);
    result.totals.emplace_back("coverage" + at, metrics::coverage(lists, k, catalog_size_));
    result.totals.emplace_back("popularity" + at, metrics::mean_popularity(lists, k, popularity_));
  }
  const auto* predictor = capability<RatingPredictor>(ranker.model());
  if (predictor != nullptr && !test_.items.empty()) {
    // Each user's test items scored as one request restricted to them; one batch call for all.
    std::vector<Request> requests;
    std::vector<std::size_t> user_of;
    for (std::size_t u = 0; u < test_.size(); ++u) {
      const auto tests = test_.items_of(u);
      if (tests.empty()) continue;
      Request& r = requests.emplace_back();
      r.query.user = test_.users[u];
      r.filter.exclude_seen = false;
      r.filter.include_only = std::vector<ItemIdx>(tests.begin(), tests.end());
      r.k = tests.size();
      user_of.push_back(u);
    }
    std::vector<double> predicted(test_.items.size()), actual(test_.values.begin(), test_.values.end());
    const auto scored = ranker.recommend(requests, options_.run);
    for (std::size_t r = 0; r < scored.size(); ++r) {
      const std::size_t u = user_of[r];
      const auto tests = test_.items_of(u);
      for (const Scored& s : scored[r]) {
        const auto at = std::lower_bound(tests.begin(), tests.end(), s.item) - tests.begin();
        predicted[test_.row_ptr[u] + static_cast<std::size_t>(at)] = predictor->rating(s.score);
      }
    }
    result.totals.emplace_back("rmse", metrics::rmse(predicted, actual));
    result.totals.emplace_back("mae", metrics::mae(predicted, actual));
  }
  return result;
}

Segments segment_by_history(const Interactions& train, const TestSet& test, std::span<const std::uint32_t> bounds) {
  Segments s;
  std::uint32_t low = 1;
  for (std::uint32_t b : bounds) {
    s.names.push_back(b - 1 == low ? std::to_string(low) : std::to_string(low) + "-" + std::to_string(b - 1));
    low = b;
  }
  s.names.push_back(std::to_string(low) + "+");
  s.of_user.reserve(test.size());
  for (UserIdx u : test.users) {
    std::uint64_t n = 0;
    for (std::uint64_t p = train.row_ptr[u]; p < train.row_ptr[u + 1]; ++p) n += train.weight[p] > 0 ? 1 : 0;
    const auto segment = std::upper_bound(bounds.begin(), bounds.end(), n) - bounds.begin();
    s.of_user.push_back(static_cast<std::uint8_t>(segment));
  }
  return s;
}

}  // namespace aisle
