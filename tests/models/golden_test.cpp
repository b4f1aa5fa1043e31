// Values computed by hand for small cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "aisle/core/top_k.h"
#include "aisle/models/als/als.h"
#include "aisle/models/content/content.h"
#include "aisle/models/ease/ease.h"
#include "aisle/models/item_knn/item_knn.h"
#include "aisle/models/popularity/popularity.h"
#include "aisle/models/registry.h"
#include "aisle/models/transform.h"
#include "aisle/models/trending/trending.h"
#include "model_test_data.h"

namespace aisle {
namespace {

using testing::make_pairs;

struct Fitted {
  Interactions pairs;
  Catalog catalog;
  ItemFacts facts;
};

template <class M>
M fit(const std::string& args, const Interactions& pairs, int threads = 1) {
  using Params = std::remove_cvref_t<decltype(std::declval<const M&>().parameters())>;
  M model(Params::schema().parse(args));
  Catalog catalog;
  const ItemFacts facts = ItemFacts::from_catalog(catalog, pairs.num_items);
  FitContext c;
  c.run = RunContext(threads);
  model.fit(TrainSet{pairs, facts, catalog}, c);
  return model;
}

std::vector<float> scores_of(const Recommender& m, const UserQuery& q = {}) {
  std::vector<float> s(m.num_items());
  m.score_one(q, s);
  return s;
}

TEST(TopK, KeepsBestAndBreaksTiesByLowerIndex) {
  TopK top(3);
  for (ItemIdx i = 0; i < 6; ++i) top.push(i, i == 4 ? 2.0f : 1.0f);
  const auto r = top.take_sorted();
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0], (Scored{4, 2.0f}));
  EXPECT_EQ(r[1], (Scored{0, 1.0f}));
  EXPECT_EQ(r[2], (Scored{1, 1.0f}));
}

TEST(Popularity, SumsWeightsCountsUsersAndWindows) {
  // Item 0: weights 2 (t=0) + 3 (t=10 days); item 1: 4 (t=10 days); item 2: 1 (t=9 days).
  const auto pairs = make_pairs(3, 3, {{0, 0, 2, 0}, {1, 0, 3, 864000}, {2, 1, 4, 864000}, {2, 2, 1, 777600}});
  EXPECT_EQ(scores_of(fit<Popularity>("", pairs)), (std::vector<float>{5, 4, 1}));
  EXPECT_EQ(scores_of(fit<Popularity>("by=users", pairs)), (std::vector<float>{2, 1, 1}));
  EXPECT_EQ(scores_of(fit<Popularity>("window_days=2", pairs)), (std::vector<float>{3, 4, 1}));
}

TEST(Trending, HalvesPerHalfLife) {
  // Newest event at day 14; item 0 weight 8 at day 0 (two half-lives), item 1 weight 3 at day 14,
  // item 2 weight 4 at day 7 + 1 at day 14.
  const Timestamp day = 86400;
  const auto pairs = make_pairs(3, 3, {{0, 0, 8, 0}, {1, 1, 3, 14 * day}, {0, 2, 4, 7 * day}, {2, 2, 1, 14 * day}});
  const auto s = scores_of(fit<Trending>("half_life_days=7", pairs));
  EXPECT_FLOAT_EQ(s[0], 2.0f);
  EXPECT_FLOAT_EQ(s[1], 3.0f);
  EXPECT_FLOAT_EQ(s[2], 3.0f);
}

TEST(ItemKnn, CosineWithShrinkage) {
  // Users x items, weights:  u0: i0=1, i1=2;  u1: i0=2, i2=1;  u2: i1=1, i2=1.
  // |i0| = sqrt(5), |i1| = sqrt(5), |i2| = sqrt(2); dot(i0,i1) = 2, dot(i0,i2) = 2, dot(i1,i2) = 1.
  const auto pairs =
      make_pairs(3, 3, {{0, 0, 1, 0}, {0, 1, 2, 0}, {1, 0, 2, 0}, {1, 2, 1, 0}, {2, 1, 1, 0}, {2, 2, 1, 0}});
  const auto knn = fit<ItemKnn>("neighbors=2", pairs);
  const auto n0 = knn.neighbors_of(0);
  ASSERT_EQ(n0.size(), 2u);
  EXPECT_EQ(n0[0].item, 2u);  // 2 / sqrt(10) > 2 / 5
  EXPECT_NEAR(n0[0].score, 2.0 / std::sqrt(10.0), 1e-6);
  EXPECT_NEAR(n0[1].score, 2.0 / 5.0, 1e-6);
  const auto shrunk = fit<ItemKnn>("neighbors=2,shrink=1", pairs);
  EXPECT_NEAR(shrunk.neighbors_of(1)[0].score, 2.0 / 6.0, 1e-6);  // i1 ~ i0: 2 / (5 + 1)
  const auto top1 = fit<ItemKnn>("neighbors=1", pairs);
  EXPECT_EQ(top1.neighbors_of(2).size(), 1u);
}

