#include "aisle/core/statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace aisle {
namespace {

// Two metrics per unit, row-major: a constant 0.25, and 1 for every other unit.
std::vector<double> two_columns(std::size_t units) {
  std::vector<double> values;
  for (std::size_t u = 0; u < units; ++u) {
    values.push_back(0.25);
    values.push_back(u % 2 == 0 ? 1.0 : 0.0);
  }
  return values;
}

TEST(Statistics, BootstrapIntervals) {
  const auto intervals = stats::bootstrap(two_columns(400), 2, 1000, 0.95, 7);
  ASSERT_EQ(intervals.size(), 2u);
  EXPECT_DOUBLE_EQ(intervals[0].lo, 0.25);
  EXPECT_DOUBLE_EQ(intervals[0].hi, 0.25);
  EXPECT_DOUBLE_EQ(intervals[1].mean, 0.5);
  // Normal approximation: half-width 1.96 * sqrt(0.25 / 400) = 0.049.
  EXPECT_NEAR(intervals[1].hi - intervals[1].lo, 0.098, 0.015);
  EXPECT_LT(intervals[1].lo, 0.5);
  EXPECT_GT(intervals[1].hi, 0.5);
  // Fixed seed: the same numbers again.
  const auto again = stats::bootstrap(two_columns(400), 2, 1000, 0.95, 7);
  EXPECT_EQ(again[1].lo, intervals[1].lo);
  EXPECT_EQ(again[1].hi, intervals[1].hi);
}

TEST(Statistics, PairedTest) {
  std::vector<double> a(60, 0.0), b(60, 0.0);
  EXPECT_EQ(stats::paired_test(a, b, 1000, 1).p_value, 1.0);
  for (std::size_t i = 0; i < 30; ++i) b[i] = 1.0;  // b better for half the users, never worse
  const auto c = stats::paired_test(a, b, 2000, 1);
  EXPECT_DOUBLE_EQ(c.difference, 0.5);
  EXPECT_LT(c.p_value, 0.001);
  EXPECT_EQ(c.lift, INFINITY);
  // Differences that cancel: +1 for 20 users, -1 for 20 others.
  std::vector<double> x(40, 1.0), y(40, 1.0);
  for (std::size_t i = 0; i < 20; ++i) y[i] = 2.0;
  for (std::size_t i = 20; i < 40; ++i) y[i] = 0.0;
  EXPECT_GT(stats::paired_test(x, y, 2000, 1).p_value, 0.9);
}

TEST(Statistics, TwoProportionZ) {
  const auto t = stats::two_proportion_z(50, 100, 60, 100);
  // Pooled 0.55; se = sqrt(0.55 * 0.45 * 2 / 100).
  EXPECT_NEAR(t.z, 0.1 / std::sqrt(0.55 * 0.45 * 0.02), 1e-9);
  EXPECT_NEAR(t.p_value, 0.1552, 5e-4);
  EXPECT_DOUBLE_EQ(t.lift, 0.2);
  EXPECT_NEAR(t.extra_per_10k, 1000, 1e-9);
  EXPECT_NEAR(stats::two_sided_normal_p(1.959964), 0.05, 1e-6);
}

TEST(Statistics, RatioOfSumsWithTheDeltaMethodVariance) {
  // x = 1: the mean, with the variance of the mean s^2 / n.
  const std::vector<double> y = {1, 0, 1, 1, 0, 1}, ones(6, 1.0);
  const auto mean = stats::ratio_estimate(y, ones);
  EXPECT_DOUBLE_EQ(mean.value, 4.0 / 6);
  const double s2 = (4 * (1 - 4.0 / 6) * (1 - 4.0 / 6) + 2 * (4.0 / 6) * (4.0 / 6)) / 5;
  EXPECT_NEAR(mean.variance, s2 / 6, 1e-12);
  // The same clicks per impression, but each visitor all-or-nothing over 10 impressions: the
  // rate is the same and its variance ten times larger than if the 60 impressions were units.
  const std::vector<double> clicked = {10, 0, 10, 10, 0, 10}, shown(6, 10.0);
  const auto clustered = stats::ratio_estimate(clicked, shown);
  EXPECT_DOUBLE_EQ(clustered.value, mean.value);
  EXPECT_NEAR(clustered.variance, mean.variance, 1e-12);
  std::vector<double> independent_y, independent_x(60, 1.0);
  for (std::size_t i = 0; i < 60; ++i) independent_y.push_back(i < 40 ? 1.0 : 0.0);
  EXPECT_GT(clustered.variance, 9 * stats::ratio_estimate(independent_y, independent_x).variance);
  const auto interval = stats::normal_interval(mean, 0.95);
  EXPECT_NEAR(interval.hi - interval.lo, 2 * 1.959964 * std::sqrt(mean.variance), 1e-6);
}

TEST(Statistics, SignTest) {
  EXPECT_DOUBLE_EQ(stats::sign_test_p(0, 0), 1.0);
  EXPECT_DOUBLE_EQ(stats::sign_test_p(5, 5), 1.0);
  EXPECT_NEAR(stats::sign_test_p(0, 5), 2.0 / 32, 1e-12);  // both all-heads and all-tails
  EXPECT_NEAR(stats::sign_test_p(8, 2), stats::sign_test_p(2, 8), 1e-15);
  EXPECT_NEAR(stats::sign_test_p(8, 2), 2 * (1 + 10 + 45) / 1024.0, 1e-12);
}

TEST(Statistics, ChiSquaredTailAndSampleRatioMismatch) {
  EXPECT_NEAR(stats::chi_squared_p(3.841459, 1), 0.05, 1e-6);
  EXPECT_NEAR(stats::chi_squared_p(5.991465, 2), 0.05, 1e-6);
  EXPECT_EQ(stats::chi_squared_p(0, 3), 1.0);
  const std::vector<double> even = {0.5, 0.5};
  EXPECT_FALSE(stats::sample_ratio_test(std::vector<double>{5030, 4970}, even, 0.001).mismatch);
  const auto skewed = stats::sample_ratio_test(std::vector<double>{5200, 4800}, even, 0.001);
  EXPECT_NEAR(skewed.chi_squared, 16.0, 1e-9);  // (200^2 / 5000) * 2
  EXPECT_TRUE(skewed.mismatch);
  // Shares on any scale: 1:3.
  EXPECT_FALSE(stats::sample_ratio_test(std::vector<double>{2500, 7500}, std::vector<double>{1, 3}, 0.001).mismatch);
}

// A/A experiments looked at 40 times each: stopping at the first fixed-horizon p < 0.05 declares
// far more than 5% of them significant; the always-valid p-value keeps it under 5%.
TEST(Statistics, TheSequentialTestStaysValidUnderPeekingWhereTheFixedOneDoesNot) {
  std::mt19937_64 rng(11);
  std::bernoulli_distribution click(0.1);
  const int experiments = 300, looks = 40, per_look = 100;
  int fixed_rejections = 0, sequential_rejections = 0;
  for (int e = 0; e < experiments; ++e) {
    std::vector<double> a, b;
    bool fixed = false, sequential = false;
    for (int look = 0; look < looks; ++look) {
      for (int i = 0; i < per_look; ++i) {
        a.push_back(click(rng) ? 1.0 : 0.0);
        b.push_back(click(rng) ? 1.0 : 0.0);
      }
      const std::vector<double> ones(a.size(), 1.0);
      const auto c = stats::compare_groups(stats::ratio_estimate(a, ones), stats::ratio_estimate(b, ones), 0.95, 0.02);
      fixed |= c.p_value < 0.05;
      sequential |= c.sequential_p < 0.05;
      EXPECT_LE(c.sequential_interval.lo, c.interval.lo);
      EXPECT_GE(c.sequential_interval.hi, c.interval.hi);
    }
    fixed_rejections += fixed;
    sequential_rejections += sequential;
  }
  EXPECT_GT(fixed_rejections, experiments / 5);  // at least 20% false positives from peeking
  EXPECT_LE(sequential_rejections, experiments / 20);
  // A real difference (10% against 14%) is found by both.
  std::vector<double> a, b;
  for (int i = 0; i < 4000; ++i) {
    a.push_back(click(rng) ? 1.0 : 0.0);
    b.push_back(std::bernoulli_distribution(0.14)(rng) ? 1.0 : 0.0);
  }
  const std::vector<double> ones(a.size(), 1.0);
  const auto c = stats::compare_groups(stats::ratio_estimate(a, ones), stats::ratio_estimate(b, ones), 0.95, 0.02);
  EXPECT_LT(c.p_value, 0.001);
  EXPECT_LT(c.sequential_p, 0.05);
  EXPECT_GT(c.sequential_interval.lo, 0);
  EXPECT_NEAR(c.lift, 0.4, 0.2);
}

}  // namespace
}  // namespace aisle
