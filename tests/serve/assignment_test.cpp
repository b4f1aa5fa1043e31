// Visitor assignment (serve/assignment.h): sticky, in proportion to the shares, stable when one
// arm's share changes, exclusive within a layer and independent across layers.
#include "aisle/serve/assignment.h"

#include <gtest/gtest.h>

#include <map>

namespace aisle::serve {
namespace {

ExperimentSpec experiment(std::string name, std::vector<double> shares, double traffic = 1.0, std::string layer = "") {
  ExperimentSpec e;
  e.name = std::move(name);
  e.traffic = traffic;
  e.layer = std::move(layer);
  for (std::size_t i = 0; i < shares.size(); ++i) e.arms.push_back({"arm" + std::to_string(i), "serving", shares[i]});
  check_experiment(e);
  return e;
}

std::string visitor(int v) {
  return "user-" + std::to_string(v);
}

// The arm of each of `n` visitors in the experiment at index `e` (-1: not in it).
std::vector<int> arms_of(const std::vector<ExperimentSpec>& experiments, std::size_t e, int n) {
  std::vector<int> out(static_cast<std::size_t>(n), -1);
  for (int v = 0; v < n; ++v) {
    for (const Assignment& a : assign_visitor(experiments, visitor(v))) {
      if (a.experiment == e) out[static_cast<std::size_t>(v)] = static_cast<int>(a.arm);
    }
  }
  return out;
}

TEST(Assignment, TheSameVisitorAlwaysGetsTheSameArm) {
  const std::vector<ExperimentSpec> x = {experiment("home", {1, 1})};
  const std::vector<int> first = arms_of(x, 0, 2000), again = arms_of(x, 0, 2000);
  EXPECT_EQ(first, again);
  EXPECT_EQ(bucket_of("salt:home", "u1"), bucket_of("salt:home", "u1"));
  EXPECT_LT(bucket_of("salt:home", "u1"), kBuckets);
  // Another salt reshuffles: about half of the visitors change arms.
  std::vector<ExperimentSpec> salted = x;
  salted[0].salt = "home-2";
  const std::vector<int> reshuffled = arms_of(salted, 0, 2000);
  int moved = 0;
  for (std::size_t v = 0; v < first.size(); ++v) moved += first[v] != reshuffled[v];
  EXPECT_NEAR(moved, 1000, 120);
}

TEST(Assignment, ArmsGetTheirSharesOfTheVisitors) {
  const std::vector<ExperimentSpec> x = {experiment("home", {0.5, 0.3, 0.2})};
  const int n = 40000;
  std::map<int, int> count;
  for (const int arm : arms_of(x, 0, n)) count[arm]++;
  EXPECT_EQ(count.count(-1), 0u);  // traffic 1: everyone is in
  EXPECT_NEAR(count[0], 0.5 * n, 0.015 * n);
  EXPECT_NEAR(count[1], 0.3 * n, 0.015 * n);
  EXPECT_NEAR(count[2], 0.2 * n, 0.015 * n);
}

TEST(Assignment, ChangingOneArmsShareMovesOnlyThatArmsVisitors) {
  const std::vector<ExperimentSpec> before = {experiment("home", {0.5, 0.3, 0.2})};
  const std::vector<ExperimentSpec> after = {experiment("home", {0.5, 0.1, 0.2})};
  const std::vector<int> a = arms_of(before, 0, 20000), b = arms_of(after, 0, 20000);
  int left_arm1 = 0;
  for (std::size_t v = 0; v < a.size(); ++v) {
    if (a[v] == b[v]) continue;
    // The only moves: out of arm 1, never between arms 0 and 2, never into arm 1.
    EXPECT_EQ(a[v], 1) << visitor(static_cast<int>(v));
    EXPECT_NE(b[v], 1);
    ++left_arm1;
  }
  EXPECT_GT(left_arm1, 0);
}

TEST(Assignment, ExperimentsOfOneLayerNeverShareAVisitorAndOtherLayersAreIndependent) {
  const std::vector<ExperimentSpec> x = {experiment("a", {1, 1}, 0.5, "home"), experiment("b", {1, 1}, 0.3, "home"),
                                         experiment("c", {1, 1}, 0.5, "search")};
  const int n = 20000;
  const std::vector<int> in_a = arms_of(x, 0, n), in_b = arms_of(x, 1, n), in_c = arms_of(x, 2, n);
  int a = 0, b = 0, c = 0, a_and_c = 0;
  for (std::size_t v = 0; v < in_a.size(); ++v) {
    EXPECT_FALSE(in_a[v] >= 0 && in_b[v] >= 0);
    a += in_a[v] >= 0, b += in_b[v] >= 0, c += in_c[v] >= 0;
    a_and_c += in_a[v] >= 0 && in_c[v] >= 0;
  }
  EXPECT_NEAR(a, 0.5 * n, 0.02 * n);
  EXPECT_NEAR(b, 0.3 * n, 0.02 * n);
  EXPECT_NEAR(c, 0.5 * n, 0.02 * n);
  EXPECT_NEAR(a_and_c, 0.25 * n, 0.02 * n);  // independent: 0.5 x 0.5
  // Assignments come in the experiments' order.
  for (int v = 0; v < 200; ++v) {
    const auto list = assign_visitor(x, visitor(v));
    for (std::size_t i = 1; i < list.size(); ++i) EXPECT_LT(list[i - 1].experiment, list[i].experiment);
  }
}

TEST(Assignment, RendezvousNeverPicksAZeroWeight) {
  const std::vector<std::string> names = {"a", "b"};
  const std::vector<double> zero_b = {1, 0}, none = {0, 0};
  for (std::uint32_t bucket = 0; bucket < 500; ++bucket) EXPECT_EQ(rendezvous("k", bucket, names, zero_b), 0u);
  EXPECT_EQ(rendezvous("k", 7, names, none), 2u);
  // The hash is the same everywhere: a value computed by an independent implementation (Python,
  // the same FNV-1a and finalizer) guards against a change of the function, which would
  // reshuffle every running experiment on upgrade.
  EXPECT_EQ(stable_hash({"salt:home", "u1"}), 9705477672763538283ULL);
  EXPECT_EQ(bucket_of("salt:home", "u1"), 8283u);
  EXPECT_NE(stable_hash({"ab", "c"}), stable_hash({"a", "bc"}));
}

}  // namespace
}  // namespace aisle::serve
