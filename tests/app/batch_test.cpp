// Batch recommendations into a real store on both backends (store/store_fixture.h): the stored
// lists equal the model's own recommend() answers for every user, whatever the chunking and the
// split of the users into shares, and the shares cover every user once.
#include <gtest/gtest.h>

#include <cmath>

#include "aisle/app/batch_recommendations.h"
#include "aisle/core/error.h"
#include "aisle/models/model_file.h"
#include "models/model_test_data.h"
#include "store/store_fixture.h"

namespace aisle {
namespace {

class BatchTest : public test::StoreTest {};

// 300 users and 120 items with skewed activity; als gives every user a different list.
TrainedModel skewed_model() {
  const Interactions pairs = testing::skewed_pairs(300, 120, 3, 12, 1.5);
  Catalog catalog;
  FitContext context;
  context.run = RunContext(1);
  return train_model("als:factors=8,iterations=3", pairs, catalog, testing::make_ids("user-", 300),
                     testing::make_ids("item-", 120), context);
}

std::vector<StoredRecommendation> expected_list(const TrainedModel& model, const std::string& user, std::size_t k) {
  ItemRequest request;
  request.user = user;
  request.k = k;
  std::vector<StoredRecommendation> out;
  for (const ItemRow& row : recommend(model, request).items) out.push_back({row.item_id, row.score});
  return out;
}

TEST_P(BatchTest, StoredListsEqualTheModelsOwnAnswersForEveryUser) {
  const TrainedModel model = skewed_model();
  auto store = open_store(url_);
  RecommendationBatch batch;
  batch.version = "v1";
  batch.model = model.spec();
  batch.k = 7;
  store->begin_recommendations(batch);
  ItemRequest shared;
  shared.k = 7;
  // Three shares, as three ranks would write them, each over its own store object, in chunks
  // that do not divide the shares.
  const RunContext run(2);
  BatchWritten total;
  for (int rank = 0; rank < 3; ++rank) {
    auto own = open_store(url_);
    const BatchWritten w =
        write_batch_share(model, *own, "v1", user_share(model.users().size(), rank, 3), shared, run, 37);
    total.users += w.users;
    total.rows += w.rows;
  }
  const RecommendationBatch done = store->complete_recommendations("v1");
  EXPECT_EQ(done.users, 300u);
  EXPECT_EQ(done.users, total.users);
  EXPECT_EQ(done.row_count, total.rows);
  // The same items in the same order as the model's own answers; the scores within float
  // rounding: the batch path scores queries in blocks (a matrix-matrix product), and which
  // queries share a block (shares, chunks, threads) moves a score by an ulp or so.
  for (UserIdx u = 0; u < model.users().size(); ++u) {
    const std::string user(model.users().name(u));
    const auto stored = store->stored_recommendations(user);
    ASSERT_TRUE(stored.has_value());
    const std::vector<StoredRecommendation> expected = expected_list(model, user, 7);
    ASSERT_EQ(stored->items.size(), expected.size()) << user;
    for (std::size_t p = 0; p < expected.size(); ++p) {
      EXPECT_EQ(stored->items[p].item, expected[p].item) << user << " position " << p;
      EXPECT_NEAR(stored->items[p].score, expected[p].score, 1e-6f * std::abs(expected[p].score)) << user;
    }
  }
}

TEST(UserShare, ContiguousBlocksCoverEveryUserOnce) {
  for (const std::uint32_t users : {0u, 1u, 2u, 10u, 301u}) {
    for (int ranks = 1; ranks <= 4; ++ranks) {
      UserIdx next = 0;
      for (int r = 0; r < ranks; ++r) {
        const UserRange share = user_share(users, r, ranks);
        EXPECT_EQ(share.first, next);
        EXPECT_LE(share.last - share.first, users / ranks + 1);
        EXPECT_GE(share.last - share.first, users / ranks);
        next = share.last;
      }
      EXPECT_EQ(next, users);
    }
  }
}

TEST(ModelFileVersion, IsTheFilesChecksumAndFollowsTheFile) {
  const test::TempDir dir;
  const TrainedModel model = skewed_model();
  save_model(model, dir.file("a.model"));
  save_model(model, dir.file("b.model"));
  const std::string version = model_file_version(dir.file("a.model"));
  EXPECT_EQ(version.size(), 8u);
  EXPECT_EQ(version, model_file_version(dir.file("b.model")));  // the same model, the same bytes
  EXPECT_THROW(model_file_version(dir.file("missing.model")), InputError);
}

INSTANTIATE_TEST_SUITE_P(Backends, BatchTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace aisle