TEST(ItemKnn, AsymmetricCosineIsTheShareOfTheHistoryItemsUsers) {
  // Binary values: u0: i0, i1;  u1: i0, i2;  u2: i0, i1;  u3: i1.  count(i0) = 3, count(i1) = 3,
  // count(i2) = 1; co(i0, i1) = 2, co(i0, i2) = 1.
  const auto pairs = make_pairs(
      4, 3, {{0, 0, 1, 0}, {0, 1, 1, 0}, {1, 0, 1, 0}, {1, 2, 1, 0}, {2, 0, 1, 0}, {2, 1, 1, 0}, {3, 1, 1, 0}});
  // alpha = 1: sim(h, j) = co(h, j) / count(h), the share of h's users who have j.
  const auto share = fit<ItemKnn>("neighbors=2,alpha=1", pairs);
  const auto n0 = share.neighbors_of(0);
  ASSERT_EQ(n0.size(), 2u);
  EXPECT_EQ(n0[0].item, 1u);
  EXPECT_NEAR(n0[0].score, 2.0 / 3.0, 1e-6);
  EXPECT_NEAR(n0[1].score, 1.0 / 3.0, 1e-6);
  EXPECT_NEAR(share.neighbors_of(2)[0].score, 1.0, 1e-6);  // i2's one user has i0
  // alpha = 0: sim(h, j) = co(h, j) / count(j); i0 ~ i2 is now 1 / 1 and ranks first.
  const auto other = fit<ItemKnn>("neighbors=2,alpha=0", pairs);
  EXPECT_EQ(other.neighbors_of(0)[0].item, 2u);
  EXPECT_NEAR(other.neighbors_of(0)[0].score, 1.0, 1e-6);
  // alpha = 0.5 is the cosine: 2 / sqrt(3 * 3).
  EXPECT_NEAR(fit<ItemKnn>("neighbors=2", pairs).neighbors_of(0)[0].score, 2.0 / 3.0, 1e-6);
  EXPECT_NEAR(fit<ItemKnn>("neighbors=2", pairs).neighbors_of(0)[1].score, 1.0 / std::sqrt(3.0), 1e-6);
}

// The cosine of two items' columns, computed in double from the pairs as a dense matrix.
class DenseCosine {
 public:
  DenseCosine(const std::vector<testing::Pair>& list, std::uint32_t users, std::uint32_t items)
      : users_(users), items_(items), dense_(static_cast<std::size_t>(users) * items, 0.0) {
    for (const auto& p : list) dense_[static_cast<std::size_t>(p.user) * items + p.item] = p.weight;
  }
  double operator()(ItemIdx a, ItemIdx b) const {
    double d = 0, na = 0, nb = 0;
    for (std::size_t u = 0; u < users_; ++u) {
      d += at(u, a) * at(u, b);
      na += at(u, a) * at(u, a);
      nb += at(u, b) * at(u, b);
    }
    return d / (std::sqrt(na) * std::sqrt(nb));
  }

 private:
  double at(std::size_t u, ItemIdx i) const { return dense_[u * items_ + i]; }
  std::size_t users_, items_;
  std::vector<double> dense_;
};

