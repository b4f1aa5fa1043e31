// `aisle serve` through a real socket: every endpoint, feedback visible in the next answer,
// unknown ids, auth, limits, malformed JSON, model swaps (a refused file, a swap under load).
#include <atomic>
#include <set>

#include "aisle/app/requests.h"
#include "aisle/models/model_file.h"
#include "serve/serve_fixture.h"

namespace aisle::testing {
namespace {

using Server = ServeFixture;

TEST_F(Server, RecommendsForAKnownUserWithCatalogFields) {
  start();
  const auto [status, body] = get("/api/recommendations?user_id=u0&k=3");
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(body["user_id"], "u0");
  EXPECT_EQ(body["served_as"], "model");
  EXPECT_EQ(body["model"]["spec"].get<std::string>().rfind("item_knn", 0), 0u) << body["model"];
  ASSERT_EQ(body["items"].size(), 3u);
  for (const Json& row : body["items"]) {
    const int i = std::stoi(row["item_id"].get<std::string>().substr(1));
    EXPECT_EQ(i % 2, 1) << row;  // u0 has every even item: seen items are excluded
    EXPECT_EQ(row["name"], "item " + std::to_string(i));
    EXPECT_EQ(row["category"], i % 2 == 0 ? "Even things" : "Odd things");
    EXPECT_EQ(row["image_url"], "https://shop.example/i" + std::to_string(i) + ".jpg");
    EXPECT_FLOAT_EQ(row["price"].get<float>(), 1.5f + static_cast<float>(i));
    EXPECT_TRUE(row["score"].is_number());
  }
}

TEST_F(Server, FlaskShapeBatchAndSessionAreAnsweredThroughTheSamePath) {
  start();
  const auto [s1, flask] = post("/recommend", R"({"user_id": "u1", "num_recommendations": 5})");
  ASSERT_EQ(s1, 200) << flask;
  EXPECT_EQ(flask["items"].size(), 5u);
  const auto [s0, direct] = get("/api/recommendations?user_id=u1&k=5");
  EXPECT_EQ(ids(flask["items"]), ids(direct["items"]));

  const auto [s2, batch] = post("/api/recommend", R"({"requests": [
      {"user_id": "u1", "k": 2},
      {"user_id": "u2", "k": 4, "category": "odd"},
      {"items": ["i1", "i3"], "k": 3},
      {"user_id": "u3", "category": "no such category"}]})");
  ASSERT_EQ(s2, 200) << batch;
  const Json& r = batch["results"];
  ASSERT_EQ(r.size(), 4u);
  const std::vector<std::string> direct_ids = ids(direct["items"]);
  EXPECT_EQ(ids(r[0]["items"]), std::vector<std::string>(direct_ids.begin(), direct_ids.begin() + 2));
  EXPECT_EQ(r[1]["items"].size(), 4u);
  for (const Json& row : r[1]["items"]) EXPECT_EQ(row["category"], "Odd things");
  EXPECT_EQ(r[2]["items"].size(), 3u);
  // An unknown category is not an error: nothing is eligible, and a warning says why.
  EXPECT_TRUE(r[3]["items"].empty()) << r[3];
  ASSERT_FALSE(r[3]["warnings"].empty()) << r[3];
  EXPECT_NE(r[3]["warnings"][0].get<std::string>().find("no such category"), std::string::npos) << r[3];

  const auto [s3, session] = post("/api/session/recommend", R"({"items": ["i1", "nope", "i3"], "k": 4})");
  ASSERT_EQ(s3, 200) << session;
  EXPECT_EQ(session["items"].size(), 4u);
  for (const std::string& id : ids(session["items"])) EXPECT_TRUE(id != "i1" && id != "i3") << id;
  ASSERT_FALSE(session["warnings"].empty());
  EXPECT_NE(session["warnings"][0].get<std::string>().find("nope"), std::string::npos) << session["warnings"];
}

