// The TPE sampler on known objectives, and studies of a real model: pruning by the median rule,
// resuming from the journal, refusing another study's journal.
#include "aisle/eval/tuner.h"

#include <gtest/gtest.h>

#include <cmath>

#include "aisle/core/error.h"
#include "aisle/data/readers/reader.h"
#include "aisle/eval/early_stop.h"
#include "aisle/models/registry.h"
#include "test_util.h"

namespace aisle {
namespace {

TEST(SearchSpace, ComesFromTheSchema) {
  const auto space = search_space(find_model("als").params());
  ASSERT_EQ(space.size(), 5u);  // factors, regularization, alpha, iterations, transform
  EXPECT_EQ(space[0].name, "factors");
  EXPECT_TRUE(space[0].log_scale);
  EXPECT_NEAR(space[0].low, std::log(16.0), 1e-12);
  EXPECT_EQ(space[0].text(space[0].internal("64")), "64");
  EXPECT_EQ(space[4].kind, ParamKind::kChoice);
  EXPECT_EQ(space[4].text(space[4].internal("log1p")), "log1p");
  EXPECT_THROW(space[4].internal("bm25"), ConfigError);
  for (const auto& d : space) EXPECT_NE(d.name, "cg_steps");  // not searched
}

// Mean distance to the optimum of the last `tail` of `n` proposals on -(x - 7)^2 over [0, 10].
double distance_to_optimum(int startup, int n, int tail) {
  SearchDimension d;
  d.name = "x";
  d.low = 0;
  d.high = 10;
  std::vector<Observation> history;
  double distance = 0;
  for (int t = 0; t < n; ++t) {
    TpeSampler sampler({d}, 1000 + static_cast<std::uint64_t>(t), startup);
    const double x = sampler.suggest(history).front();
    EXPECT_GE(x, 0.0);
    EXPECT_LE(x, 10.0);
    history.push_back({{x}, -(x - 7) * (x - 7), true});
    if (t >= n - tail) distance += std::abs(x - 7);
  }
  return distance / tail;
}

TEST(Tpe, ConcentratesNearTheOptimum) {
  const double tpe = distance_to_optimum(10, 60, 30);
  const double random = distance_to_optimum(1000, 60, 30);  // never leaves the start-up phase
  EXPECT_LT(tpe, 1.0);
  EXPECT_LT(tpe, random / 2);
}

TEST(Tpe, PrefersTheBetterChoice) {
  SearchDimension d;
  d.name = "c";
  d.kind = ParamKind::kChoice;
  d.choices = {"a", "b", "c"};
  d.high = 2;
  std::vector<Observation> history;
  int picked_b = 0;
  for (int t = 0; t < 40; ++t) {
    TpeSampler sampler({d}, static_cast<std::uint64_t>(t), 6);
    const double x = sampler.suggest(history).front();
    history.push_back({{x}, x == 1 ? 1.0 : 0.0, true});
    if (t >= 20 && x == 1) ++picked_b;
  }
  EXPECT_GE(picked_b, 15);
}

struct Data {
  EventLog log;
  Interactions fit, validation;
  Data() {
    ReadOptions options;
    read_files("csv", std::vector<std::string>{test::fixture("eval/or-train.csv.zst")}, options, log);
    const Interactions pairs =
        aggregate(log.events, options.weighting.resolve(log.event_types), log.users.size(), log.items.size());
    Split s = split_pairs(pairs, {});
    fit = std::move(s.train);
    validation = std::move(s.test);
  }
};

TuneOptions als_options(int trials) {
  TuneOptions o;
  o.model = "als";
  o.trials = trials;
  o.startup = 3;
  o.prune_warmup = 2;
  return o;
}

std::vector<std::string> specs(const Study& s) {
  std::vector<std::string> out;
  for (const TrialRecord& t : s.trials()) out.push_back(t.spec);
  return out;
}

TEST(Study, PrunesOnlyBelowTheMedianOfEarlierTrials) {
  const Data d;
  Study study(als_options(10), d.fit, d.validation, d.log.catalog, "fixture");
  study.run([](const TrialRecord&) {});
  ASSERT_EQ(study.trials().size(), 10u);
  int pruned = 0;
  for (std::size_t i = 0; i < study.trials().size(); ++i) {
    const TrialRecord& t = study.trials()[i];
    if (t.state != TrialState::kPruned) continue;
    ++pruned;
    EXPECT_TRUE(std::isnan(t.score));
    ASSERT_FALSE(t.checkpoints.empty());
    const auto [step, value] = t.checkpoints.back();
    std::vector<double> earlier;
    for (std::size_t j = 0; j < i; ++j) {
      for (const auto& [s, v] : study.trials()[j].checkpoints) {
        if (s == step) earlier.push_back(v);
      }
    }
    ASSERT_GE(earlier.size(), 2u);
    std::sort(earlier.begin(), earlier.end());
    const std::size_t n = earlier.size();
    const double median = n % 2 == 1 ? earlier[n / 2] : 0.5 * (earlier[n / 2 - 1] + earlier[n / 2]);
    EXPECT_LT(value, median);
  }
  EXPECT_GT(pruned, 0);
  ASSERT_NE(study.best(), nullptr);
  EXPECT_EQ(study.best()->state, TrialState::kComplete);

  TuneOptions no_prune = als_options(6);
  no_prune.prune = false;
  Study all(no_prune, d.fit, d.validation, d.log.catalog, "fixture");
  all.run([](const TrialRecord&) {});
  for (const TrialRecord& t : all.trials()) EXPECT_EQ(t.state, TrialState::kComplete);
}

TEST(Study, ResumesFromItsJournalAsIfUninterrupted) {
  const Data d;
  test::TempDir dir;
  TuneOptions o = als_options(4);
  o.journal = dir.file("study.jsonl");
  Study first(o, d.fit, d.validation, d.log.catalog, "fixture");
  first.run([](const TrialRecord&) {});
  o.trials = 7;
  Study resumed(o, d.fit, d.validation, d.log.catalog, "fixture");
  EXPECT_EQ(resumed.trials().size(), 4u);
  int reported = 0;
  resumed.run([&](const TrialRecord&) { ++reported; });
  EXPECT_EQ(reported, 3);
  Study straight(als_options(7), d.fit, d.validation, d.log.catalog, "fixture");
  straight.run([](const TrialRecord&) {});
  EXPECT_EQ(specs(resumed), specs(straight));
  for (std::size_t i = 0; i < straight.trials().size(); ++i) {
    const TrialRecord &a = resumed.trials()[i], &b = straight.trials()[i];
    EXPECT_EQ(a.state, b.state);
    EXPECT_EQ(a.checkpoints, b.checkpoints);
    if (a.state == TrialState::kComplete) {
      EXPECT_DOUBLE_EQ(a.score, b.score);
    }
  }

  TuneOptions other = o;
  other.metric = "hr@10";
  EXPECT_THROW(Study(other, d.fit, d.validation, d.log.catalog, "fixture"), InputError);
  test::TempDir broken;
  other = o;
  other.journal = broken.write("j.jsonl", "{\"study\": \"aisle tune\"\n");
  EXPECT_THROW(Study(other, d.fit, d.validation, d.log.catalog, "fixture"), InputError);
}

TEST(Study, RejectsAMetricItCannotCompute) {
  const Data d;
  TuneOptions o = als_options(1);
  o.metric = "ndcg";
  EXPECT_THROW(Study(o, d.fit, d.validation, d.log.catalog, "fixture"), ConfigError);
  o.metric = "auc@10";
  EXPECT_THROW(Study(o, d.fit, d.validation, d.log.catalog, "fixture"), ConfigError);
}

}  // namespace
}  // namespace aisle

