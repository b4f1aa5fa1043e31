// Several servers on one store (docs/SCALE.md, "Serving replicas"): feedback committed through one
// server shows in another's answers within a second, without a restart. Two real servers on real
// sockets, on SQLite (polled) and on the PostgreSQL of AISLE_TEST_POSTGRES_URL (LISTEN/NOTIFY;
// skipped when it is unset).
#include <chrono>
#include <fstream>
#include <iterator>

#include "serve/serve_fixture.h"
#include "store/store_fixture.h"

namespace aisle::testing {
namespace {

using Clock = std::chrono::steady_clock;

// A server in this process on the fixture's store, answered through its own client.
struct Replica {
  std::unique_ptr<serve::Server> server;
  std::thread thread;
  std::unique_ptr<httplib::Client> client;

  Replica(const std::string& store_url, const std::string& model_path, Config config = {}) {
    config.serve.listen = "127.0.0.1:0";
    serve::ServeOptions options;
    options.config = config;
    options.store_url = store_url;
    options.model_path = model_path;
    server = std::make_unique<serve::Server>(options);
    const int port = server->start();
    thread = std::thread([this] { server->wait(); });
    client = std::make_unique<httplib::Client>("127.0.0.1", port);
    client->set_read_timeout(10, 0);
  }
  ~Replica() {
    server->stop();
    thread.join();
  }
  Json get(const std::string& path) {
    auto res = client->Get(path.c_str());
    return res && res->status == 200 ? Json::parse(res->body, nullptr, false) : Json();
  }
  int post(const std::string& path, const std::string& body) {
    auto res = client->Post(path.c_str(), body, "application/json");
    return res ? res->status : 0;
  }
};

class Replicas : public test::StoreTest {
 protected:
  void SetUp() override {
    test::StoreTest::SetUp();
    if (IsSkipped()) return;
    ::unsetenv("AISLE_API_TOKEN");
    EventLog log = checkerboard_log();
    open_store(url_)->load(log, IngestionRun{"test", {}, 0, 0, 0, 0, ""});
    Config config;
    LoadedEvents loaded = load_events({url_, {}, "csv"}, config, config.read_options());
    FitContext context;
    context.run = RunContext(1);
    model_ = dir_.file("model.aislemodel");
    save_model(train_model("item_knn", pairs_of(loaded.log, config), loaded.log.catalog, loaded.log.users,
                           loaded.log.items, context),
               model_);
  }

  // Polls `replica` until the newcomer `user` is served from a history holding `item` (served as
  // the model, the item excluded); the seconds it took, or -1 after `deadline`.
  static double seconds_until_served(Replica& replica, const std::string& user, const std::string& item,
                                     std::chrono::milliseconds deadline) {
    const auto start = Clock::now();
    while (Clock::now() - start < deadline) {
      const Json answer = replica.get("/api/recommendations?user_id=" + user + "&k=3");
      if (answer.is_object() && answer["served_as"] == "model") {
        bool excluded = true;
        for (const Json& row : answer["items"]) excluded = excluded && row["item_id"] != item;
        if (excluded) return std::chrono::duration<double>(Clock::now() - start).count();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }

  std::string model_;
};

TEST_P(Replicas, FeedbackThroughOneServerShowsInAnotherWithinASecond) {
  Replica a(url_, model_), b(url_, model_);
  ASSERT_NE(b.get("/api/recommendations?user_id=newbie&k=3")["served_as"], "model") << "a newcomer is a cold start";
  for (int round = 0; round < 3; ++round) {
    // Each way, each round a new user: A's feedback reaches B and B's reaches A.
    const std::string user = "newbie" + std::to_string(round);
    Replica& writer = round % 2 == 0 ? a : b;
    Replica& reader = round % 2 == 0 ? b : a;
    ASSERT_EQ(writer.post("/api/feedback", R"({"user_id": ")" + user + R"(", "item_id": "i1", "event": "view"})"), 200);
    const double seconds = seconds_until_served(reader, user, "i1", std::chrono::milliseconds(1000));
    EXPECT_GE(seconds, 0) << "round " << round << ": the other server did not see the feedback within 1 s";
  }
  // Followed events are replayed, not this server's own: B counts them, A's own are not doubled.
  const auto metrics = b.client->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("aisle_feedback_followed_total 2"), std::string::npos) << metrics->body;
}

// A server that starts after feedback was stored replays it once, then follows only what is new:
// its live history holds each event once. A cart (+3) replayed twice would outweigh the removal
// (-3) that follows, and the item would stay in the history.
TEST_P(Replicas, AServerStartedLaterHasEachStoredEventOnce) {
  Replica a(url_, model_);
  ASSERT_EQ(a.post("/api/feedback", R"({"user_id": "late", "item_id": "i1", "event": "cart"})"), 200);
  Replica b(url_, model_);
  ASSERT_EQ(a.post("/api/feedback", R"({"user_id": "late", "item_id": "i1", "event": "remove_from_cart"})"), 200);
  ASSERT_EQ(a.post("/api/feedback", R"({"user_id": "late", "item_id": "i3", "event": "cart"})"), 200);
  const auto start = Clock::now();
  Json history;
  while (Clock::now() - start < std::chrono::seconds(2)) {
    history = b.get("/api/users/late/history");
    if (history.is_object() && history["live"] == Json::array({"i3"})) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(history["live"], Json::array({"i3"})) << history;
  EXPECT_EQ(history["live_removed"], Json::array({"i1"})) << history;
}

// serve.model_source = "store": the newest published model at start, then each newer one as it is
// published, without a restart; two servers on the store both move on.
TEST_P(Replicas, APublishedModelReachesEveryServerWithoutARestart) {
  const auto publish = [&](const std::string& spec) {
    std::ifstream in(model_, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return open_store(url_)->publish_model(spec, bytes);
  };
  ASSERT_EQ(publish("item_knn"), 1);
  Config config;
  config.serve.model_source = "store";
  Replica a(url_, "", config), b(url_, "", config);
  EXPECT_EQ(a.get("/api/model")["store_version"], 1);
  EXPECT_EQ(a.get("/api/model")["kind"], "item_knn");

  Config fit;
  LoadedEvents loaded = load_events({url_, {}, "csv"}, fit, fit.read_options());
  FitContext context;
  context.run = RunContext(1);
  save_model(train_model("popularity", pairs_of(loaded.log, fit), loaded.log.catalog, loaded.log.users,
                         loaded.log.items, context),
             model_);
  ASSERT_EQ(publish("popularity"), 2);
  for (Replica* replica : {&a, &b}) {
    const auto start = Clock::now();
    Json model;
    while (Clock::now() - start < std::chrono::seconds(5)) {
      model = replica->get("/api/model");
      if (model.is_object() && model["store_version"] == 2) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(model["store_version"], 2) << model;
    EXPECT_EQ(model["kind"], "popularity") << model;
  }
}

TEST_P(Replicas, ServingPublishedModelsExcludesAModelFileAndRetraining) {
  Config config;
  config.serve.model_source = "store";
  EXPECT_THROW({ Replica r(url_, model_, config); }, ConfigError);
  config.serve.retrain_every_seconds = 3600;
  EXPECT_THROW({ Replica r(url_, "", config); }, ConfigError);
}

INSTANTIATE_TEST_SUITE_P(Stores, Replicas, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace aisle::testing