// A route model behind the one recommend path: a session goes to its session member, a cold
// start to its `none` member, each answer what the model file gives in process.
TEST_F(Server, ARouteAnswersSessionsAndColdStartsThroughItsSegments) {
  write_model("route:min_history=3(known=item_knn; session=sequential_rules; none=trending; fallback=popularity)",
              model_path_);
  start();
  const TrainedModel model = load_model(model_path_);
  const auto in_process = [&](Query q, std::size_t k) {
    const auto lists = model.recommend(std::span(&q, 1), Filter{}, k, RunContext{});
    std::vector<std::string> out;
    for (const Scored& s : lists.front()) out.emplace_back(model.items().name(s.item));
    return out;
  };
  const Query session{kNoIndex, {model.items().find("i2"), model.items().find("i4")}, {}, true};
  Query few = session;
  few.session = false;
  ASSERT_NE(in_process(session, 4), in_process(few, 4));  // the two segments answer differently here

  const auto [s1, answer] = post("/api/session/recommend", R"({"items": ["i2", "i4"], "k": 4})");
  ASSERT_EQ(s1, 200) << answer;
  EXPECT_EQ(ids(answer["items"]), in_process(session, 4)) << answer;
  EXPECT_EQ(answer["served_as"], "model");
  const auto [s2, batch] = post("/api/recommend", R"({"requests": [{"items": ["i2", "i4"], "k": 4}]})");
  ASSERT_EQ(s2, 200) << batch;
  EXPECT_EQ(ids(batch["results"][0]["items"]), in_process(few, 4));

  // A cold start is the route's `none` member (trending: the newest items first), not popular().
  const auto [s3, cold] = get("/api/recommendations?user_id=nobody&k=3");
  ASSERT_EQ(s3, 200) << cold;
  EXPECT_EQ(cold["served_as"], "cold_start");
  EXPECT_EQ(ids(cold["items"]), in_process(Query{}, 3));
  EXPECT_EQ(ids(cold["items"]).front(), "i15") << cold;
}

// Each row's "because": history items of the request (ids) with contributions above 0, largest
// first; returns how many rows had at least one.
std::size_t expect_because_from(const Json& items, const std::set<std::string>& history) {
  std::size_t explained = 0;
  for (const Json& row : items) {
    EXPECT_TRUE(row.contains("because")) << row;
    if (!row.contains("because")) continue;
    const Json& because = row["because"];
    EXPECT_LE(because.size(), kBecauseItems) << row;
    explained += !because.empty();
    double previous = 1e30;
    for (const Json& c : because) {
      EXPECT_TRUE(history.count(c["item"].get<std::string>())) << row;
      const double contribution = c["contribution"].get<double>();
      EXPECT_GT(contribution, 0.0) << row;
      EXPECT_LE(contribution, previous) << row;
      previous = contribution;
    }
  }
  return explained;
}

TEST_F(Server, ExplainAddsBecauseToEveryRecommendationAndNothingOtherwise) {
  Config config;
  config.serve.cache_depth = 6;  // the cache holds no explanations: an explained request bypasses it
  start(config);
  std::set<std::string> u0_history;
  for (int i = 0; i < 16; i += 2) u0_history.insert("i" + std::to_string(i));
  // keep_seen: on the checkerboard only items of the history's parity have neighbours in it.
  const auto [s1, plain] = get("/api/recommendations?user_id=u0&k=4&keep_seen=1");
  ASSERT_EQ(s1, 200) << plain;
  for (const Json& row : plain["items"]) EXPECT_FALSE(row.contains("because")) << row;
  const auto [s2, explained] = get("/api/recommendations?user_id=u0&k=4&keep_seen=1&explain=true");
  ASSERT_EQ(s2, 200) << explained;
  EXPECT_EQ(ids(explained["items"]), ids(plain["items"]));
  EXPECT_EQ(expect_because_from(explained["items"], u0_history), 4u) << explained;
  const auto [s3, cached_user] = get("/api/recommendations?user_id=u2&k=3&explain=1");
  ASSERT_EQ(s3, 200) << cached_user;
  expect_because_from(cached_user["items"], {});  // odd items have no even neighbours: empty lists
  EXPECT_EQ(get("/api/recommendations?user_id=u0&explain=maybe").first, 400);

  const auto [s4, session] = post("/api/session/recommend", R"({"items": ["i1", "i3"], "k": 3, "explain": true})");
  ASSERT_EQ(s4, 200) << session;
  EXPECT_EQ(expect_because_from(session["items"], {"i1", "i3"}), 3u) << session;

  const auto [s5, batch] = post("/api/recommend", R"({"requests": [
      {"items": ["i1", "i3"], "k": 2, "explain": true},
      {"items": ["i1", "i3"], "k": 2},
      {"user_id": "stranger", "k": 2, "explain": true}]})");
  ASSERT_EQ(s5, 200) << batch;
  const Json& r = batch["results"];
  EXPECT_EQ(expect_because_from(r[0]["items"], {"i1", "i3"}), 2u) << r[0];
  for (const Json& row : r[1]["items"]) EXPECT_FALSE(row.contains("because")) << row;
  EXPECT_EQ(r[2]["served_as"], "cold_start");
  EXPECT_EQ(expect_because_from(r[2]["items"], {}), 0u) << r[2];  // a cold start has no history to point to
  EXPECT_EQ(post("/api/recommend", R"({"requests": [{"user_id": "u1", "explain": "yes"}]})").first, 400);
}

