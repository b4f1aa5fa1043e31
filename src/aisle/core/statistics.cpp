#include "aisle/core/statistics.h"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>
#include <random>

#include "aisle/core/error.h"

namespace aisle::stats {

namespace {

double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0.0;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

std::vector<Interval> bootstrap(std::span<const double> values, std::size_t width, int resamples, double level,
                                std::uint64_t seed) {
  AISLE_CHECK(resamples > 0 && level > 0 && level < 1 && (width == 0 || values.size() % width == 0));
  const std::size_t users = width == 0 ? 0 : values.size() / width;
  std::vector<Interval> out(width);
  if (users == 0) return out;
  for (std::size_t i = 0; i < users; ++i)
    for (std::size_t m = 0; m < width; ++m) out[m].mean += values[i * width + m];
  for (std::size_t m = 0; m < width; ++m) out[m].mean /= static_cast<double>(users);
  std::vector<std::vector<double>> means(width, std::vector<double>(static_cast<std::size_t>(resamples)));
  std::vector<double> sums(width);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(0, users - 1);
  for (int r = 0; r < resamples; ++r) {
    std::fill(sums.begin(), sums.end(), 0.0);
    for (std::size_t i = 0; i < users; ++i) {
      const double* row = values.data() + pick(rng) * width;
      for (std::size_t m = 0; m < width; ++m) sums[m] += row[m];
    }
    for (std::size_t m = 0; m < width; ++m)
      means[m][static_cast<std::size_t>(r)] = sums[m] / static_cast<double>(users);
  }
  for (std::size_t m = 0; m < width; ++m) {
    std::sort(means[m].begin(), means[m].end());
    out[m].lo = quantile_sorted(means[m], (1 - level) / 2);
    out[m].hi = quantile_sorted(means[m], (1 + level) / 2);
  }
  return out;
}

PairedComparison paired_test(std::span<const double> a, std::span<const double> b, int resamples, std::uint64_t seed) {
  AISLE_CHECK(a.size() == b.size() && resamples > 0);
  PairedComparison c;
  if (a.empty()) return c;
  std::vector<double> diffs;
  double sum_a = 0, sum_b = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sum_a += a[i], sum_b += b[i];
    if (a[i] != b[i]) diffs.push_back(b[i] - a[i]);  // zero differences never change a sum
  }
  const auto n = static_cast<double>(a.size());
  c.mean_a = sum_a / n, c.mean_b = sum_b / n;
  c.difference = c.mean_b - c.mean_a;
  c.lift =
      c.mean_a != 0 ? c.difference / c.mean_a : (c.difference == 0 ? 0.0 : std::numeric_limits<double>::infinity());
  double observed = 0;
  for (double d : diffs) observed += d;
  observed = std::abs(observed);
  // A tolerance so that a permuted sum equal to the observed one up to rounding counts as extreme.
  const double tolerance = 1e-9 * (1 + observed);
  std::mt19937_64 rng(seed);
  int extreme = 0;
  for (int r = 0; r < resamples; ++r) {
    double sum = 0;
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < diffs.size(); ++i) {
      if (i % 64 == 0) bits = rng();
      sum += (bits & 1) != 0 ? diffs[i] : -diffs[i];
      bits >>= 1;
    }
    if (std::abs(sum) >= observed - tolerance) ++extreme;
  }
  c.p_value = diffs.empty() ? 1.0 : (1.0 + extreme) / (1.0 + resamples);
  return c;
}

double two_sided_normal_p(double z) {
  return std::erfc(std::abs(z) / std::sqrt(2.0));
}

ProportionTest two_proportion_z(double hits_a, double n_a, double hits_b, double n_b) {
  AISLE_CHECK(n_a > 0 && n_b > 0);
  ProportionTest t;
  t.rate_a = hits_a / n_a;
  t.rate_b = hits_b / n_b;
  t.lift = t.rate_a != 0 ? (t.rate_b - t.rate_a) / t.rate_a : 0.0;
  t.extra_per_10k = (t.rate_b - t.rate_a) * 10000.0;
  const double pooled = (hits_a + hits_b) / (n_a + n_b);
  const double se = std::sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b));
  t.z = se > 0 ? (t.rate_b - t.rate_a) / se : 0.0;
  t.p_value = se > 0 ? two_sided_normal_p(t.z) : 1.0;
  return t;
}

