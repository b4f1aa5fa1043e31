// The one recommend interface: a batch of requests with their own filters and k answers exactly
// what each request answers alone, and a trained model answers from many threads at once, on one
// shared pool (run under ThreadSanitizer by `make test-tsan`).
#include "aisle/models/ranker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "aisle/models/trained_model.h"
#include "model_test_data.h"

namespace aisle {
namespace {

TrainedModel fitted(const std::string& spec) {
  const testing::Checkerboard data;
  FitContext context;
  context.run = RunContext(1);
  return train_model(spec, data.pairs, data.catalog, data.users, data.items, context);
}

// Requests with every kind of filter, k and query, in an order that mixes them.
std::vector<Request> mixed_requests() {
  std::vector<Request> requests;
  for (UserIdx u = 0; u < testing::Checkerboard::kUsers; ++u) {
    Request r;
    r.query.user = u;
    r.k = 1 + u % 7;
    switch (u % 5) {
      case 0:
        break;
      case 1:
        r.filter.exclude = {0, 1, 2};
        break;
      case 2:
        r.filter.include_only = std::vector<ItemIdx>{3, 5, 8, 13};
        break;
      case 3:
        r.filter.categories = {1};  // "odd"
        r.filter.available_only = true;
        break;
      case 4:
        r.query.items = {static_cast<ItemIdx>(u % 16)};
        r.filter.exclude_seen = false;
        break;
    }
    requests.push_back(r);
    if (u % 3 == 0) requests.push_back(r);  // runs of equal requests share a compiled filter
  }
  return requests;
}

class RankerTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RankerTest, ABatchAnswersEachRequestAsItWouldAlone) {
  const TrainedModel m = fitted(GetParam());
  const std::vector<Request> requests = mixed_requests();
  for (int threads : {1, 3}) {
    const auto batch = m.recommend(requests, RunContext(threads));
    ASSERT_EQ(batch.size(), requests.size());
    for (std::size_t r = 0; r < requests.size(); ++r) {
      const auto alone = m.recommend(std::span(&requests[r], 1), RunContext{});
      EXPECT_EQ(batch[r], alone.front()) << "request " << r << " threads " << threads;
      EXPECT_LE(batch[r].size(), requests[r].k);
    }
  }
}

TEST_P(RankerTest, ConstMethodsAreSafeFromManyThreads) {
  const TrainedModel m = fitted(GetParam());
  const std::vector<Request> requests = mixed_requests();
  const auto expected = m.recommend(requests, RunContext{});
  const auto expected_popular = m.popular(Filter{}, 5);
  const std::vector<ItemIdx> candidates = {1, 2};
  const auto expected_scores = m.score_candidates(requests[0].query, candidates);
  constexpr int kThreads = 4;
  const RunContext shared(2), serial;  // callers on one pool, and callers on their own thread
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < kThreads; ++t) {
    pool.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        mismatches[t] += m.recommend(requests, t % 2 == 0 ? shared : serial) != expected;
        mismatches[t] += m.popular(Filter{}, 5) != expected_popular;
        mismatches[t] += m.score_candidates(requests[0].query, candidates) != expected_scores;
      }
    });
  }
  for (std::thread& th : pool) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

INSTANTIATE_TEST_SUITE_P(Models, RankerTest,
                         ::testing::Values("popularity", "item_knn", "als:factors=4,iterations=3", "ease"));

TEST(Ranker, ScoresCandidateListsInABatchAsOneByOne) {
  const TrainedModel m = fitted("item_knn");
  std::vector<Query> queries(3);
  queries[0].user = 0;
  queries[1].user = 5;
  queries[2].items = {4, 7};
  const std::vector<std::vector<ItemIdx>> candidates = {{1, 2, 3}, {}, {15, 0}};
  const auto batch = m.score_candidates(queries, candidates, RunContext(2));
  ASSERT_EQ(batch.size(), 3u);
  for (std::size_t q = 0; q < 3; ++q) EXPECT_EQ(batch[q], m.score_candidates(queries[q], candidates[q]));
}

TEST(RankerView, AnswersLikeTheTrainedModelItViews) {
  const TrainedModel m = fitted("als:factors=4,iterations=3");
  const RankerView view(m.model(), m.history(), m.facts());
  const std::vector<Request> requests = mixed_requests();
  const RunContext run(2);
  EXPECT_EQ(view.recommend(requests, run), m.recommend(requests, run));
}

// A model with candidates only (each query: items that share a residue with the history's items,
// scored by how many do), answered through CandidateScorer, and the same model without that
// capability, answered through dense rows: the batch path must give identical results.
class Residues : public Recommender {
 public:
  std::string_view kind() const override { return "residues"; }
  std::string params() const override { return ""; }
  void fit(const TrainSet&, const FitContext&) override {}
  void save(BinaryWriter&) const override {}
  void load(BinaryReader&) override {}
  std::uint32_t num_items() const override { return testing::Checkerboard::kItems; }
  void list(const UserQuery& q, std::vector<Scored>& out) const {
    std::vector<float> score(num_items(), 0.0f);
    for (ItemIdx h : q.items) {
      for (ItemIdx i = 0; i < num_items(); ++i) score[i] += i % 5 == h % 5 ? 1.0f + static_cast<float>(h % 3) : 0.0f;
    }
    for (ItemIdx i = 0; i < num_items(); ++i) {
      if (score[i] > 0) out.push_back({i, score[i]});
    }
    std::reverse(out.begin(), out.end());  // any order
  }
  void score_one(const UserQuery& q, std::span<float> scores) const override {
    std::fill(scores.begin(), scores.end(), 0.0f);
    std::vector<Scored> c;
    list(q, c);
    for (const Scored& s : c) scores[s.item] = s.score;
  }
};
class SparseResidues final : public Residues, public CandidateScorer {
 public:
  void candidates(const UserQuery& q, std::vector<Scored>& out) const override { list(q, out); }
};

TEST(CandidateScorer, SelectsExactlyWhatTheDenseRowsSelect) {
  const testing::Checkerboard data;
  const History history = History::from_pairs(data.pairs);
  const ItemFacts facts = ItemFacts::from_catalog(data.catalog, testing::Checkerboard::kItems);
  const Residues dense;
  const SparseResidues sparse;
  std::vector<Request> requests = mixed_requests();
  for (Request& r : requests) r.k = 1 + (r.k * 3) % 16;  // up to the whole catalog: zero-score fill
  Request anonymous;
  anonymous.query.items = {4, 9};
  anonymous.k = 16;
  requests.push_back(anonymous);
  for (int threads : {1, 2}) {
    const RunContext run(threads);
    const auto want = rank_requests(dense, history, facts, requests, run);
    const auto got = rank_requests(sparse, history, facts, requests, run);
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t r = 0; r < want.size(); ++r) EXPECT_EQ(got[r], want[r]) << "request " << r;
  }
}

}  // namespace
}  // namespace aisle