TEST(ItemKnn, HeavyUsersDenseRowsGiveTheSameCosine) {
  // User 0 has all 100 items (a heavy user: its row is added as one dense vector); users 1..40
  // have a few items each. Every similarity must equal the cosine computed here.
  constexpr std::uint32_t kItems = 100, kUsers = 41;
  std::vector<testing::Pair> list;
  for (ItemIdx i = 0; i < kItems; ++i) list.push_back({0, i, 1.0f + static_cast<float>(i % 5), 0});
  for (UserIdx u = 1; u < kUsers; ++u) {
    for (ItemIdx i = u % 7; i < kItems; i += 13 + u % 5) list.push_back({u, i, static_cast<float>(u % 3 + 1), 0});
  }
  const auto pairs = make_pairs(kUsers, kItems, list);
  const DenseCosine cosine(list, kUsers, kItems);
  const auto knn = fit<ItemKnn>("neighbors=200", pairs);
  for (ItemIdx i = 0; i < kItems; ++i) {
    const auto n = knn.neighbors_of(i);
    ASSERT_EQ(n.size(), kItems - 1) << "item " << i;  // user 0 links every pair
    for (const Scored& s : n) EXPECT_NEAR(s.score, cosine(i, s.item), 1e-5) << i << " ~ " << s.item;
  }
}

TEST(ItemKnn, FewNeighboursAreTheBestCosinesWhetherItemsAreScannedOrListed) {
  // Items 0..9 are bought by many users, so their sums take more additions than a quarter of the
  // 2000 items (the fit scans every item, cut by the k-th largest block maximum); the others
  // reach few (the fit visits the listed ones, and cuts them the same way when they are more than
  // 8 K). With K = 2 most candidates are cut. Each list must be the 2 best cosines computed here,
  // best first (checked for the popular items and every 7th other).
  constexpr std::uint32_t kItems = 2000, kUsers = 150;
  constexpr std::size_t kNeighbors = 2;
  std::vector<testing::Pair> list;
  for (UserIdx u = 0; u < kUsers; ++u) {
    for (ItemIdx i = 0; i < 10; ++i) {
      if ((u + i) % 3 != 0) list.push_back({u, i, 1.0f + static_cast<float>((u * 7 + i * 3) % 11) / 7.0f, 0});
    }
    for (ItemIdx i = 10 + u % 17; i < kItems; i += 97 + u % 31) {
      list.push_back({u, i, 1.0f + static_cast<float>((u * 5 + i) % 13) / 5.0f, 0});
    }
  }
  const auto pairs = make_pairs(kUsers, kItems, list);
  const DenseCosine cosine(list, kUsers, kItems);
  const auto knn = fit<ItemKnn>("neighbors=2", pairs, 2);
  for (ItemIdx i = 0; i < kItems; ++i) {
    if (i >= 10 && i % 7 != 0) continue;
    std::vector<std::pair<double, ItemIdx>> expected;
    for (ItemIdx j = 0; j < kItems; ++j) {
      if (j != i && cosine(i, j) > 0) expected.push_back({-cosine(i, j), j});
    }
    std::sort(expected.begin(), expected.end());
    expected.resize(std::min(expected.size(), kNeighbors));
    const auto got = knn.neighbors_of(i);
    ASSERT_EQ(got.size(), expected.size()) << "item " << i;
    for (std::size_t r = 0; r < got.size(); ++r) {  // items of equal cosines may trade places
      EXPECT_NEAR(got[r].score, -expected[r].first, 1e-5) << "item " << i << " rank " << r;
      EXPECT_NEAR(got[r].score, cosine(i, got[r].item), 1e-5) << "item " << i << " rank " << r;
      if (r > 0) {
        EXPECT_NE(got[r].item, got[r - 1].item);
      }
    }
  }
}

TEST(ItemKnn, EqualSimilaritiesKeepTheLowestItemsScannedOrListed) {
  // User u has item 0 and item u + 1: item 0's cosine with each of the others is the same, so
  // its 5 neighbours are items 1..5 (ties by the lower index). In a catalog of 301 items item 0's
  // sums are scanned; with 4700 more items nobody has, its 300 reached items are listed.
  constexpr std::uint32_t kUsers = 300;
  for (const std::uint32_t items : {kUsers + 1, kUsers + 4701}) {
    std::vector<testing::Pair> list;
    for (UserIdx u = 0; u < kUsers; ++u) {
      list.push_back({u, 0, 1.0f, 0});
      list.push_back({u, u + 1, 1.0f, 0});
    }
    const auto knn = fit<ItemKnn>("neighbors=5", make_pairs(kUsers, items, list), 2);
    const auto got = knn.neighbors_of(0);
    ASSERT_EQ(got.size(), 5u) << items << " items";
    for (std::size_t r = 0; r < got.size(); ++r) {
      EXPECT_EQ(got[r].item, r + 1) << items << " items";
      EXPECT_NEAR(got[r].score, 1.0 / std::sqrt(static_cast<double>(kUsers)), 1e-6) << items << " items";
    }
  }
}