RatioEstimate ratio_estimate(std::span<const double> y, std::span<const double> x) {
  AISLE_CHECK(y.size() == x.size());
  RatioEstimate e;
  e.units = y.size();
  double sum_y = 0, sum_x = 0;
  for (std::size_t i = 0; i < y.size(); ++i) sum_y += y[i], sum_x += x[i];
  if (e.units == 0 || sum_x <= 0) return e;
  e.value = sum_y / sum_x;
  if (e.units < 2) return e;
  // Var(r) ~ sum (y_i - r x_i)^2 / (n (n - 1) mean(x)^2): the linearized residuals' variance.
  double residuals = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double d = y[i] - e.value * x[i];
    residuals += d * d;
  }
  const auto n = static_cast<double>(e.units);
  const double mean_x = sum_x / n;
  e.variance = residuals / (n * (n - 1) * mean_x * mean_x);
  return e;
}

namespace {

double normal_quantile_two_sided(double level) {
  return boost::math::quantile(boost::math::normal(), (1 + level) / 2);
}

}  // namespace

Interval normal_interval(const RatioEstimate& e, double level) {
  const double half = normal_quantile_two_sided(level) * std::sqrt(e.variance);
  return {e.value, e.value - half, e.value + half};
}

GroupComparison compare_groups(const RatioEstimate& a, const RatioEstimate& b, double level, double tau) {
  AISLE_CHECK(level > 0 && level < 1 && tau > 0);
  GroupComparison c;
  c.difference = b.value - a.value;
  c.lift = a.value != 0 ? c.difference / a.value : 0.0;
  const double v = a.variance + b.variance;
  c.interval = c.sequential_interval = {c.difference, c.difference, c.difference};
  if (!(v > 0)) return c;
  const double se = std::sqrt(v);
  c.z = c.difference / se;
  c.p_value = two_sided_normal_p(c.z);
  const double half = normal_quantile_two_sided(level) * se;
  c.interval = {c.difference, c.difference - half, c.difference + half};
  // Normal mixture over the difference: Lambda = sqrt(v / (v + t2)) exp(t2 d^2 / (2 v (v + t2))).
  const double t2 = tau * tau;
  const double log_lambda = 0.5 * std::log(v / (v + t2)) + t2 * c.difference * c.difference / (2 * v * (v + t2));
  c.sequential_p = std::min(1.0, std::exp(-log_lambda));
  // {d : Lambda(d) < 1 / alpha}: |d_hat - d| <= sqrt(v (v + t2) / t2 * (log((v + t2) / v) + 2 log(1 / alpha))).
  const double alpha = 1 - level;
  const double seq_half = std::sqrt(v * (v + t2) / t2 * (std::log((v + t2) / v) + 2 * std::log(1 / alpha)));
  c.sequential_interval = {c.difference, c.difference - seq_half, c.difference + seq_half};
  return c;
}

double sign_test_p(std::uint64_t a, std::uint64_t b) {
  const std::uint64_t n = a + b;
  if (n == 0) return 1.0;
  const boost::math::binomial coin(static_cast<double>(n), 0.5);
  const double low = static_cast<double>(std::min(a, b));
  return std::min(1.0, 2 * boost::math::cdf(coin, low));
}

double chi_squared_p(double statistic, double df) {
  AISLE_CHECK(df > 0);
  if (!(statistic > 0)) return 1.0;
  return boost::math::gamma_q(df / 2, statistic / 2);
}

SampleRatioTest sample_ratio_test(std::span<const double> observed, std::span<const double> shares, double alpha) {
  AISLE_CHECK(observed.size() == shares.size() && observed.size() >= 2);
  double total = 0, share_sum = 0;
  for (std::size_t i = 0; i < observed.size(); ++i) total += observed[i], share_sum += shares[i];
  SampleRatioTest t;
  if (total <= 0 || share_sum <= 0) return t;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    const double expected = total * shares[i] / share_sum;
    t.chi_squared += (observed[i] - expected) * (observed[i] - expected) / expected;
  }
  t.p_value = chi_squared_p(t.chi_squared, static_cast<double>(observed.size() - 1));
  t.mismatch = t.p_value < alpha;
  return t;
}

}  // namespace aisle::stats
