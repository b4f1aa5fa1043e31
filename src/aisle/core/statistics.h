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

}  // namespace aisle::stats
