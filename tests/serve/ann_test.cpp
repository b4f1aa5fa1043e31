// `aisle serve` with serve.ann = "hnsw" through a real socket: the index is built in the
// background and attached for a factor model, after which /api/recommendations answers through
// it with k items and, on a catalog this small (the search reaches every item), the exact answer
// up to ties;
// a model that is not a factor model is served exactly.
#include <algorithm>
#include <chrono>
#include <cmath>

#include "aisle/app/requests.h"
#include "serve/serve_fixture.h"

namespace aisle::testing {
namespace {

using Server = ServeFixture;

TEST_F(Server, AnApproximateIndexAnswersAFactorModelWithKItems) {
  write_model("als:factors=8,iterations=5", model_path_);
  Config config;
  config.serve.cache_depth = 0;  // every answer through the batch path
  config.serve.ann = "hnsw";
  config.serve.ann_ef_search = 40;
  start(config);
  Json model;
  for (int wait = 0; wait < 500 && (model = get("/api/model").second)["ann"].is_null(); ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(model["ann"]["kind"], "hnsw") << model;
  EXPECT_EQ(model["ann"]["ef_search"], 40);
  const TrainedModel exact = load_model(model_path_);
  // k = 1 and 3 are answered by the index (8 items are seen, 8 eligible); k = 8 needs every
  // eligible item, which the index leaves to the exact path.
  for (int u = 0; u < 20; ++u) {
    for (const std::size_t k : {1, 3, 8}) {
      for (const std::string& category : {std::string(), std::string("odd")}) {
        ItemRequest r;
        r.user = "u" + std::to_string(u);
        r.k = k;
        r.category = category;
        const auto [status, body] = get("/api/recommendations?user_id=" + r.user + "&k=" + std::to_string(k) +
                                        (category.empty() ? "" : "&category=" + category));
        ASSERT_EQ(status, 200) << body;
        const Answer want = recommend(exact, r);
        std::vector<std::string> want_ids;
        for (const ItemRow& row : want.items) want_ids.push_back(row.item_id);
        ASSERT_EQ(body["items"].size(), want.items.size()) << r.user << " k=" << k << " " << category;
        // The same items and scores, up to items whose scores tie within rounding (the index
        // scores with linalg::dot, the exact path with BLAS): at each rank the same score, and
        // an item the exact answer lacks only where it ties with the exact answer's last score.
        for (std::size_t i = 0; i < want.items.size(); ++i) {
          const auto tolerance = [](float s) { return 1e-5f * (1 + std::abs(s)); };
          const auto& row = body["items"][i];
          EXPECT_NEAR(row["score"].get<float>(), want.items[i].score, tolerance(want.items[i].score));
          if (std::find(want_ids.begin(), want_ids.end(), row["item_id"]) == want_ids.end()) {
            EXPECT_NEAR(row["score"].get<float>(), want.items.back().score, tolerance(want.items.back().score))
                << r.user << " k=" << k << " " << category << ": " << row;
          }
        }
      }
    }
  }
  const std::string metrics = client_->Get("/metrics")->body;
  for (const std::string name : {"aisle_ann_queries_total", "aisle_ann_exact_fallbacks_total"}) {
    const std::size_t at = metrics.find("\n" + name + " ");
    ASSERT_NE(at, std::string::npos) << name;
    EXPECT_GT(std::stoull(metrics.substr(at + name.size() + 2)), 0u) << name;  // k = 8 falls back
  }
}

TEST_F(Server, AModelThatIsNotAFactorModelIsServedExactlyWithoutAnIndex) {
  Config config;  // the fixture's item_knn model
  config.serve.ann = "hnsw";
  config.serve.cache_depth = 6;  // built first, on the same background thread
  start(config);
  for (int wait = 0; wait < 500 && get("/api/model").second["cache_depth"] == 0; ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const Json model = get("/api/model").second;
  EXPECT_TRUE(model["ann"].is_null()) << model;
  const auto [status, body] = get("/api/recommendations?user_id=u0&k=3");
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(body["items"].size(), 3u);
}

}  // namespace
}  // namespace aisle::testing
