#include "aisle/core/statistics.h"

#include <gtest/gtest.h>

#include <cmath>

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

}  // namespace
}  // namespace aisle
