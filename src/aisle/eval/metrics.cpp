#include "aisle/eval/metrics.h"

#include <algorithm>
#include <cmath>

#include "aisle/core/error.h"

namespace aisle::metrics {

namespace {

std::size_t hits(std::span<const std::uint8_t> relevant, std::size_t k) {
  const std::size_t n = std::min(k, relevant.size());
  return static_cast<std::size_t>(std::count(relevant.begin(), relevant.begin() + static_cast<std::ptrdiff_t>(n), 1));
}

}  // namespace

double hit_rate(std::span<const std::uint8_t> relevant, std::size_t k) {
  return hits(relevant, k) > 0 ? 1.0 : 0.0;
}

double precision(std::span<const std::uint8_t> relevant, std::size_t k) {
  return k == 0 ? 0.0 : static_cast<double>(hits(relevant, k)) / static_cast<double>(k);
}

double recall(std::span<const std::uint8_t> relevant, std::size_t num_relevant, std::size_t k) {
  return num_relevant == 0 ? 0.0 : static_cast<double>(hits(relevant, k)) / static_cast<double>(num_relevant);
}

double ndcg(std::span<const std::uint8_t> relevant, std::size_t num_relevant, std::size_t k) {
  const std::size_t n = std::min(k, relevant.size());
  double dcg = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (relevant[i] != 0) dcg += 1.0 / std::log2(static_cast<double>(i) + 2.0);
  }
  double ideal = 0;
  for (std::size_t i = 0; i < std::min(k, num_relevant); ++i) ideal += 1.0 / std::log2(static_cast<double>(i) + 2.0);
  return ideal == 0 ? 0.0 : dcg / ideal;
}

double reciprocal_rank(std::span<const std::uint8_t> relevant, std::size_t k) {
  const std::size_t n = std::min(k, relevant.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (relevant[i] != 0) return 1.0 / static_cast<double>(i + 1);
  }
  return 0.0;
}

double average_precision(std::span<const std::uint8_t> relevant, std::size_t num_relevant, std::size_t k) {
  const std::size_t n = std::min(k, relevant.size());
  const std::size_t denominator = std::min(k, num_relevant);
  if (denominator == 0) return 0.0;
  double sum = 0;
  std::size_t found = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (relevant[i] == 0) continue;
    ++found;
    sum += static_cast<double>(found) / static_cast<double>(i + 1);
  }
  return sum / static_cast<double>(denominator);
}

double f1(std::span<const std::uint8_t> relevant, std::size_t num_relevant, std::size_t k) {
  const double p = precision(relevant, k);
  const double r = recall(relevant, num_relevant, k);
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

void mark_relevant(std::span<const ItemIdx> ranked, std::span<const ItemIdx> test_items,
                   std::vector<std::uint8_t>& relevant) {
  relevant.resize(ranked.size());
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    relevant[i] = std::binary_search(test_items.begin(), test_items.end(), ranked[i]) ? 1 : 0;
  }
}

double coverage(std::span<const std::vector<ItemIdx>> lists, std::size_t k, std::size_t catalog_size) {
  if (catalog_size == 0) return 0.0;
  std::vector<ItemIdx> all;
  for (const auto& list : lists)
    all.insert(all.end(), list.begin(), list.begin() + static_cast<std::ptrdiff_t>(std::min(k, list.size())));
  std::sort(all.begin(), all.end());
  const auto distinct = static_cast<std::size_t>(std::unique(all.begin(), all.end()) - all.begin());
  return static_cast<double>(distinct) / static_cast<double>(catalog_size);
}

double mean_popularity(std::span<const std::vector<ItemIdx>> lists, std::size_t k, std::span<const double> popularity) {
  double sum = 0;
  std::size_t n = 0;
  for (const auto& list : lists) {
    for (std::size_t i = 0; i < std::min(k, list.size()); ++i) sum += popularity[list[i]], ++n;
  }
  return n == 0 ? 0.0 : sum / static_cast<double>(n);
}

double rmse(std::span<const double> predicted, std::span<const double> actual) {
  AISLE_CHECK(predicted.size() == actual.size());
  if (predicted.empty()) return std::nan("");
  double se = 0;
  for (std::size_t i = 0; i < predicted.size(); ++i) se += (predicted[i] - actual[i]) * (predicted[i] - actual[i]);
  return std::sqrt(se / static_cast<double>(predicted.size()));
}

double mae(std::span<const double> predicted, std::span<const double> actual) {
  AISLE_CHECK(predicted.size() == actual.size());
  if (predicted.empty()) return std::nan("");
  double ae = 0;
  for (std::size_t i = 0; i < predicted.size(); ++i) ae += std::abs(predicted[i] - actual[i]);
  return ae / static_cast<double>(predicted.size());
}

std::vector<std::string> per_user_metric_names(std::size_t k) {
  const std::string at = "@" + std::to_string(k);
  return {"hr" + at, "precision" + at, "recall" + at, "ndcg" + at, "mrr" + at, "map" + at, "f1" + at};
}

void per_user_metrics(std::span<const std::uint8_t> relevant, std::size_t num_relevant, std::size_t k,
                      std::vector<double>& out) {
  out.push_back(hit_rate(relevant, k));
  out.push_back(precision(relevant, k));
  out.push_back(recall(relevant, num_relevant, k));
  out.push_back(ndcg(relevant, num_relevant, k));
  out.push_back(reciprocal_rank(relevant, k));
  out.push_back(average_precision(relevant, num_relevant, k));
  out.push_back(f1(relevant, num_relevant, k));
}

}  // namespace aisle::metrics