TEST(Als, UserHalfStepEqualsDirectLeastSquares) {
  // With as many CG steps as factors, CG is exact: each user vector must be the solution of
  // (Y^T C_u Y + reg I) x = Y^T C_u p_u against the final item factors (users are solved last).
  const testing::Checkerboard board;
  const int f = 4;
  const float reg = 0.1f, alpha = 3.0f;
  const auto als =
      fit<Als>("factors=4,iterations=2,cg_steps=16,transform=none,regularization=0.1,alpha=3", board.pairs);
  const auto y = als.item_factors();
  const auto x = als.user_factors();
  for (UserIdx u = 0; u < board.pairs.num_users; ++u) {
    std::vector<double> a(f * f, 0.0), b(f, 0.0);
    for (ItemIdx i = 0; i < board.pairs.num_items; ++i) {
      double c = 1.0;
      for (std::uint64_t p = board.pairs.row_ptr[u]; p < board.pairs.row_ptr[u + 1]; ++p) {
        if (board.pairs.item[p] == i) c = 1.0 + alpha * board.pairs.weight[p];
      }
      const bool preferred = c > 1.0;
      for (int r = 0; r < f; ++r) {
        for (int k = 0; k < f; ++k) a[r * f + k] += c * y[i * f + r] * y[i * f + k];
        if (preferred) b[r] += c * y[i * f + r];
      }
    }
    for (int r = 0; r < f; ++r) a[r * f + r] += reg;
    const auto direct = testing::solve_dense(a, b);
    for (int r = 0; r < f; ++r) EXPECT_NEAR(x[u * f + r], direct[r], 2e-3) << "user " << u << " factor " << r;
  }
}

TEST(Als, FoldInEqualsTheTrainedUserVector) {
  const testing::Checkerboard board;
  const auto als = fit<Als>("factors=4,iterations=3,cg_steps=16", board.pairs);
  for (UserIdx u : {0u, 7u}) {
    const auto items = std::span<const ItemIdx>(board.pairs.item).subspan(board.pairs.row_ptr[u], 8);
    const auto weights = std::span<const float>(board.pairs.weight).subspan(board.pairs.row_ptr[u], 8);
    const auto folded = als.fold_in(items, weights);
    for (int r = 0; r < 4; ++r) EXPECT_NEAR(folded[r], als.user_factors()[u * 4 + r], 2e-3);
  }
}

TEST(Als, FactorsDoNotDependOnThreads) {
  const testing::Checkerboard board;
  const auto one = fit<Als>("factors=8,iterations=3", board.pairs, 1);
  const auto two = fit<Als>("factors=8,iterations=3", board.pairs, 2);
  EXPECT_TRUE(std::equal(one.user_factors().begin(), one.user_factors().end(), two.user_factors().begin()));
  EXPECT_TRUE(std::equal(one.item_factors().begin(), one.item_factors().end(), two.item_factors().begin()));
}

TEST(Content, ScoresItemsWithoutAnyInteraction) {
  // Items 0-3 have events; item 4 has none but shares item 0's category and brand. A history of
  // item 0 ranks item 4 first; popularity alone would rank it last.
  const auto pairs =
      make_pairs(3, 5, {{0, 0, 1, 0}, {0, 1, 1, 0}, {1, 1, 1, 0}, {1, 2, 1, 0}, {2, 3, 1, 0}, {2, 1, 1, 0}});
  Catalog catalog;
  const CategoryIdx mugs = catalog.add_category("mugs"), lamps = catalog.add_category("lamps");
  for (ItemIdx i = 0; i < 5; ++i) {
    ItemInfo& info = catalog.item(i);
    const bool mug = i == 0 || i == 4;
    info.categories = {mug ? mugs : lamps};
    info.brand = mug ? "acme" : "lumen";
    info.name = mug ? "enamel mug" : "desk lamp";
  }
  const ItemFacts facts = ItemFacts::from_catalog(catalog, 5);
  Content content(ContentParams::schema().parse(""));
  FitContext c;
  content.fit(TrainSet{pairs, facts, catalog}, c);
  const ItemIdx history[] = {0};
  const float weights[] = {1.0f};
  UserQuery q;
  q.items = history;
  q.weights = weights;
  const auto s = scores_of(content, q);
  for (ItemIdx j : {1u, 2u, 3u}) EXPECT_GT(s[4], s[j]) << j;
  EXPECT_NEAR(s[4], 1.0f, 1e-4);  // same features: cosine 1
}

