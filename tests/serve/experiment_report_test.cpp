// The experiment report (serve/experiment_report.h) over impressions and feedback built here:
// which feedback counts for which impression, the per-arm statistics, the sample-ratio check,
// and interleaving's preference test.
#include "aisle/serve/experiment_report.h"

#include <gtest/gtest.h>

#include <random>

namespace aisle::serve {
namespace {

ExperimentSpec two_arms(ExperimentMode mode = ExperimentMode::kAb) {
  ExperimentSpec e;
  e.name = "home";
  e.mode = mode;
  e.attribution_seconds = 3600;
  e.arms = {{"control", "serving", 1}, {"new", "ease", 1}};
  check_experiment(e);
  return e;
}

LiveEvent event(std::string user, std::string item, std::string type, Timestamp t, float value = kAbsent) {
  LiveEvent e;
  e.user = std::move(user);
  e.item = std::move(item);
  e.type = std::move(type);
  e.time = t;
  e.value = value;
  return e;
}

TEST(ExperimentReport, FeedbackCountsForTheLatestListThatShowedTheItemWithinTheWindow) {
  const ExperimentSpec spec = two_arms();
  const std::vector<Impression> impressions = {
      {"r1", "home", "control", "u1", false, 1000, {"a", "b"}, {}},
      {"r2", "home", "new", "u2", false, 1000, {"a", "b"}, {}},
      {"r3", "home", "new", "s9", true, 1000, {"a"}, {}},
  };
  std::vector<LiveEvent> feedback = {
      event("u1", "c", "view", 1100),         // not shown
      event("u1", "a", "view", 999),          // before the list
      event("u1", "b", "view", 1000 + 3601),  // after the window
      event("u3", "a", "view", 1100),         // another visitor
      event("u2", "a", "view", 1100),         // counts: u2 clicked
      event("u2", "a", "purchase", 1200, 7.5f),
      event("u2", "b", "purchase", 1300),  // no value: 2 x the catalog price
      event("u2", "b", "cart", 1250),
  };
  feedback[6].quantity = 2;
  LiveEvent anonymous = event("someone", "a", "view", 1050);
  anonymous.session = "s9";  // an anonymous visitor's feedback names its session
  feedback.push_back(anonymous);
  const nlohmann::ordered_json report = experiment_report(
      {&spec, impressions, feedback, [](std::string_view item) { return item == "b" ? 4.0f : kAbsent; }});
  const auto& control = report["arms"][0];
  const auto& treatment = report["arms"][1];
  EXPECT_EQ(control["visitors"], 1);
  EXPECT_EQ(control["click_rate"]["value"], 0.0);
  EXPECT_EQ(treatment["visitors"], 2);
  EXPECT_EQ(treatment["impressions"], 2.0);
  EXPECT_EQ(treatment["click_rate"]["value"], 1.0);  // u2's list and s9's list
  EXPECT_EQ(treatment["add_to_cart_rate"]["value"], 0.5);
  EXPECT_EQ(treatment["purchase_rate"]["value"], 0.5);
  EXPECT_DOUBLE_EQ(treatment["revenue_per_visitor"]["value"].get<double>(), (7.5 + 2 * 4.0) / 2);
  EXPECT_TRUE(treatment.contains("vs_control"));
  EXPECT_FALSE(control.contains("vs_control"));
}

// Simulated traffic: control clicks 10% of its lists, the new arm 14%.
struct Traffic {
  std::vector<Impression> impressions;
  std::vector<LiveEvent> feedback;
};

Traffic simulate(int visitors_per_arm, double control_rate, double new_rate, int skip_new_every = 0) {
  Traffic t;
  std::mt19937_64 rng(5);
  int request = 0;
  for (int v = 0; v < visitors_per_arm; ++v) {
    for (const auto& [arm, rate] : {std::pair{"control", control_rate}, std::pair{"new", new_rate}}) {
      if (skip_new_every > 0 && std::string(arm) == "new" && v % skip_new_every == 0) continue;
      const std::string visitor = std::string(arm) + "-" + std::to_string(v);
      for (int list = 0; list < 3; ++list) {
        const Timestamp at = 1000 + list * 10000;
        t.impressions.push_back({"r" + std::to_string(request++), "home", arm, visitor, false, at, {"x", "y"}, {}});
        if (std::bernoulli_distribution(rate)(rng)) t.feedback.push_back(event(visitor, "y", "view", at + 5));
      }
    }
  }
  return t;
}

TEST(ExperimentReport, ArmsAreComparedWithTheControlWithFixedAndAlwaysValidTests) {
  const ExperimentSpec spec = two_arms();
  const Traffic t = simulate(3000, 0.10, 0.14);
  const auto report = experiment_report({&spec, t.impressions, t.feedback, nullptr});
  const auto& treatment = report["arms"][1];
  EXPECT_NEAR(report["arms"][0]["click_rate"]["value"].get<double>(), 0.10, 0.01);
  EXPECT_NEAR(treatment["click_rate"]["value"].get<double>(), 0.14, 0.01);
  const auto& vs = treatment["vs_control"]["click_rate"];
  EXPECT_NEAR(vs["lift"].get<double>(), 0.4, 0.15);
  EXPECT_LT(vs["p_value"].get<double>(), 0.001);
  EXPECT_LT(vs["sequential_p_value"].get<double>(), 0.05);
  EXPECT_GT(vs["sequential_interval"][0].get<double>(), 0.0);
  // The confidence sequence is wider than the fixed-horizon interval.
  EXPECT_LT(vs["sequential_interval"][0].get<double>(), vs["interval"][0].get<double>());
  // No prices, no purchase values: revenue is unknown, not zero.
  EXPECT_TRUE(treatment["revenue_per_visitor"].is_null());
  EXPECT_FALSE(report["sample_ratio"]["mismatch"].get<bool>());
}

TEST(ExperimentReport, AnArmThatLosesVisitorsIsFlaggedAsASampleRatioMismatch) {
  const ExperimentSpec spec = two_arms();
  const Traffic t = simulate(3000, 0.10, 0.10, 10);  // the new arm lost every tenth visitor
  const auto report = experiment_report({&spec, t.impressions, t.feedback, nullptr});
  EXPECT_TRUE(report["sample_ratio"]["mismatch"].get<bool>());
  EXPECT_LT(report["sample_ratio"]["p_value"].get<double>(), 0.001);
}

TEST(ExperimentReport, InterleavingCreditsClicksToTheArmThatContributedTheItem) {
  const ExperimentSpec spec = two_arms(ExperimentMode::kInterleave);
  std::vector<Impression> impressions;
  std::vector<LiveEvent> feedback;
  for (int v = 0; v < 60; ++v) {
    const std::string visitor = "u" + std::to_string(v);
    impressions.push_back({"r" + std::to_string(v), "home", "", visitor, false, 100, {"a", "b"}, {"control", "new"}});
    // Two visitors in three click the new arm's item, the others the control's.
    feedback.push_back(event(visitor, v % 3 == 0 ? "a" : "b", "view", 150));
  }
  const auto report = experiment_report({&spec, impressions, feedback, nullptr});
  const auto& x = report["interleaving"];
  EXPECT_EQ(x["prefer"]["new"], 40);
  EXPECT_EQ(x["prefer"]["control"], 20);
  EXPECT_NEAR(x["delta"].get<double>(), 40.0 / 60 - 0.5, 1e-12);
  EXPECT_LT(x["p_value"].get<double>(), 0.05);
  EXPECT_FALSE(report.contains("arms"));
}

}  // namespace
}  // namespace aisle::serve