TEST_F(Server, ItemsUsersListsAndTheModelHaveTheirEndpoints) {
  start();
  const auto [s1, item] = get("/api/items/i4");
  ASSERT_EQ(s1, 200) << item;
  EXPECT_EQ(item["name"], "item 4");
  EXPECT_EQ(item["categories"], Json::array({"Even things"}));
  EXPECT_EQ(item["training_users"], 10);
  EXPECT_EQ(get("/api/items/zzz").first, 404);

  const auto [s2, similar] = get("/api/items/i4/similar?k=3");
  ASSERT_EQ(s2, 200) << similar;
  EXPECT_EQ(similar["items"].size(), 3u);
  for (const std::string& id : ids(similar["items"])) EXPECT_NE(id, "i4");

  const auto [s3, history] = get("/api/users/u0/history");
  ASSERT_EQ(s3, 200) << history;
  EXPECT_EQ(history["training"].size(), 8u);
  EXPECT_EQ(get("/api/users/nobody/history").first, 404);

  const auto [s4, popular] = get("/api/popular?k=2&category=odd");
  ASSERT_EQ(s4, 200) << popular;
  EXPECT_EQ(popular["items"].size(), 2u);
  const auto [s5, trending] = get("/api/trending?k=16");
  ASSERT_EQ(s5, 200) << trending;
  EXPECT_EQ(trending["items"].size(), 16u);
  // Newer items (higher i) were bought later: they trend above the oldest ones.
  EXPECT_EQ(trending["items"][0]["item_id"].get<std::string>().size(), 3u) << trending["items"][0];

  const auto [s6, model] = get("/api/model");
  ASSERT_EQ(s6, 200) << model;
  EXPECT_EQ(model["kind"], "item_knn");
  EXPECT_EQ(model["users"], 20);
  EXPECT_EQ(model["version"], 1);
  EXPECT_TRUE(model["trained_at"].is_string()) << model;
  EXPECT_TRUE(model["data_as_of"].is_string()) << model;
  EXPECT_EQ(model["data_fingerprint"].get<std::string>().size(), 16u);

  EXPECT_EQ(get("/healthz").first, 200);
  EXPECT_EQ(get("/readyz").first, 200);
  auto metrics = client_->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("aisle_http_requests_total{route=\"/api/items/{id}\",status=\"404\"} 1"),
            std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find(
                "aisle_http_request_duration_seconds_bucket{route=\"/api/model\",status=\"200\",le=\"0.0001\"}"),
            std::string::npos);
  EXPECT_EQ(metrics->body.find("u0"), std::string::npos);  // no ids as label values
}

TEST_F(Server, FeedbackIsDurableAndShowsInTheNextAnswer) {
  start();
  const auto before = get("/api/recommendations?user_id=u0&k=1").second;
  const std::string top = before["items"][0]["item_id"];
  // u0 buys its top recommendation: the next answer excludes it, the history shows it.
  const auto [s1, ack] =
      post("/api/feedback", R"({"user_id": "u0", "item_id": ")" + top + R"(", "event": "purchase"})");
  ASSERT_EQ(s1, 200) << ack;
  EXPECT_EQ(ack["accepted"], 1);
  const auto [s_after, after] = get("/api/recommendations?user_id=u0&k=8");
  ASSERT_EQ(s_after, 200) << after;
  EXPECT_EQ(after["items"].size(), 7u);  // u0 had 8 of 16 items and bought one more
  for (const std::string& id : ids(after["items"])) EXPECT_NE(id, top);
  EXPECT_EQ(get("/api/users/u0/history").second["live"], Json::array({top}));

  // A user first seen in feedback is served from that history at once (not as a cold start).
  const auto [s2, ack2] = post("/api/feedback", R"([{"user_id": "newbie", "product_id": "i1", "event": "view"},
                                                    {"user_id": "newbie", "item_id": "i3", "rating": 5}])");
  ASSERT_EQ(s2, 200) << ack2;
  EXPECT_EQ(ack2["accepted"], 2);
  const auto [s_fresh, fresh] = get("/api/recommendations?user_id=newbie&k=3");
  ASSERT_EQ(s_fresh, 200) << fresh;
  EXPECT_EQ(fresh["served_as"], "model") << fresh;
  EXPECT_EQ(fresh["items"].size(), 3u);
  for (const std::string& id : ids(fresh["items"])) EXPECT_TRUE(id != "i1" && id != "i3") << id;

  // Committed: the store has all three events.
  stop();
  const EventLog stored = open_store(store_url_)->read();
  EXPECT_EQ(stored.events.size(), checkerboard_log().events.size() + 3);
  EXPECT_NE(stored.users.find("newbie"), kNoIndex);
}

