// Uncertainty and significance: over per-user metric values in offline evaluation (docs
// EVALUATION.md section 4) and over visitors in online experiments (docs/EXPERIMENTS.md). Every
// resampling procedure is seeded, so a report is reproducible to the last digit.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace aisle::stats {

struct Interval {
  double mean = 0, lo = 0, hi = 0;
};

// The mean of every metric with its percentile bootstrap interval over units (users, visitors):
// `values` is row-major, one row of `width` metrics per unit. `resamples` resamples of the units
// with replacement (the same resamples for every metric), the (1 - level) / 2 and (1 + level) / 2
// quantiles of their means.
std::vector<Interval> bootstrap(std::span<const double> values, std::size_t width, int resamples, double level,
                                std::uint64_t seed);

// Two models on the same users: mean of b - a, relative lift (b - a) / a, and the two-sided
// p-value of a paired sign-flip permutation test on the per-user differences (`resamples`
// random sign patterns, p = (1 + at least as extreme) / (1 + resamples)).
struct PairedComparison {
  double mean_a = 0, mean_b = 0, difference = 0, lift = 0, p_value = 1;
};
PairedComparison paired_test(std::span<const double> a, std::span<const double> b, int resamples, std::uint64_t seed);

// The A/B view of two hit rates as two groups of users: lift, two-proportion z-test (pooled
// variance, two-sided) and the extra hits per 10,000 users that b gives over a.
struct ProportionTest {
  double rate_a = 0, rate_b = 0, lift = 0, z = 0, p_value = 1, extra_per_10k = 0;
};
ProportionTest two_proportion_z(double hits_a, double n_a, double hits_b, double n_b);

// P(|Z| >= |z|) for a standard normal Z.
double two_sided_normal_p(double z);

// --- Online experiments: independent groups of units (visitors), large-sample methods. ---

// A metric sum(y) / sum(x) over independent units (a rate per impression: y the unit's
// impressions with a click, x its impressions; a mean per visitor: x = 1), with the delta-method
// variance of the ratio, which counts a visitor's impressions as one unit, not as independent.
struct RatioEstimate {
  double value = 0, variance = 0;
  std::size_t units = 0;
};
RatioEstimate ratio_estimate(std::span<const double> y, std::span<const double> x);

// The normal interval of an estimate at `level` (e.g. 0.95).
Interval normal_interval(const RatioEstimate& e, double level);

// b against a (two independent groups): difference b - a, relative lift, the fixed-horizon z test
// and interval, and the always-valid ones of a mixture sequential probability ratio test (mSPRT,
// Johari, Pekelis and Walsh, "Always valid inference", 2017) with a normal mixing distribution of
// standard deviation `tau` over the difference: the sequential p-value and confidence sequence
// stay valid however often the results are looked at, which the fixed-horizon ones do not.
struct GroupComparison {
  double difference = 0, lift = 0, z = 0, p_value = 1;
  Interval interval;             // of the difference, fixed horizon
  double sequential_p = 1;       // min(1, 1 / likelihood ratio)
  Interval sequential_interval;  // of the difference, the confidence sequence at `level`
};
GroupComparison compare_groups(const RatioEstimate& a, const RatioEstimate& b, double level, double tau);

// The two-sided exact sign test: P(a result at least as uneven as a : b) for a fair coin over
// a + b trials (1 when a + b is 0). Interleaving's test of which arm the visitors preferred.
double sign_test_p(std::uint64_t a, std::uint64_t b);

// P(X >= statistic) for X chi-squared with `df` degrees of freedom.
double chi_squared_p(double statistic, double df);

// Sample ratio mismatch: Pearson's chi-squared test of observed unit counts against the shares
// the design assigns (any positive scale; normalized here). `mismatch` when p < alpha.
struct SampleRatioTest {
  double chi_squared = 0, p_value = 1;
  bool mismatch = false;
};
SampleRatioTest sample_ratio_test(std::span<const double> observed, std::span<const double> shares, double alpha);

}  // namespace aisle::stats
