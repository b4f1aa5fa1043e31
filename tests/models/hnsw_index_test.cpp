// Exact oracle for the approximate index: on factor models trained on a synthetic set, the HNSW
// path's top 10 recalls the exact top 10, carries exact scores in the exact order rule, respects
// every filter and returns exactly min(k, eligible) items, also where the filter removes most of
// the nearest items (retries, then the exact fallback); and one-thread builds are identical.
#include "aisle/models/hnsw_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "aisle/core/error.h"
#include "aisle/models/factor_model.h"
#include "aisle/models/trained_model.h"
#include "model_test_data.h"

namespace aisle {
namespace {

// 600 users x 3,000 items, popularity skewed (item norms differ); items in three categories by
// i % 3.
struct SyntheticShop {
  static constexpr std::uint32_t kUsers = 600, kItems = 3000;
  Interactions pairs;
  Catalog catalog;
  SyntheticShop() : pairs(testing::skewed_pairs(kUsers, kItems, 11, 30, 2.0)) {
    const CategoryIdx cats[] = {catalog.add_category("c0"), catalog.add_category("c1"), catalog.add_category("c2")};
    for (ItemIdx i = 0; i < kItems; ++i) catalog.item(i).categories = {cats[i % 3]};
  }
};

TrainedModel fitted(const std::string& spec) {
  const SyntheticShop data;
  FitContext c;
  c.run = RunContext(1);
  return train_model(spec, data.pairs, data.catalog, testing::make_ids("u", SyntheticShop::kUsers),
                     testing::make_ids("i", SyntheticShop::kItems), c);
}

std::vector<Query> every_user() {
  std::vector<Query> qs(SyntheticShop::kUsers);
  for (UserIdx u = 0; u < qs.size(); ++u) qs[u].user = u;
  return qs;
}

std::vector<ItemIdx> items_of(const std::vector<Scored>& list) {
  std::vector<ItemIdx> out;
  for (const Scored& s : list) out.push_back(s.item);
  return out;
}

double recall(const std::vector<std::vector<Scored>>& got, const std::vector<std::vector<Scored>>& exact) {
  double hits = 0, total = 0;
  for (std::size_t q = 0; q < exact.size(); ++q) {
    for (const Scored& s : exact[q]) {
      const auto g = items_of(got[q]);
      hits += std::find(g.begin(), g.end(), s.item) != g.end() ? 1 : 0;
    }
    total += static_cast<double>(exact[q].size());
  }
  return hits / total;
}

class HnswIndexTest : public ::testing::TestWithParam<std::string> {};

TEST_P(HnswIndexTest, RecallsTheExactTopTen) {
  const TrainedModel m = fitted(GetParam());
  HnswParams p;
  p.ef_search = 200;
  const HnswIndex index(m.model(), p);
  const auto qs = every_user();
  const auto exact = m.recommend(qs, Filter{}, 10, RunContext(1));
  const auto approximate = m.recommend(qs, Filter{}, 10, RunContext(1), &index);
  const double r = recall(approximate, exact);
  std::printf("%s: recall@10 %.4f over %zu users (ef_search 200)\n", GetParam().c_str(), r, qs.size());
  EXPECT_GE(r, 0.95);
  for (const auto& list : approximate) EXPECT_EQ(list.size(), 10u);
}

// Every score is the dot product of the user's vector and the item's full factor row, and the
// order is the exact path's rule (score descending, then item index).
TEST_P(HnswIndexTest, ScoresAreExactDotProductsInTheExactOrder) {
  const TrainedModel m = fitted(GetParam());
  const auto* factors = capability<FactorScorer>(m.model());
  ASSERT_NE(factors, nullptr);
  const HnswIndex index(m.model(), HnswParams{});
  const auto qs = every_user();
  const auto exact = m.recommend(qs, Filter{}, 10, RunContext(1));
  const auto approximate = m.recommend(qs, Filter{}, 10, RunContext(1), &index);
  const std::size_t dim = factors->dim();
  for (std::size_t q = 0; q < qs.size(); ++q) {
    const float* user = factors->user_factors().data() + q * dim;
    for (std::size_t r = 0; r < approximate[q].size(); ++r) {
      const Scored& s = approximate[q][r];
      const float* item = factors->item_factors().data() + static_cast<std::size_t>(s.item) * dim;
      double dot = 0;
      for (std::size_t d = 0; d < dim; ++d) dot += static_cast<double>(user[d]) * item[d];
      EXPECT_NEAR(s.score, dot, 1e-5 * (1 + std::abs(dot))) << "user " << q << " item " << s.item;
      if (r > 0) {
        EXPECT_TRUE(ranks_before(approximate[q][r - 1], s)) << "user " << q << " rank " << r;
      }
      for (const Scored& e : exact[q]) {
        if (e.item == s.item) {
          EXPECT_NEAR(s.score, e.score, 1e-5f * (1 + std::abs(e.score)));
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(FactorModels, HnswIndexTest,
                         ::testing::Values("als:factors=16,iterations=5", "bpr:factors=16,epochs=20",
                                           "mf:factors=8,epochs=10"),
                         [](const auto& test) { return test.param.substr(0, test.param.find(':')); });

TrainedModel als() {
  return fitted("als:factors=16,iterations=5");
}

bool in_category(ItemIdx item, CategoryIdx c) {
  return item % 3 == c;
}

TEST(HnswIndex, FiltersAreRespectedAndKItemsComeBack) {
  const TrainedModel m = als();
  const HnswIndex index(m.model(), HnswParams{});
  const auto qs = every_user();
  Filter f;
  f.exclude = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};  // the most popular items
  f.categories = {1};
  for (std::size_t k : {1u, 10u, 100u}) {
    const auto got = m.recommend(qs, f, k, RunContext(2), &index);
    const auto exact = m.recommend(qs, f, k, RunContext(1));
    for (std::size_t q = 0; q < qs.size(); ++q) {
      ASSERT_EQ(got[q].size(), exact[q].size()) << "user " << q << " k " << k;
      const auto seen = m.history().items_of(qs[q].user);
      for (const Scored& s : got[q]) {
        EXPECT_TRUE(in_category(s.item, 1)) << s.item;
        EXPECT_EQ(std::find(f.exclude.begin(), f.exclude.end(), s.item), f.exclude.end()) << s.item;
        EXPECT_EQ(std::find(seen.begin(), seen.end(), s.item), seen.end()) << s.item;
      }
    }
    EXPECT_GE(recall(got, exact), 0.9) << "k " << k;
  }
}

// Items ranked best for a user that the filter leaves out, so that the first searches find no
// eligible item: the index searches again with twice the candidates until k are found.
TEST(HnswIndex, AFilterOfTheNearestItemsMakesItSearchAgain) {
  const TrainedModel m = als();
  HnswParams p;
  p.ef_search = 10;
  const HnswIndex index(m.model(), p);
  const Query q{7, {}, {}};
  Filter everything;
  everything.exclude_seen = false;
  const auto ranked = m.recommend(std::span(&q, 1), everything, SyntheticShop::kItems, RunContext(1)).front();
  Filter f;  // every item but the user's nearest 120
  f.include_only = std::vector<ItemIdx>();
  for (std::size_t r = 120; r < ranked.size(); ++r) f.include_only->push_back(ranked[r].item);
  std::sort(f.include_only->begin(), f.include_only->end());
  const auto before = index.counters();
  const auto got = m.recommend(std::span(&q, 1), f, 10, RunContext(1), &index).front();
  const auto after = index.counters();
  EXPECT_EQ(after.queries - before.queries, 1u);
  EXPECT_GT(after.searches - before.searches, 1u) << "the first search should find too few eligible items";
  EXPECT_EQ(after.fallbacks, before.fallbacks);
  ASSERT_EQ(got.size(), 10u);
  const auto seen = m.history().items_of(q.user);
  for (const Scored& s : got) {
    EXPECT_TRUE(std::binary_search(f.include_only->begin(), f.include_only->end(), s.item)) << s.item;
    EXPECT_EQ(std::find(seen.begin(), seen.end(), s.item), seen.end()) << s.item;
  }
}

// The filter leaves only the items ranked worst for each user: no search of a useful size finds
// them, so every query falls back to the exact path and the answers equal it.
TEST(HnswIndex, AFilterOfOnlyTheWorstItemsFallsBackToTheExactPath) {
  const TrainedModel m = als();
  const HnswIndex index(m.model(), HnswParams{});
  for (UserIdx u : {0u, 5u, 99u}) {
    const Query q{u, {}, {}};
    Filter everything;
    everything.exclude_seen = false;
    const auto ranked = m.recommend(std::span(&q, 1), everything, SyntheticShop::kItems, RunContext(1)).front();
    Filter f;
    f.include_only = std::vector<ItemIdx>();
    for (std::size_t r = ranked.size() - 40; r < ranked.size(); ++r) f.include_only->push_back(ranked[r].item);
    const auto before = index.counters();
    for (std::size_t k : {10u, 40u, 100u}) {  // 100: more than are eligible
      const auto got = m.recommend(std::span(&q, 1), f, k, RunContext(1), &index).front();
      const auto exact = m.recommend(std::span(&q, 1), f, k, RunContext(1)).front();
      EXPECT_EQ(items_of(got), items_of(exact)) << "user " << u << " k " << k;
      EXPECT_LE(got.size(), std::min<std::size_t>(k, 40));
    }
    EXPECT_EQ(index.counters().fallbacks - before.fallbacks, 3u);
  }
}

TEST(HnswIndex, OneThreadBuildsAreIdentical) {
  const TrainedModel m = als();
  const HnswIndex a(m.model(), HnswParams{}), b(m.model(), HnswParams{});
  const auto qs = every_user();
  const auto got_a = m.recommend(qs, Filter{}, 20, RunContext(1), &a);
  const auto got_b = m.recommend(qs, Filter{}, 20, RunContext(2), &b);
  EXPECT_EQ(got_a, got_b);
  const auto* factors = capability<FactorScorer>(m.model());
  for (UserIdx u = 0; u < 50; ++u) {
    const float* v = factors->user_factors().data() + static_cast<std::size_t>(u) * factors->dim();
    EXPECT_EQ(a.search(v, 30), b.search(v, 30));
  }
}

TEST(HnswIndex, ABatchAnswersAsEachRequestAlone) {
  const TrainedModel m = als();
  const HnswIndex index(m.model(), HnswParams{});
  std::vector<Request> requests;
  for (UserIdx u = 0; u < 300; ++u) {
    Request r;
    r.query.user = u;
    r.k = 1 + u % 12;
    if (u % 3 == 1) r.filter.categories = {static_cast<CategoryIdx>(u % 3)};
    if (u % 4 == 2) r.query.items = {static_cast<ItemIdx>(u * 7 % SyntheticShop::kItems)};  // folded in
    requests.push_back(r);
  }
  const auto batch = m.recommend(requests, RunContext(2), &index);
  for (std::size_t r = 0; r < requests.size(); r += 17) {
    EXPECT_EQ(batch[r], m.recommend(std::span(&requests[r], 1), RunContext(1), &index).front()) << r;
    EXPECT_EQ(batch[r].size(), requests[r].k);
  }
}

TEST(HnswIndex, OnlyFactorModelsAndSaneParametersAreIndexed) {
  const TrainedModel knn = fitted("item_knn");
  EXPECT_FALSE(HnswIndex::indexable(knn.model()));
  EXPECT_THROW(HnswIndex(knn.model(), HnswParams{}), ConfigError);
  const TrainedModel m = als();
  EXPECT_TRUE(HnswIndex::indexable(m.model()));
  HnswParams p;
  p.m = 1;
  EXPECT_THROW(HnswIndex(m.model(), p), ConfigError);
  p = {};
  p.ef_search = 0;
  EXPECT_THROW(HnswIndex(m.model(), p), ConfigError);
}

}  // namespace
}  // namespace aisle
