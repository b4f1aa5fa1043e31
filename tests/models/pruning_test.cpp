// Exact oracle for batch recommendation: whatever shortcut recommend() takes (item tiles, norm
// bounds for factor models), its top k must equal a plain sort of every item's score.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "aisle/models/registry.h"
#include "aisle/models/trained_model.h"
#include "model_test_data.h"

namespace aisle {
namespace {

// 400 users x 6,000 items (several tiles), popularity skewed so that item norms differ.
struct SkewedData {
  static constexpr std::uint32_t kUsers = 400, kItems = 6000;
  Interactions pairs;
  Catalog catalog;
  SkewedData() : pairs(testing::skewed_pairs(kUsers, kItems, 5, 40, 3.0)) {}  // dense near item 0
};

std::vector<Scored> oracle(const TrainedModel& m, const Query& q, const Filter& f, std::size_t k) {
  std::vector<ItemIdx> all(m.num_items());
  for (ItemIdx i = 0; i < all.size(); ++i) all[i] = i;
  const std::vector<float> s = m.score_candidates(q, all);
  std::vector<ItemIdx> seen(m.history().items_of(q.user).begin(), m.history().items_of(q.user).end());
  std::vector<Scored> list;
  for (ItemIdx i = 0; i < all.size(); ++i) {
    const bool is_seen = std::find(seen.begin(), seen.end(), i) != seen.end();
    const bool is_excluded = std::find(f.exclude.begin(), f.exclude.end(), i) != f.exclude.end();
    if (!(f.exclude_seen && is_seen) && !is_excluded) list.push_back({i, s[i]});
  }
  std::sort(list.begin(), list.end(), ranks_before);
  list.resize(std::min(k, list.size()));
  return list;
}

class ExactTopK : public ::testing::TestWithParam<std::string> {};

TEST_P(ExactTopK, RecommendEqualsSortingEveryScore) {
  const SkewedData data;
  FitContext c;
  c.run = RunContext(1);
  const TrainedModel m = train_model(GetParam(), data.pairs, data.catalog, testing::make_ids("u", SkewedData::kUsers),
                                     testing::make_ids("i", SkewedData::kItems), c);
  std::vector<Query> qs;
  for (UserIdx u = 0; u < SkewedData::kUsers; u += 7) qs.push_back(Query{u, {}, {}});
  Filter f;
  f.exclude = {0, 1, 2, 3, 5, 8, 13, 21};  // among the most popular items
  for (std::size_t k : {1u, 10u, 50u}) {
    const auto got = m.recommend(qs, f, k, RunContext(2));
    for (std::size_t q = 0; q < qs.size(); ++q) {
      const auto want = oracle(m, qs[q], f, k);
      ASSERT_EQ(got[q].size(), want.size());
      for (std::size_t r = 0; r < want.size(); ++r) {
        EXPECT_EQ(got[q][r].item, want[r].item) << GetParam() << " user " << qs[q].user << " rank " << r;
        EXPECT_NEAR(got[q][r].score, want[r].score, 1e-5f * (1.0f + std::abs(want[r].score)));
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Models, ExactTopK,
                         ::testing::Values("als:factors=16,iterations=4", "bpr:factors=16,epochs=20",
                                           "mf:factors=8,epochs=10", "item_knn", "popularity"),
                         [](const auto& test) { return test.param.substr(0, test.param.find(':')); });

}  // namespace
}  // namespace aisle