TEST_F(Server, FeedbackSurvivesARestartUntilAModelLearnsIt) {
  start();
  const std::string top = get("/api/recommendations?user_id=u0&k=1").second["items"][0]["item_id"];
  ASSERT_EQ(post("/api/feedback", R"({"user_id": "u0", "item_id": ")" + top + R"(", "event": "purchase"})").first, 200);
  ASSERT_EQ(post("/api/feedback", R"({"user_id": "newbie", "item_id": "i1", "event": "view"})").first, 200);
  stop();

  // Restarted on the same model file, older than the feedback: the feedback is replayed.
  start();
  const auto [status, after] = get("/api/recommendations?user_id=u0&k=8");
  ASSERT_EQ(status, 200) << after;
  EXPECT_EQ(after["items"].size(), 7u);
  for (const std::string& id : ids(after["items"])) EXPECT_NE(id, top);
  EXPECT_EQ(get("/api/users/u0/history").second["live"], Json::array({top}));
  const auto fresh = get("/api/recommendations?user_id=newbie&k=3").second;
  EXPECT_EQ(fresh["served_as"], "model") << fresh;
  for (const std::string& id : ids(fresh["items"])) EXPECT_NE(id, "i1");

  // A model fitted on the store now has learnt it: nothing is left as live history.
  const std::string newer = (dir_ / "newer.aislemodel").string();
  write_model("item_knn", newer);
  ASSERT_EQ(post("/api/admin/reload", Json{{"path", newer}}.dump()).first, 200);
  const auto history = get("/api/users/u0/history").second;
  EXPECT_TRUE(history["live"].empty()) << history;
  EXPECT_EQ(history["training"].size(), 9u);
  const auto newbie = get("/api/users/newbie/history").second;
  EXPECT_TRUE(newbie["known_to_model"].get<bool>());
  EXPECT_TRUE(newbie["live"].empty()) << newbie;
}

TEST_F(Server, UnknownIdsAreNotErrorsButBadRequestsAre) {
  start();
  const auto [s1, cold] = get("/api/recommendations?user_id=stranger&k=4&exclude=i0,nope&category=even");
  ASSERT_EQ(s1, 200) << cold;
  EXPECT_EQ(cold["served_as"], "cold_start");
  EXPECT_EQ(cold["items"].size(), 4u);
  for (const Json& row : cold["items"]) {
    EXPECT_NE(row["item_id"], "i0");
    EXPECT_EQ(row["category"], "Even things");
  }
  const auto [s2, big] = get("/api/recommendations?user_id=u0&k=1001");
  EXPECT_EQ(s2, 400);
  EXPECT_EQ(big["error"]["field"], "k") << big;
  const auto [s3, bad] = post("/recommend", R"({"user_id": "u0", "num_recommendations": 5,})");
  EXPECT_EQ(s3, 400);
  EXPECT_EQ(bad["error"]["code"], "malformed_json");
  EXPECT_NE(bad["error"]["message"].get<std::string>().find("at byte 44"), std::string::npos) << bad;
  const auto [s4, nouser] = get("/api/recommendations?k=3");
  EXPECT_EQ(s4, 400);
  EXPECT_EQ(nouser["error"]["field"], "user_id");
  const auto [s5, badutf] = get("/api/recommendations?user_id=caf%E9");
  EXPECT_EQ(s5, 400) << badutf;
  EXPECT_NE(badutf["error"]["message"].get<std::string>().find("UTF-8"), std::string::npos) << badutf;
  const auto [s5b, long_id] =
      post("/api/feedback", R"({"user_id": ")" + std::string(257, 'x') + R"(", "item_id": "i1", "event": "view"})");
  EXPECT_EQ(s5b, 400) << long_id;
  EXPECT_EQ(long_id["error"]["field"], "user_id");
  const auto [s5c, deep] = post("/api/session/recommend", R"({"items": )" + std::string(50000, '[') + "]}");
  EXPECT_EQ(s5c, 400) << deep;
  EXPECT_EQ(deep["error"]["code"], "malformed_json");
  std::string batch = R"({"requests": [)";
  for (int i = 0; i < 1001; ++i) batch += std::string(i ? "," : "") + R"({"user_id": "u1"})";
  const auto [s5d, too_many] = post("/api/recommend", batch + "]}");
  EXPECT_EQ(s5d, 400);
  EXPECT_EQ(too_many["error"]["field"], "requests") << too_many;
  const auto [s6, badevent] = post("/api/feedback", R"({"user_id": "u1", "item_id": "i1", "event": "teleport"})");
  EXPECT_EQ(s6, 400);
  EXPECT_EQ(badevent["error"]["field"], "event") << badevent;
  const auto [s7, noroute] = get("/api/nothing");
  EXPECT_EQ(s7, 404);
  EXPECT_EQ(noroute["error"]["code"], "no_such_route");
}

