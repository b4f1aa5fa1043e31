// Ranking and rating metrics as pure functions (docs EVALUATION.md section 4). Every number the
// evaluator, the tuner and reports show comes from these.
//
// A ranked list is described by `relevant`: one flag per position of the list, best first (1 =
// the item at that position is one of the user's test items). `num_relevant` counts ALL the
// user's test items, including those that cannot be recommended (never seen in training): they
// count as misses, so recall and the ideal DCG use the full count.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "aisle/core/types.h"

namespace aisle::metrics {

// 1 when a test item is among the first k.
double hit_rate(std::span<const std::uint8_t> relevant, std::size_t k);
// hits in the first k / k.
double precision(std::span<const std::uint8_t> relevant, std::size_t k);
// hits in the first k / num_relevant (0 when num_relevant is 0).
double recall(std::span<const std::uint8_t> relevant, std::size_t num_relevant, std::size_t k);
// Binary-relevance DCG of the first k over the ideal DCG of min(k, num_relevant) hits.
double ndcg(std::span<const std::uint8_t> relevant, std::size_t num_relevant, std::size_t k);
// 1 / position of the first hit within k, else 0.
double reciprocal_rank(std::span<const std::uint8_t> relevant, std::size_t k);
// Sum over hits within k of precision at the hit, / min(k, num_relevant).
double average_precision(std::span<const std::uint8_t> relevant, std::size_t num_relevant, std::size_t k);
// Harmonic mean of precision and recall at k (0 when both are 0).
double f1(std::span<const std::uint8_t> relevant, std::size_t num_relevant, std::size_t k);

// Flags, per position of `ranked`, whether the item is in `test_items` (ascending).
void mark_relevant(std::span<const ItemIdx> ranked, std::span<const ItemIdx> test_items,
                   std::vector<std::uint8_t>& relevant);

// Distinct items among the first k of every list / catalog_size (the items that could be
// recommended; list entries may index a larger item space).
double coverage(std::span<const std::vector<ItemIdx>> lists, std::size_t k, std::size_t catalog_size);
// Mean over every recommended item (first k of each list) of popularity[item].
double mean_popularity(std::span<const std::vector<ItemIdx>> lists, std::size_t k, std::span<const double> popularity);

// Root mean squared and mean absolute error of predictions against actual values.
double rmse(std::span<const double> predicted, std::span<const double> actual);
double mae(std::span<const double> predicted, std::span<const double> actual);

// The per-user ranking metrics at one cut-off, in the order of per_user_metric_names.
inline constexpr std::size_t kPerUserMetrics = 7;
// "hr@10", "precision@10", "recall@10", "ndcg@10", "mrr@10", "map@10", "f1@10" for k = 10.
std::vector<std::string> per_user_metric_names(std::size_t k);
// The values of those metrics for one user, appended to `out`.
void per_user_metrics(std::span<const std::uint8_t> relevant, std::size_t num_relevant, std::size_t k,
                      std::vector<double>& out);

}  // namespace aisle::metrics
