// GET /api/users/{id}/recommendations?source=batch through a real socket: the stored list of the
// newest complete batch, never a half-written one, and clear 404s when there is none.
#include <gtest/gtest.h>

#include "aisle/app/batch_recommendations.h"
#include "serve/serve_fixture.h"

namespace aisle {
namespace {

using testing::Json;

class BatchRouteTest : public testing::ServeFixture {
 protected:
  // Writes a batch of every user's top `k` from the fixture's model; completes it when asked.
  void write_batch(const std::string& version, std::size_t k, bool complete) {
    const TrainedModel model = load_model(model_path_);
    auto store = open_store(store_url_);
    RecommendationBatch batch;
    batch.version = version;
    batch.model = model.spec();
    batch.k = static_cast<std::uint32_t>(k);
    store->begin_recommendations(batch);
    ItemRequest shared;
    shared.k = k;
    write_batch_share(model, *store, version, user_share(model.users().size(), 0, 1), shared, RunContext(1));
    if (complete) store->complete_recommendations(version);
  }
};

TEST_F(BatchRouteTest, AnswersTheStoredListOfTheNewestCompleteBatch) {
  start();
  auto [status, body] = get("/api/users/u1/recommendations?source=batch");
  EXPECT_EQ(status, 404);
  EXPECT_NE(body["error"]["message"].get<std::string>().find("no complete recommendation batch"), std::string::npos);

  write_batch("half", 4, false);
  std::tie(status, body) = get("/api/users/u1/recommendations?source=batch");
  EXPECT_EQ(status, 404) << body.dump();  // a half-written batch is never served

  write_batch("v1", 4, true);
  std::tie(status, body) = get("/api/users/u1/recommendations?source=batch");
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["batch"]["version"], "v1");
  EXPECT_EQ(body["source"], "batch");
  const std::vector<std::string> stored = ids(body["items"]);
  EXPECT_EQ(stored.size(), 4u);
  // The model's own answer, computed per request, is the same list.
  auto [live_status, live] = get("/api/recommendations?user_id=u1&k=4");
  ASSERT_EQ(live_status, 200);
  EXPECT_EQ(stored, ids(live["items"]));
  std::tie(status, body) = get("/api/users/u1/recommendations?source=batch&k=2");
  EXPECT_EQ(ids(body["items"]), std::vector<std::string>(stored.begin(), stored.begin() + 2));

  std::tie(status, body) = get("/api/users/nobody/recommendations?source=batch");
  EXPECT_EQ(status, 404);
  EXPECT_NE(body["error"]["message"].get<std::string>().find("has no list in recommendation batch 'v1'"),
            std::string::npos);
  std::tie(status, body) = get("/api/users/u1/recommendations?source=batch&version=half");
  EXPECT_EQ(status, 404);
  std::tie(status, body) = get("/api/users/u1/recommendations");
  EXPECT_EQ(status, 400);
  EXPECT_EQ(body["error"]["field"], "source");
}

}  // namespace
}  // namespace aisle
