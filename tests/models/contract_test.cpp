// The contract every registered model meets: a known answer on checkerboard data, k larger than
// the catalog, every filter respected while selecting (exactly k results whenever k items are
// eligible), anonymous histories, determinism, and save -> load -> identical recommendations.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "aisle/models/model_file.h"
#include "aisle/models/registry.h"
#include "model_test_data.h"

namespace aisle {
namespace {

using testing::Checkerboard;

// Specs that converge on 320 pairs in milliseconds; a model not listed runs at its defaults.
const std::map<std::string, std::string> kTestSpecs = {
    {"als", "als:factors=8,iterations=10"},
    {"bpr", "bpr:factors=8,epochs=300"},
    {"mf", "mf:factors=4,epochs=300,learning_rate=0.05,regularization=0.01,holdout=0"},
    // Pipelines need members. The route sends the contract's 3-item anonymous history to
    // `known`, its 2-item one to `few`, whose candidate model is filled by the fallback.
    {"blend", "blend(0.8*item_knn; 0.2*popularity)"},
    {"route", "route:min_history=3(known=item_knn; few=sequential_rules; session=session_knn; fallback=popularity)"},
    {"sasrec", "sasrec:max_length=10,hidden=16,epochs=30,dropout=0,learning_rate=0.01"},
};

std::string spec_for(std::string_view name) {
  const auto it = kTestSpecs.find(std::string(name));
  return it == kTestSpecs.end() ? std::string(name) : it->second;
}

// Models that give everyone the same list: their known answer is the weight order.
bool is_global(std::string_view name) {
  return name == "popularity" || name == "trending";
}

FitContext one_thread() {
  FitContext c;
  c.run = RunContext(1, 7);
  return c;
}

TrainedModel fit(const std::string& spec, const Checkerboard& data) {
  return train_model(spec, data.pairs, data.catalog, data.users, data.items, one_thread());
}

// mf is a rating model: on the checkerboard every observed rating is the same kind of signal,
// so its known answer comes from ratings instead: 5 on same-parity cells, 1 on the others.
Checkerboard rating_board() {
  Checkerboard b;
  std::vector<testing::Pair> list;
  for (UserIdx u = 0; u < Checkerboard::kUsers; ++u) {
    for (ItemIdx i = 0; i < Checkerboard::kItems; ++i) {
      if ((u * 7 + i * 3) % 10 < 7) list.push_back({u, i, (u + i) % 2 == 0 ? 5.0f : 1.0f, 1000});
    }
  }
  b.pairs = testing::make_pairs(Checkerboard::kUsers, Checkerboard::kItems, list);
  return b;
}

std::vector<Scored> recommend_one(const TrainedModel& m, const Query& q, const Filter& f, std::size_t k) {
  return m.recommend(std::span<const Query>(&q, 1), f, k, RunContext{}).front();
}

class ModelContract : public ::testing::TestWithParam<std::string> {};

TEST_P(ModelContract, KnownAnswer) {
  const std::string name = GetParam();
  const Checkerboard data = name == "mf" ? rating_board() : Checkerboard();
  const TrainedModel m = fit(spec_for(name), data);
  for (UserIdx u = 0; u < Checkerboard::kUsers; ++u) {
    Query q;
    q.user = u;
    Filter keep_seen;
    keep_seen.exclude_seen = name == "mf";  // mf is asked about unrated cells
    if (name == "mf") {
      // Every unrated same-parity item (predicted 5) ranks above every other one (predicted 1).
      const auto unrated = recommend_one(m, q, keep_seen, Checkerboard::kItems);
      ASSERT_FALSE(unrated.empty());
      bool other_seen = false;
      for (const Scored& s : unrated) {
        const bool same = (u + s.item) % 2 == 0;
        EXPECT_FALSE(same && other_seen) << "user " << u << " item " << s.item;
        other_seen = other_seen || !same;
      }
      continue;
    }
    const auto top = recommend_one(m, q, keep_seen, 4);
    ASSERT_EQ(top.size(), 4u);
    if (is_global(name)) {
      // Weight per item is 10 * (1 + i % 3): items with i % 3 == 2 first, by index.
      EXPECT_EQ(top[0].item, 2u);
      EXPECT_EQ(top[1].item, 5u);
      EXPECT_EQ(top[2].item, 8u);
      EXPECT_EQ(top[3].item, 11u);
    } else {
      for (const Scored& s : top) EXPECT_EQ((u + s.item) % 2, 0u) << name << " user " << u << " item " << s.item;
    }
  }
}

TEST_P(ModelContract, KLargerThanCatalogAndExactlyK) {
  const Checkerboard data;
  const TrainedModel m = fit(spec_for(GetParam()), data);
  Query q;
  q.user = 3;  // has the 8 odd items
  const auto all = recommend_one(m, q, Filter{}, 100);
  ASSERT_EQ(all.size(), 8u);  // every unseen item, no more
  for (const Scored& s : all) EXPECT_EQ(s.item % 2, 0u);
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_TRUE(ranks_before(all[i - 1], all[i]));
  EXPECT_EQ(recommend_one(m, q, Filter{}, 5).size(), 5u);
  EXPECT_TRUE(recommend_one(m, q, Filter{}, 0).empty());
  Filter keep_seen;
  keep_seen.exclude_seen = false;
  EXPECT_EQ(recommend_one(m, q, keep_seen, 100).size(), Checkerboard::kItems);
}

TEST_P(ModelContract, FiltersAreAppliedWhileSelecting) {
  const Checkerboard data;
  const TrainedModel m = fit(spec_for(GetParam()), data);
  Query q;
  q.user = 1;  // has the odd items; unseen: the even ones
  Filter f;
  f.exclude = {0, 2, 4};
  auto r = recommend_one(m, q, f, 5);
  ASSERT_EQ(r.size(), 5u);  // 8 unseen - 3 excluded = 5 eligible
  for (const Scored& s : r) EXPECT_TRUE(s.item % 2 == 0 && s.item > 4);

  Filter only;
  only.include_only = std::vector<ItemIdx>{1, 6, 9, 12};
  r = recommend_one(m, q, only, 10);
  ASSERT_EQ(r.size(), 2u);  // 1 and 9 are seen
  for (const Scored& s : r) EXPECT_TRUE(s.item == 6 || s.item == 12);

  Filter category;
  category.exclude_seen = false;
  category.categories = {m.facts().categories.find("odd")};
  r = recommend_one(m, q, category, 20);
  ASSERT_EQ(r.size(), 8u);
  for (const Scored& s : r) EXPECT_EQ(s.item % 2, 1u);
  category.categories = {m.facts().categories.find("even")};  // with "even/a" below it
  r = recommend_one(m, q, category, 20);
  ASSERT_EQ(r.size(), 8u);
  for (const Scored& s : r) EXPECT_EQ(s.item % 2, 0u);

  Filter available;
  available.available_only = true;
  q.user = 0;  // unseen: the odd items, of which 3, 7, 11 and 15 are unavailable
  r = recommend_one(m, q, available, 20);
  ASSERT_EQ(r.size(), 4u);
  for (const Scored& s : r) EXPECT_TRUE(s.item % 2 == 1 && s.item % 4 != 3);
}

TEST_P(ModelContract, AnonymousHistory) {
  const Checkerboard data;
  const TrainedModel m = fit(spec_for(GetParam()), data);
  Query q;
  q.items = {2, 4, 6};
  q.times = {1, 2, 3};
  const auto r = recommend_one(m, q, Filter{}, 5);
  ASSERT_EQ(r.size(), 5u);
  for (const Scored& s : r) EXPECT_TRUE(s.item != 2 && s.item != 4 && s.item != 6);
  // A known user plus added items: the added items are excluded too.
  Query both;
  both.user = 0;
  both.items = {1};
  for (const Scored& s : recommend_one(m, both, Filter{}, 20)) EXPECT_TRUE(s.item % 2 == 1 && s.item != 1);
  const std::vector<ItemIdx> candidates{1, 2, 3};
  EXPECT_EQ(m.score_candidates(q, candidates).size(), 3u);
}

std::vector<std::vector<Scored>> all_users(const TrainedModel& m, int threads) {
  std::vector<Query> qs(Checkerboard::kUsers);
  for (UserIdx u = 0; u < Checkerboard::kUsers; ++u) qs[u].user = u;
  qs.push_back(Query{kNoIndex, {3, 5}, {}});
  return m.recommend(qs, Filter{}, 6, RunContext(threads));
}

TEST_P(ModelContract, SameSeedSameResults) {
  const Checkerboard data;
  const TrainedModel a = fit(spec_for(GetParam()), data);
  const TrainedModel b = fit(spec_for(GetParam()), data);
  EXPECT_EQ(all_users(a, 1), all_users(b, 1));
  EXPECT_EQ(all_users(a, 1), all_users(a, 3));  // serving threads never change results
}

TEST_P(ModelContract, SaveLoadGivesIdenticalRecommendations) {
  const Checkerboard data;
  const TrainedModel m = fit(spec_for(GetParam()), data);
  const std::string path = (std::filesystem::temp_directory_path() / ("contract-" + GetParam() + ".bin")).string();
  save_model(m, path);
  const TrainedModel loaded = load_model(path, GetParam());
  EXPECT_EQ(loaded.model().params(), m.model().params());
  EXPECT_EQ(all_users(loaded, 1), all_users(m, 1));
  if (capability<SimilarItems>(m.model()) != nullptr) {
    EXPECT_EQ(loaded.similar(3, Filter{}, 5), m.similar(3, Filter{}, 5));
  }
  std::filesystem::remove(path);
}

// Explanations keep the Explainer contract: at most n history items, each once, contributions
// above 0, largest first; a model without the capability explains nothing.
TEST_P(ModelContract, ExplanationsComeFromTheHistory) {
  const Checkerboard data;
  const TrainedModel m = fit(spec_for(GetParam()), data);
  const bool explains = capability<Explainer>(m.model()) != nullptr;
  Query anonymous;
  anonymous.items = {2, 4, 6};
  anonymous.times = {1, 2, 3};
  Query known;
  known.user = 3;
  for (const Query& q : {anonymous, known}) {
    const std::vector<Scored> top = recommend_one(m, q, Filter{}, 5);
    std::vector<ItemIdx> items;
    for (const Scored& s : top) items.push_back(s.item);
    const auto why = m.explain(q, items, 2);
    ASSERT_EQ(why.size(), items.size());
    const std::span<const ItemIdx> history =
        q.user == kNoIndex ? std::span<const ItemIdx>(q.items) : m.history().items_of(q.user);
    std::size_t explained = 0;
    for (const std::vector<Scored>& list : why) {
      EXPECT_LE(list.size(), 2u);
      explained += !list.empty();
      for (std::size_t c = 0; c < list.size(); ++c) {
        EXPECT_NE(std::find(history.begin(), history.end(), list[c].item), history.end()) << list[c].item;
        EXPECT_GT(list[c].score, 0.0f);
        if (c > 0) {
          EXPECT_TRUE(ranks_before(list[c - 1], list[c]));
        }
      }
    }
    if (!explains) {
      EXPECT_EQ(explained, 0u);
    }
  }
}

TEST_P(ModelContract, ParamsRoundTrip) {
  const auto model = create_model(spec_for(GetParam()));
  const auto again = create_model(GetParam() + ":" + model->params());
  EXPECT_EQ(again->params(), model->params());
}

// Every model of the registry; the torch models are checked by the binary that links them
// (sasrec_test), which builds this file with AISLE_CONTRACT_ONLY naming them.
std::vector<std::string> contract_models() {
#ifdef AISLE_CONTRACT_ONLY
  return {AISLE_CONTRACT_ONLY};
#else
  std::vector<std::string> names;
  for (const ModelInfo& m : model_table()) {
    if (!m.torch) names.emplace_back(m.name);
  }
  return names;
#endif
}

INSTANTIATE_TEST_SUITE_P(AllModels, ModelContract, ::testing::ValuesIn(contract_models()),
                         [](const auto& test) { return test.param; });

}  // namespace
}  // namespace aisle