TEST(Ease, MatchesTheClosedForm) {
  // X (binary) = [[1,1,0],[0,1,1],[1,1,1]]; G = X^T X + 1 I = [[3,2,1],[2,4,2],[1,2,3]].
  // B_ij = -P_ij / P_jj with P = G^-1, zero diagonal.
  const auto pairs = make_pairs(
      3, 3, {{0, 0, 1, 0}, {0, 1, 1, 0}, {1, 1, 1, 0}, {1, 2, 1, 0}, {2, 0, 1, 0}, {2, 1, 1, 0}, {2, 2, 1, 0}});
  const auto ease = fit<Ease>("regularization=1,transform=binary", pairs);
  const std::vector<double> g{3, 2, 1, 2, 4, 2, 1, 2, 3};
  std::vector<double> p(9);
  for (int c = 0; c < 3; ++c) {
    std::vector<double> e(3, 0.0);
    e[c] = 1;
    const auto col = testing::solve_dense(g, e);
    for (int r = 0; r < 3; ++r) p[r * 3 + c] = col[r];
  }
  std::vector<float> row(3);
  for (ItemIdx i = 0; i < 3; ++i) {
    ease.similar_scores(i, row);
    for (int j = 0; j < 3; ++j) {
      EXPECT_NEAR(row[j], i == static_cast<ItemIdx>(j) ? 0.0 : -p[i * 3 + j] / p[j * 3 + j], 1e-5);
    }
  }
}

TEST(Ease, RecencyWeighsTheNewestBasketFully) {
  const auto pairs = make_pairs(
      3, 3, {{0, 0, 1, 0}, {0, 1, 1, 0}, {1, 1, 1, 0}, {1, 2, 1, 0}, {2, 0, 1, 0}, {2, 1, 1, 0}, {2, 2, 1, 0}});
  const auto ease = fit<Ease>("regularization=1,transform=binary,recency=1", pairs);
  std::vector<float> b0(3), b1(3), scores(3);
  ease.similar_scores(0, b0);
  ease.similar_scores(1, b1);
  const ItemIdx items[] = {0, 1};
  const float weights[] = {1, 1};
  const Timestamp times[] = {10, 20};  // item 1 is the newer basket: weight 1; item 0: 0.5
  UserQuery q;
  q.items = items, q.weights = weights, q.times = times;
  ease.score_one(q, scores);
  for (int j = 0; j < 3; ++j) EXPECT_NEAR(scores[j], 0.5f * b0[j] + b1[j], 1e-6);
}

TEST(Ease, RefusesCatalogsAboveTheLimit) {
  const auto pairs = make_pairs(1, 5, {{0, 0, 1, 0}});
  try {
    fit<Ease>("max_items=4", pairs);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("5 items exceed max_items=4"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace aisle

namespace aisle {
namespace {

TEST(RecencyWeights, HalveEveryHalfLifeOfBasketsBack) {
  std::vector<float> w;
  const std::vector<Timestamp> times = {100, 200, 200, 50};
  recency_weights(times, 1.0f, w);
  EXPECT_EQ(w, (std::vector<float>{0.5f, 1.0f, 1.0f, 0.25f}));  // baskets 200 > 100 > 50
  recency_weights(times, 2.0f, w);
  EXPECT_FLOAT_EQ(w[0], std::sqrt(0.5f));
  recency_weights(times, 0.0f, w);  // off
  EXPECT_EQ(w, (std::vector<float>(4, 1.0f)));
}

}  // namespace
}  // namespace aisle
