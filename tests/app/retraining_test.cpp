// Retraining from the store for a running server: a candidate clearly worse than the serving
// model on the users' newest pairs is refused, one as good is accepted, and the new model records
// when its data was read.
#include "aisle/app/retraining.h"

#include <gtest/gtest.h>

#include <atomic>
#include <ctime>

#include "aisle/core/error.h"
#include "aisle/store/event_store.h"
#include "test_util.h"

namespace aisle {
namespace {

// Two groups of 20 users, each buying within its own 10 items (group A: items 0-9, group B:
// 10-19), six items each at first; ten more users buy all of group A, so that popularity ranks
// A's items first for everyone. Later each group user buys a seventh item of their group: the
// newest pairs, which the serving model has not seen.
class Retraining : public ::testing::Test {
 protected:
  static LiveEvent purchase(int user, int item, Timestamp time) {
    LiveEvent e;
    e.user = "u" + std::to_string(user);
    e.item = "i" + std::to_string(item);
    e.type = "purchase";
    e.time = time;
    return e;
  }

  void SetUp() override {
    url_ = "sqlite:" + dir_.file("store.db");
    std::vector<LiveEvent> early, late;
    for (int u = 0; u < 40; ++u) {
      const int group = u < 20 ? 0 : 10;
      for (int j = 0; j < 6; ++j) early.push_back(purchase(u, group + (u + j) % 10, 1'600'000'000 + j));
      late.push_back(purchase(u, group + (u + 6) % 10, 1'700'000'000));
    }
    for (int u = 40; u < 50; ++u) {
      for (int i = 0; i < 10; ++i) early.push_back(purchase(u, i, 1'600'000'000 + i));
    }
    auto store = open_store(url_);
    store->append(early);
    const Config config;
    LoadedEvents loaded = load_events({url_, {}, "csv"}, config, config.read_options());
    FitContext fit;
    fit.run = RunContext(1);
    serving_ = std::make_unique<TrainedModel>(train_model("item_knn", pairs_of(loaded.log, config), loaded.log.catalog,
                                                          loaded.log.users, loaded.log.items, fit, loaded.read_at));
    store->append(late);
  }

  test::TempDir dir_;
  std::string url_;
  std::unique_ptr<TrainedModel> serving_;
};

TEST_F(Retraining, ACandidateClearlyWorseIsRefused) {
  const Retrained r = retrain_from_store(url_, Config{}, "popularity", serving_.get(), 0.1, RunContext(1));
  EXPECT_FALSE(r.accepted) << r.comparison.summary;
  EXPECT_EQ(r.model, nullptr);
  EXPECT_EQ(r.comparison.users, 40u);
  EXPECT_LT(r.comparison.candidate_ndcg, 0.9 * r.comparison.serving_ndcg) << r.comparison.summary;
  EXPECT_TRUE(r.comparison.summary.starts_with("refused: NDCG@10")) << r.comparison.summary;
}

TEST_F(Retraining, TheServingModelsKindRetrainedIsAcceptedAndRecordsWhenItsDataWasRead) {
  const auto before = static_cast<Timestamp>(std::time(nullptr));
  const Retrained r = retrain_from_store(url_, Config{}, "", serving_.get(), 0.1, RunContext(1));
  ASSERT_TRUE(r.accepted) << r.comparison.summary;
  ASSERT_NE(r.model, nullptr);
  EXPECT_EQ(r.model->spec(), serving_->spec());
  EXPECT_GE(r.comparison.candidate_ndcg, 0.9 * r.comparison.serving_ndcg);
  EXPECT_EQ(r.model->history().row_ptr.back(), 40u * 7 + 10u * 10);  // every pair, the late ones too
  EXPECT_GE(r.model->provenance().data_as_of, before);
  EXPECT_LE(r.model->provenance().data_as_of, r.model->provenance().trained_at);
}

TEST_F(Retraining, WithoutEnoughComparableUsersTheCandidateIsAcceptedAndSaysSo) {
  // A serving model that has seen every pair leaves nobody to compare on.
  const Config config;
  LoadedEvents loaded = load_events({url_, {}, "csv"}, config, config.read_options());
  FitContext fit;
  fit.run = RunContext(1);
  const TrainedModel everything = train_model("item_knn", pairs_of(loaded.log, config), loaded.log.catalog,
                                              loaded.log.users, loaded.log.items, fit);
  const Retrained r = retrain_from_store(url_, config, "popularity", &everything, 0.1, RunContext(1));
  EXPECT_TRUE(r.accepted);
  EXPECT_EQ(r.comparison.users, 0u);
  EXPECT_TRUE(r.comparison.summary.starts_with("accepted without comparison")) << r.comparison.summary;
}

// Sets the cancel flag when the fit reports its second step, as a stopping server would mid-fit.
class CancelAtStep final : public Progress {
 public:
  explicit CancelAtStep(std::atomic<bool>& flag) : flag_(flag) {}
  void update(std::string_view, std::uint64_t, std::uint64_t, std::uint64_t) override {}
  void step(std::string_view, std::uint64_t done, std::uint64_t, double) override {
    steps_ = done;
    if (done == 2) flag_ = true;
  }
  void finish() override {}
  std::uint64_t steps() const { return steps_; }

 private:
  std::atomic<bool>& flag_;
  std::uint64_t steps_ = 0;
};

TEST_F(Retraining, ACancelledRunStopsAtTheFitsNextStepAndPublishesNothing) {
  std::atomic<bool> flag{false};
  CancelAtStep progress(flag);
  RunContext run(1, 42, &progress);
  run.cancel = &flag;
  EXPECT_THROW(retrain_from_store(url_, Config{}, "als:iterations=50", serving_.get(), 0.1, run), Cancelled);
  EXPECT_EQ(progress.steps(), 2u);  // the third iteration never ended
  // Already cancelled: it stops before reading anything.
  EXPECT_THROW(retrain_from_store(url_, Config{}, "", nullptr, 0.1, run), Cancelled);
}

// Retraining a model that learns from order gives it the store's events as sequences: users
// u0-u9 view a, b, and a day later c, d; users u10-u14 view b, e. Within sessions (30-minute gap)
// b is followed by e only; over each user's history (the pairs fallback, or session gap 0) b is
// followed by c ten times.
class RetrainingSequences : public ::testing::Test {
 protected:
  static LiveEvent view(int user, const std::string& item, Timestamp time) {
    LiveEvent e;
    e.user = "u" + std::to_string(user);
    e.item = item;
    e.type = "view";
    e.time = time;
    return e;
  }

  void SetUp() override {
    url_ = "sqlite:" + dir_.file("store.db");
    std::vector<LiveEvent> events;
    for (int u = 0; u < 15; ++u) {
      const Timestamp t = 1'700'000'000 + u * 1000;
      if (u < 10) {
        events.push_back(view(u, "a", t));
        events.push_back(view(u, "b", t + 60));
        events.push_back(view(u, "c", t + 86'400));
        events.push_back(view(u, "d", t + 86'460));
      } else {
        events.push_back(view(u, "b", t));
        events.push_back(view(u, "e", t + 60));
      }
    }
    open_store(url_)->append(events);
  }

  static std::string top_after(const TrainedModel& model, const std::string& item) {
    Query q;
    q.items = {model.items().find(item)};
    const auto lists = model.recommend(std::span<const Query>(&q, 1), Filter{}, 1, RunContext(1));
    return lists.at(0).empty() ? "" : std::string(model.items().name(lists[0][0].item));
  }

  test::TempDir dir_;
  std::string url_;
};

TEST_F(RetrainingSequences, ASessionModelLearnsFromTheStoresSessions) {
  const Retrained r = retrain_from_store(url_, Config{}, "sequential_rules", nullptr, 0.1, RunContext(1));
  ASSERT_NE(r.model, nullptr);
  EXPECT_EQ(top_after(*r.model, "b"), "e");
  Config no_gap;
  no_gap.session_gap_seconds = 0;  // one sequence per user: what the pairs fallback sees
  const Retrained whole = retrain_from_store(url_, no_gap, "sequential_rules", nullptr, 0.1, RunContext(1));
  ASSERT_NE(whole.model, nullptr);
  EXPECT_EQ(top_after(*whole.model, "b"), "c");
}

TEST_F(RetrainingSequences, TheCandidateAgainstAServingModelGetsSequencesToo) {
  const Retrained first = retrain_from_store(url_, Config{}, "sequential_rules", nullptr, 0.1, RunContext(1));
  ASSERT_NE(first.model, nullptr);
  // Retraining the serving model's kind: the candidate is fitted on the split's training side
  // (its sequences without the held-out pairs' events), then the model on everything.
  const Retrained r = retrain_from_store(url_, Config{}, "", first.model.get(), 0.1, RunContext(1));
  ASSERT_TRUE(r.accepted) << r.comparison.summary;
  ASSERT_NE(r.model, nullptr);
  EXPECT_EQ(r.model->spec(), first.model->spec());
  EXPECT_EQ(top_after(*r.model, "b"), "e");
}

}  // namespace
}  // namespace aisle