TEST_F(Server, WritesNeedTheTokenAndBodiesHaveALimit) {
  Config config;
  config.serve.max_body_bytes = 4096;
  start(config, "s3cret");
  const std::string event = R"({"user_id": "u1", "item_id": "i1", "event": "view"})";
  const auto [s1, missing] = post("/api/feedback", event);
  EXPECT_EQ(s1, 401) << missing;
  EXPECT_EQ(missing["error"]["code"], "unauthorized");
  EXPECT_EQ(post("/api/feedback", event, {{"Authorization", "Bearer wrong"}}).first, 403);
  EXPECT_EQ(post("/api/feedback", event, {{"Authorization", "Bearer s3cret"}}).first, 200);
  EXPECT_EQ(post("/api/feedback", event, {{"Authorization", "bearer s3cret"}}).first, 200);  // any case of the scheme
  EXPECT_EQ(post("/api/feedback", event, {{"Authorization", "Basic s3cret"}}).first, 401);
  EXPECT_EQ(post("/api/admin/reload", R"({"path": "x"})").first, 401);
  EXPECT_EQ(get("/api/recommendations?user_id=u1").first, 200);  // reads are open by default
  const auto [s2, large] = post("/api/feedback", std::string(5000, ' ') + event, {{"Authorization", "Bearer s3cret"}});
  EXPECT_EQ(s2, 413);
  EXPECT_EQ(large["error"]["code"], "body_too_large") << large;
  // Compressed bodies would escape the limit (httplib inflates them): refused before reading.
  const auto [s3, gzip] =
      post("/api/feedback", event, {{"Authorization", "Bearer s3cret"}, {"Content-Encoding", "gzip"}});
  EXPECT_EQ(s3, 415) << gzip;
  // A user's history is personal: it needs the token even though reads are open.
  EXPECT_EQ(get("/api/users/u1/history").first, 401);
  EXPECT_EQ(get("/api/users/u1/history", {{"Authorization", "Bearer s3cret"}}).first, 200);
}

TEST_F(Server, ClosedReadsNeedTheTokenButHealthAndMetricsStayOpen) {
  Config config;
  config.serve.open_reads = false;
  start(config, "s3cret");
  EXPECT_EQ(get("/api/recommendations?user_id=u1").first, 401);
  EXPECT_EQ(get("/api/recommendations?user_id=u1", {{"Authorization", "Bearer nope"}}).first, 403);
  EXPECT_EQ(get("/api/recommendations?user_id=u1", {{"Authorization", "Bearer s3cret"}}).first, 200);
  EXPECT_EQ(get("/healthz").first, 200);
  EXPECT_EQ(client_->Get("/metrics")->status, 200);
}

