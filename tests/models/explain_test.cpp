// Explanations (Explainer, Ranker::explain) on data built so that one history item plainly
// carries a recommendation: item 0 goes with item 3 for many users, item 1 with item 3 for a
// few and with item 4 for many. Asked from the history {0, 1}, item 3 is because of 0 and item 4
// because of 1; where a model's contributions are a decomposition of its score, they sum to it.
#include <gtest/gtest.h>

#include <numeric>

#include "aisle/models/trained_model.h"
#include "model_test_data.h"

namespace aisle {
namespace {

struct Together {
  static constexpr std::uint32_t kUsers = 60, kItems = 8;
  Interactions pairs;
  Catalog catalog;
  IdMap users = testing::make_ids("u", kUsers), items = testing::make_ids("i", kItems);

  Together() {
    std::vector<testing::Pair> list;
    const auto add = [&](UserIdx u, std::initializer_list<ItemIdx> basket) {
      for (ItemIdx i : basket) list.push_back({u, i, 1.0f, 1000});
    };
    UserIdx u = 0;
    for (int r = 0; r < 20; ++r) add(u++, {0, 3});
    for (int r = 0; r < 4; ++r) add(u++, {1, 3});
    for (int r = 0; r < 20; ++r) add(u++, {1, 4});
    for (int r = 0; r < 8; ++r) add(u++, {2, 5});
    for (int r = 0; r < 8; ++r) add(u++, {6, 7, 5});
    pairs = testing::make_pairs(kUsers, kItems, list);
  }
};

TrainedModel fitted(const std::string& spec) {
  const Together data;
  FitContext context;
  context.run = RunContext(1, 7);
  return train_model(spec, data.pairs, data.catalog, data.users, data.items, context);
}

Query history_01() {
  Query q;
  q.items = {0, 1};
  return q;
}

float sum_of(const std::vector<Scored>& list) {
  return std::accumulate(list.begin(), list.end(), 0.0f, [](float s, const Scored& c) { return s + c.score; });
}

class ExplainTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ExplainTest, TheItemThatGoesWithTheRecommendationComesFirst) {
  const TrainedModel m = fitted(GetParam());
  const std::vector<ItemIdx> asked = {3, 4};
  const auto why = m.explain(history_01(), asked, 5);
  ASSERT_EQ(why.size(), 2u);
  ASSERT_FALSE(why[0].empty());
  ASSERT_FALSE(why[1].empty());
  EXPECT_EQ(why[0].front().item, 0u);
  EXPECT_EQ(why[1].front().item, 1u);
  // n limits the list.
  const auto one = m.explain(history_01(), asked, 1);
  EXPECT_EQ(one[0].size(), 1u);
  EXPECT_EQ(one[0].front(), why[0].front());
}

INSTANTIATE_TEST_SUITE_P(Models, ExplainTest,
                         ::testing::Values("ease", "ease:recency=0,transform=none", "item_knn",
                                           "als:factors=8,iterations=10", "bpr:factors=8,epochs=300",
                                           "route:min_history=1(known=item_knn; fallback=popularity)",
                                           "blend:normalize=min-max(0.7*ease; 0.3*item_knn; 0.5*popularity)"),
                         [](const auto& test) {
                           std::string name = test.param.substr(0, test.param.find(':'));
                           return name + std::to_string(test.index);
                         });

// The score is the sum of what each history item adds: the contributions add up to it.
TEST(Explain, EaseContributionsSumToTheScore) {
  for (const std::string spec : {"ease", "ease:recency=0.5,transform=log1p"}) {
    const TrainedModel m = fitted(spec);
    Query q;
    q.items = {0, 1, 2};
    q.times = {10, 20, 30};  // recency weights differ
    // 0 and 1 both go with 3; only 2 goes with 5 (its group of items shares no user with 3's,
    // so the other weights are 0 and left out).
    const std::vector<ItemIdx> asked = {3, 5};
    const auto why = m.explain(q, asked, 10);
    const auto scores = m.score_candidates(q, asked);
    ASSERT_EQ(why[0].size(), 2u) << spec;
    ASSERT_EQ(why[1].size(), 1u) << spec;
    EXPECT_EQ(why[1].front().item, 2u);
    for (std::size_t i = 0; i < asked.size(); ++i) {
      EXPECT_NEAR(sum_of(why[i]), scores[i], 1e-4f * std::abs(scores[i]) + 1e-6f) << spec << " item " << asked[i];
    }
  }
}

TEST(Explain, ItemKnnContributionsSumToTheScoreLessThePrior) {
  const TrainedModel m = fitted("item_knn");
  Query q;
  q.user = 20;  // {1, 3} in training; weights 1: each history item adds log(2) x similarity
  const std::vector<ItemIdx> asked = {0, 4};
  const auto why = m.explain(q, asked, 10);
  const auto scores = m.score_candidates(q, asked);
  for (std::size_t i = 0; i < asked.size(); ++i) {
    ASSERT_EQ(why[i].size(), 1u);
    EXPECT_NEAR(sum_of(why[i]), scores[i], 1e-5f);
  }
  EXPECT_EQ(why[0].front().item, 3u);  // 0 is reached through 3 only
  EXPECT_EQ(why[1].front().item, 1u);
}

TEST(Explain, KnownUsersAreExplainedFromTheirTrainingHistoryAndAddedItems) {
  const TrainedModel m = fitted("ease");
  Query q;
  q.user = 0;     // {0, 3}
  q.items = {1};  // added
  const std::vector<ItemIdx> asked = {4};
  const auto why = m.explain(q, asked, 5);
  ASSERT_FALSE(why[0].empty());
  EXPECT_EQ(why[0].front().item, 1u);
}

TEST(Explain, AModelWithoutTheCapabilityExplainsNothing) {
  const TrainedModel m = fitted("popularity");
  const std::vector<ItemIdx> asked = {3, 4};
  const auto why = m.explain(history_01(), asked, 5);
  ASSERT_EQ(why.size(), 2u);
  EXPECT_TRUE(why[0].empty());
  EXPECT_TRUE(why[1].empty());
}

TEST(Explain, KeepTopContributionsMergesRepeatsDropsNonPositiveAndSorts) {
  std::vector<Scored> c = {{5, 0.5f}, {2, -1.0f}, {7, 0.25f}, {5, 0.5f}, {9, 0.0f}, {1, 0.25f}, {4, 2.0f}};
  keep_top_contributions(c, 3);
  EXPECT_EQ(c, (std::vector<Scored>{{4, 2.0f}, {5, 1.0f}, {1, 0.25f}}));
  keep_top_contributions(c, 0);
  EXPECT_TRUE(c.empty());
}

}  // namespace
}  // namespace aisle
