// The evaluation loop end to end on data small enough to rank by hand.
#include "aisle/eval/evaluator.h"

#include <gtest/gtest.h>

#include <cmath>

#include "aisle/eval/report.h"
#include "aisle/models/trained_model.h"
#include "pairs.h"

namespace aisle {
namespace {

using test::pairs_of;

IdMap numbered(std::uint32_t n, const char* prefix) {
  IdMap m;
  for (std::uint32_t i = 0; i < n; ++i) m.intern(prefix + std::to_string(i));
  return m;
}

// Popularity by users: item 0 (4 users) > 1 (3) > 2 (2) > 3 (1); item 4 has no training pair.
struct Fixture {
  Interactions train = pairs_of(
      {
          {0, 0, 1, 1},
          {1, 0, 1, 1},
          {2, 0, 1, 1},
          {3, 0, 1, 1},  //
          {0, 1, 1, 1},
          {1, 1, 1, 1},
          {4, 1, 1, 1},  //
          {2, 2, 1, 1},
          {4, 2, 1, 1},  //
          {4, 3, 1, 1},
      },
      5, 5);
  // User 0 wants 2 and 4 (4 unreachable); user 1 wants 3; user 3 wants 1; user 4 wants 0.
  Interactions test = pairs_of({{0, 2, 1, 2}, {0, 4, 1, 2}, {1, 3, 1, 2}, {3, 1, 1, 2}, {4, 0, 1, 2}}, 5, 5);
  TrainedModel model = train_model("popularity:by=users", train, Catalog{}, numbered(5, "u"), numbered(5, "i"), {});
};

TEST(Evaluator, FullRankingByHand) {
  Fixture f;
  EvalOptions options;
  options.ks = {1, 2};
  const Evaluator evaluator(f.train, make_test_set(f.train, f.test), options);
  EXPECT_EQ(evaluator.catalog_size(), 4u);
  EXPECT_EQ(evaluator.test().unreachable_pairs, 1u);
  const Evaluation e = evaluator.evaluate(f.model);
  // Rankings without seen items: u0 [2, 3], u1 [2, 3], u3 [1, 2], u4 [0].
  // At k = 2: u0 hit at 1 of 2 test items, u1 hit at 2, u3 hit at 1, u4 hit at 1.
  const UserMetrics& m = e.per_user;
  EXPECT_EQ(m.num_users(), 4u);
  const std::size_t hr1 = m.index_of("hr@1"), hr2 = m.index_of("hr@2"), recall2 = m.index_of("recall@2"),
                    ndcg2 = m.index_of("ndcg@2"), mrr2 = m.index_of("mrr@2");
  EXPECT_DOUBLE_EQ(m.mean(hr1), 3.0 / 4);
  EXPECT_DOUBLE_EQ(m.mean(hr2), 1.0);
  EXPECT_DOUBLE_EQ(m.at(0, recall2), 0.5);
  EXPECT_NEAR(m.at(0, ndcg2), 1.0 / (1 + 1 / std::log2(3.0)), 1e-12);
  EXPECT_NEAR(m.at(1, ndcg2), 1 / std::log2(3.0), 1e-12);
  EXPECT_DOUBLE_EQ(m.mean(mrr2), (1 + 0.5 + 1 + 1) / 4);
  // Coverage@2 over the 4 rankable items: {2, 3, 1, 0} = all of them; @1: {2, 1, 0}.
  const auto total = [&](const std::string& name) {
    for (const auto& [n, v] : e.totals) {
      if (n == name) return v;
    }
    return std::nan("");
  };
  EXPECT_DOUBLE_EQ(total("coverage@2"), 1.0);
  EXPECT_DOUBLE_EQ(total("coverage@1"), 0.75);
  EXPECT_TRUE(std::isnan(total("rmse")));  // popularity does not predict ratings
}

TEST(Evaluator, RepeatsAllowedRanksTrainingItems) {
  Fixture f;
  EvalOptions options;
  options.ks = {1};
  options.repeats_allowed = true;
  const Evaluation e = Evaluator(f.train, make_test_set(f.train, f.test), options).evaluate(f.model);
  // Everyone's top item is now item 0: only user 4 hits.
  EXPECT_DOUBLE_EQ(e.per_user.mean(e.per_user.index_of("hr@1")), 0.25);
  EXPECT_EQ(options.protocol_label(), "full ranking, repeats allowed");
}

TEST(Evaluator, SampledProtocolRanksAmongSampledItems) {
  Fixture f;
  EvalOptions options;
  options.ks = {1};
  options.sampled = true;
  options.sample_size = 1;
  EXPECT_EQ(options.protocol_label(), "sampled-1");
  const Evaluation e = Evaluator(f.train, make_test_set(f.train, f.test), options).evaluate(f.model);
  // User 4 has seen items 1..3: its one sample can only be... none left but its test item 0.
  EXPECT_DOUBLE_EQ(e.per_user.at(3, e.per_user.index_of("hr@1")), 1.0);
  // User 3 (seen 0) ranks test item 1 against one of {2, 3}: item 1 is more popular, a hit.
  EXPECT_DOUBLE_EQ(e.per_user.at(2, e.per_user.index_of("hr@1")), 1.0);
}

TEST(Evaluator, RatingModelsGetRatingErrors) {
  Fixture f;
  const TrainedModel mf =
      train_model("mf:factors=2,epochs=5,holdout=0", f.train, Catalog{}, numbered(5, "u"), numbered(5, "i"), {});
  const Evaluator evaluator(f.train, make_test_set(f.train, f.test), {});
  const Evaluation e = evaluator.evaluate(mf);
  bool found = false;
  for (const auto& [name, value] : e.totals) {
    if (name != "rmse") continue;
    found = true;
    EXPECT_TRUE(std::isfinite(value));
  }
  EXPECT_TRUE(found);
  // Reports show the rating error whichever model comes first.
  const Segments segments = segment_by_history(f.train, evaluator.test(), std::vector<std::uint32_t>{3});
  EvaluationReport report;
  report.ks = {10};
  report.models.push_back(summarize("popularity", 0, evaluator.evaluate(f.model), segments, 10, 1));
  report.models.push_back(summarize("mf", 0, e, segments, 10, 1));
  EXPECT_NE(to_table(report).find("mf: rmse "), std::string::npos) << to_table(report);
  EXPECT_NE(to_markdown(report).find("## Rating error"), std::string::npos);
}

TEST(Evaluator, TheThreadBudgetChangesNoResult) {
  // Enough users for many blocks and sampling chunks, so that a budget of 3 runs on the pool.
  constexpr std::uint32_t kUsers = 600, kItems = 50;
  std::vector<test::P> train_rows, test_rows;
  for (UserIdx u = 0; u < kUsers; ++u) {
    for (ItemIdx k = 0; k < 6; ++k) train_rows.push_back({u, (u + 8 * k) % kItems, 1, 1});
    test_rows.push_back({u, (u + 45) % kItems, 1, 2});
  }
  const Interactions train = pairs_of(train_rows, kUsers, kItems), held = pairs_of(test_rows, kUsers, kItems);
  const TrainedModel model =
      train_model("item_knn", train, Catalog{}, numbered(kUsers, "u"), numbered(kItems, "i"), {});
  for (bool sampled : {false, true}) {
    std::vector<Evaluation> runs;
    for (int threads : {1, 3}) {
      EvalOptions options;
      options.ks = {5, 10};
      options.sampled = sampled;
      options.sample_size = 10;
      options.run = RunContext(threads, 11);
      runs.push_back(Evaluator(train, make_test_set(train, held), options).evaluate(model));
    }
    EXPECT_EQ(runs[0].per_user.values, runs[1].per_user.values) << (sampled ? "sampled" : "full ranking");
    EXPECT_EQ(runs[0].totals, runs[1].totals) << (sampled ? "sampled" : "full ranking");
  }
}

TEST(Evaluator, SegmentsByTrainingPairs) {
  Fixture f;
  const TestSet t = make_test_set(f.train, f.test);
  const std::uint32_t bounds[] = {2, 3};
  const Segments s = segment_by_history(f.train, t, bounds);
  EXPECT_EQ(s.names, (std::vector<std::string>{"1", "2", "3+"}));
  // Users 0, 1, 3, 4 have 2, 2, 1, 3 training pairs.
  EXPECT_EQ(s.of_user, (std::vector<std::uint8_t>{1, 1, 0, 2}));
}

TEST(Evaluator, ReportComparesWithTheBaseline) {
  Fixture f;
  const TestSet t = make_test_set(f.train, f.test);
  EvalOptions options;
  options.ks = {1};
  const Evaluator evaluator(f.train, t, options);
  const std::uint32_t bounds[] = {2};
  const Segments segments = segment_by_history(f.train, evaluator.test(), bounds);
  EvaluationReport report;
  report.ks = options.ks;
  report.segment_names = segments.names;
  report.segment_users = {1, 3};
  report.models.push_back(summarize("popularity", 0, evaluator.evaluate(f.model), segments, 100, 1));
  const TrainedModel repeats =
      train_model("popularity:by=weight", f.train, Catalog{}, numbered(5, "u"), numbered(5, "i"), {});
  report.models.push_back(summarize("popularity:by=weight", 0, evaluator.evaluate(repeats), segments, 100, 1));
  compare_with_baseline(report, 0, 100, 1);
  EXPECT_EQ(report.baseline, "popularity");
  EXPECT_TRUE(report.models[0].vs_baseline.empty());
  ASSERT_TRUE(report.models[1].ab.has_value());
  EXPECT_DOUBLE_EQ(report.models[1].ab->rate_a, 0.75);
  // Segment "1" is user 3 alone, whose first item (1) is a hit.
  EXPECT_DOUBLE_EQ(report.models[0].segment_means[0][report.models[0].per_user.index_of("hr@1")], 1.0);
  const std::string json = to_json(report), html = to_html(report), md = to_markdown(report);
  EXPECT_NE(json.find("\"hr@1\""), std::string::npos);
  EXPECT_NE(json.find("\"ci95\""), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);  // self-contained: nothing to fetch
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_NE(md.find("| `popularity:by=weight` |"), std::string::npos);
}

}  // namespace
}  // namespace aisle