namespace aisle {
namespace {

TEST(EarlyStop, StopsPatienceStepsAfterTheBest) {
  const Data d;
  RunContext run;
  const EarlyStop s =
      find_best_step("als:factors=16,iterations=30", d.fit, d.validation, d.log.catalog, "ndcg@10", 2, run);
  ASSERT_FALSE(s.curve.empty());
  double best = -1;
  for (const auto& [step, value] : s.curve) best = std::max(best, value);
  EXPECT_DOUBLE_EQ(s.best_value, best);
  // Steps are 1, 2, 3, ... and the fit ran at most `patience` steps past the best one.
  for (std::size_t i = 0; i < s.curve.size(); ++i) EXPECT_EQ(s.curve[i].first, static_cast<int>(i) + 1);
  EXPECT_LE(s.curve.back().first - s.best_step, 2);
  EXPECT_TRUE(s.curve.back().first == 30 || s.curve.back().first - s.best_step == 2);
}

TEST(EarlyStop, RefusesModelsWithoutStepsAndUnknownMetrics) {
  const Data d;
  RunContext run;
  EXPECT_THROW(find_best_step("ease", d.fit, d.validation, d.log.catalog, "ndcg@10", 2, run), ConfigError);
  EXPECT_THROW(find_best_step("als", d.fit, d.validation, d.log.catalog, "ndcg", 2, run), ConfigError);
  EXPECT_THROW(find_best_step("als", d.fit, d.validation, d.log.catalog, "auc@10", 2, run), ConfigError);
  EXPECT_THROW(find_best_step("als", d.fit, d.validation, d.log.catalog, "ndcg@10", 0, run), ConfigError);
}

}  // namespace
}  // namespace aisle
