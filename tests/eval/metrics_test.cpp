// Metrics against values computed by hand.
#include "aisle/eval/metrics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace aisle {
namespace {

using Flags = std::vector<std::uint8_t>;

TEST(Metrics, TwoHitsOfThreeRelevantAtFive) {
  const Flags r = {0, 1, 0, 1, 0};
  EXPECT_DOUBLE_EQ(metrics::hit_rate(r, 5), 1.0);
  EXPECT_DOUBLE_EQ(metrics::precision(r, 5), 0.4);
  EXPECT_DOUBLE_EQ(metrics::recall(r, 3, 5), 2.0 / 3.0);
  // DCG 1/log2(3) + 1/log2(5); ideal DCG of three hits 1 + 1/log2(3) + 1/log2(4).
  EXPECT_NEAR(metrics::ndcg(r, 3, 5), (0.6309298 + 0.4306766) / (1 + 0.6309298 + 0.5), 1e-6);
  EXPECT_DOUBLE_EQ(metrics::reciprocal_rank(r, 5), 0.5);
  EXPECT_DOUBLE_EQ(metrics::average_precision(r, 3, 5), (1.0 / 2 + 2.0 / 4) / 3);
  EXPECT_DOUBLE_EQ(metrics::f1(r, 3, 5), 0.5);
}

TEST(Metrics, CutOffsShorterThanTheList) {
  const Flags r = {0, 1, 0, 1, 0};
  for (double v : {metrics::hit_rate(r, 1), metrics::precision(r, 1), metrics::recall(r, 3, 1), metrics::ndcg(r, 3, 1),
                   metrics::reciprocal_rank(r, 1), metrics::average_precision(r, 3, 1), metrics::f1(r, 3, 1)}) {
    EXPECT_EQ(v, 0.0);
  }
  EXPECT_DOUBLE_EQ(metrics::precision(r, 2), 0.5);
  EXPECT_DOUBLE_EQ(metrics::recall(r, 3, 2), 1.0 / 3);
  EXPECT_NEAR(metrics::ndcg(r, 3, 2), 0.6309298 / (1 + 0.6309298), 1e-6);
  EXPECT_DOUBLE_EQ(metrics::average_precision(r, 3, 2), 0.5 / 2);
}

TEST(Metrics, UnreachableTestItemsCountAsMisses) {
  // One hit at the top, but the user had 4 test items (3 never seen in training).
  const Flags r = {1, 0};
  EXPECT_DOUBLE_EQ(metrics::recall(r, 4, 10), 0.25);
  EXPECT_NEAR(metrics::ndcg(r, 4, 10), 1.0 / (1 + 0.6309298 + 0.5 + 0.4306766), 1e-6);
  EXPECT_DOUBLE_EQ(metrics::average_precision(r, 4, 10), 0.25);
  // A list shorter than k (a small catalog) does not change precision's denominator.
  EXPECT_DOUBLE_EQ(metrics::precision(r, 10), 0.1);
}

TEST(Metrics, NoRelevantItemsGiveZeroNotNaN) {
  const Flags r = {0, 0};
  EXPECT_EQ(metrics::recall(r, 0, 10), 0.0);
  EXPECT_EQ(metrics::ndcg(r, 0, 10), 0.0);
  EXPECT_EQ(metrics::average_precision(r, 0, 10), 0.0);
  EXPECT_EQ(metrics::f1(r, 0, 10), 0.0);
}

TEST(Metrics, MarkRelevant) {
  std::vector<std::uint8_t> flags;
  const std::vector<ItemIdx> ranked = {7, 3, 9, 1}, tests = {1, 2, 3};
  metrics::mark_relevant(ranked, tests, flags);
  EXPECT_EQ(flags, (Flags{0, 1, 0, 1}));
}

TEST(Metrics, CoverageAndPopularity) {
  const std::vector<std::vector<ItemIdx>> lists = {{0, 1}, {1, 2}};
  EXPECT_DOUBLE_EQ(metrics::coverage(lists, 2, 10), 0.3);
  EXPECT_DOUBLE_EQ(metrics::coverage(lists, 1, 10), 0.2);
  const std::vector<double> popularity = {0.5, 0.1, 0.2};
  EXPECT_DOUBLE_EQ(metrics::mean_popularity(lists, 2, popularity), (0.5 + 0.1 + 0.1 + 0.2) / 4);
  EXPECT_DOUBLE_EQ(metrics::mean_popularity(lists, 1, popularity), (0.5 + 0.1) / 2);
}

TEST(Metrics, RatingErrors) {
  const std::vector<double> predicted = {1, 2, 3}, actual = {1, 3, 5};
  EXPECT_DOUBLE_EQ(metrics::rmse(predicted, actual), std::sqrt(5.0 / 3));
  EXPECT_DOUBLE_EQ(metrics::mae(predicted, actual), 1.0);
  EXPECT_TRUE(std::isnan(metrics::rmse({}, {})));
}

TEST(Metrics, PerUserMetricsFollowTheirNames) {
  const auto names = metrics::per_user_metric_names(5);
  ASSERT_EQ(names.size(), metrics::kPerUserMetrics);
  EXPECT_EQ(names[3], "ndcg@5");
  std::vector<double> values;
  metrics::per_user_metrics(Flags{0, 1, 0, 1, 0}, 3, 5, values);
  ASSERT_EQ(values.size(), names.size());
  EXPECT_DOUBLE_EQ(values[0], 1.0);        // hr
  EXPECT_DOUBLE_EQ(values[2], 2.0 / 3.0);  // recall
  EXPECT_DOUBLE_EQ(values[4], 0.5);        // mrr
}

}  // namespace
}  // namespace aisle