TEST_F(Server, ACorruptModelFileIsRefusedAndTheOldModelKeepsServing) {
  start();
  const std::string broken = (dir_ / "broken.aislemodel").string();
  {
    std::ifstream in(model_path_, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(broken, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  }
  const auto [s1, refused] = post("/api/admin/reload", Json{{"path", broken}}.dump());
  EXPECT_EQ(s1, 400);
  EXPECT_EQ(refused["error"]["code"], "model_refused");
  EXPECT_NE(refused["error"]["message"].get<std::string>().find("corrupt"), std::string::npos) << refused;
  const auto [s2, still] = get("/api/recommendations?user_id=u0&k=2");
  EXPECT_EQ(s2, 200);
  EXPECT_EQ(get("/api/model").second["version"], 1);

  const std::string other = (dir_ / "popularity.aislemodel").string();
  write_model("popularity", other);
  const auto [s3, loaded] = post("/api/admin/reload", Json{{"path", other}}.dump());
  ASSERT_EQ(s3, 200) << loaded;
  EXPECT_EQ(get("/api/model").second["kind"], "popularity");
  auto metrics = client_->Get("/metrics");
  EXPECT_NE(metrics->body.find("aisle_model_refusals_total 1\n"), std::string::npos);
  EXPECT_NE(metrics->body.find("aisle_model_swaps_total 2\n"), std::string::npos);
}

TEST_F(Server, SwapsUnderConcurrentRequestsFailNone) {
  start();
  const std::string other = (dir_ / "popularity.aislemodel").string();
  write_model("popularity", other);
  std::atomic<bool> done{false};
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", port_);
      for (int n = 0; !done || n < 20; ++n) {
        const std::string path = "/api/recommendations?user_id=u" + std::to_string((c * 7 + n) % 20) + "&k=5";
        auto res = client.Get(path.c_str());
        (res && res->status == 200 && Json::parse(res->body)["items"].size() == 5 ? ok : failed)++;
        if (n > 2000) break;
      }
    });
  }
  for (int swap = 0; swap < 6; ++swap) {
    const auto [status, body] = post("/api/admin/reload", Json{{"path", swap % 2 == 0 ? other : model_path_}}.dump());
    EXPECT_EQ(status, 200) << body;
  }
  done = true;
  for (auto& t : clients) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_GE(ok, 80);
  EXPECT_EQ(get("/api/model").second["version"], 7);
}

TEST_F(Server, RetrainFromTheStorePutsANewModelInService) {
  start();
  // Two more users appear through feedback; a retrain learns them.
  ASSERT_EQ(post("/api/feedback", R"([{"user_id": "late", "item_id": "i1", "event": "purchase"},
                                      {"user_id": "late", "item_id": "i3", "event": "purchase"}])")
                .first,
            200);
  const auto [status, body] = post("/api/admin/retrain", "{}");
  ASSERT_EQ(status, 200) << body;
  EXPECT_TRUE(body["accepted"].get<bool>());
  EXPECT_EQ(body["version"], 2);
  const auto model = get("/api/model").second;
  EXPECT_EQ(model["users"], 21);
  EXPECT_EQ(model["kind"], "item_knn");
  // The live history of `late` is in the model's data now: it is a known user.
  const auto history = get("/api/users/late/history").second;
  EXPECT_TRUE(history["known_to_model"].get<bool>()) << history;
  EXPECT_TRUE(history["live"].empty()) << history;
}

TEST_F(Server, TheTopListCacheAnswersExactlyWhatTheFullPathAnswers) {
  Config config;
  config.serve.cache_depth = 6;
  start(config);
  for (int wait = 0; wait < 200 && get("/api/model").second["cache_depth"] == 0; ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(get("/api/model").second["cache_depth"], 6);
  const TrainedModel model = load_model(model_path_);
  for (int u = 0; u < 20; ++u) {
    for (const std::size_t k : {1, 5, 6, 8}) {
      for (const std::string& exclude : {std::string(), std::string("i1,i3,i4")}) {
        ItemRequest r;
        r.user = "u" + std::to_string(u);
        r.k = k;
        if (!exclude.empty()) r.exclude = {"i1", "i3", "i4"};
        const auto [status, body] = get("/api/recommendations?user_id=" + r.user + "&k=" + std::to_string(k) +
                                        (exclude.empty() ? "" : "&exclude=" + exclude));
        ASSERT_EQ(status, 200) << body;
        std::vector<std::string> expected;
        for (const ItemRow& row : recommend(model, r).items) expected.push_back(row.item_id);
        EXPECT_EQ(ids(body["items"]), expected) << r.user << " k=" << k << " exclude=" << exclude;
      }
    }
  }
  const std::string metrics = client_->Get("/metrics")->body;
  EXPECT_EQ(metrics.find("aisle_cache_hits_total 0\n"), std::string::npos) << "the cache answered nothing";
  EXPECT_EQ(metrics.find("aisle_cache_misses_total 0\n"), std::string::npos) << "k above the depth must miss";
}

}  // namespace
}  // namespace aisle::testing
