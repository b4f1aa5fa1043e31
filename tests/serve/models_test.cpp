// The models the server holds and shows (companion models, the registry, evaluation reports) and
// "who bought it with what", through a real socket.
#include <chrono>
#include <fstream>
#include <functional>

#include "serve/serve_fixture.h"

namespace aisle::testing {
namespace {

using Models = ServeFixture;

// GET /api/models until no companion is loading (at most 60 s); the last answer.
Json models_when_loaded(const std::function<std::pair<int, Json>()>& get) {
  Json answer;
  for (int i = 0; i < 600; ++i) {
    answer = get().second;
    bool loading = false;
    for (const Json& c : answer.at("companions")) loading |= c.at("status") == "loading";
    if (!loading) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return answer;
}

TEST_F(Models, CompanionsAreTrainedAndAnswerASessionByName) {
  Config config;
  config.serve.companions = {{"pop", "popularity"}, {"knn", "item_knn:neighbors=5"}, {"broken", "nosuch_model"}};
  start(config);
  const Json models = models_when_loaded([&] { return get("/api/models"); });
  EXPECT_EQ(models.at("serving").at("status"), "ready");
  EXPECT_EQ(models.at("serving").at("kind"), "item_knn");
  ASSERT_EQ(models.at("companions").size(), 3u) << models.dump();
  EXPECT_EQ(models["companions"][0]["name"], "pop");
  EXPECT_EQ(models["companions"][0]["status"], "ready");
  EXPECT_EQ(models["companions"][0]["kind"], "popularity");
  EXPECT_EQ(models["companions"][1]["status"], "ready");
  EXPECT_EQ(models["companions"][1]["parameters"]["neighbors"], "5");
  const std::string broken = models["companions"][2]["status"];
  EXPECT_TRUE(broken.starts_with("failed: ") && broken.find("nosuch_model") != std::string::npos) << broken;

  const std::string session = R"({"items": ["i0", "i2"], "k": 4)";
  const auto [pop_status, pop] = post("/api/session/recommend", session + R"(, "model": "pop"})");
  ASSERT_EQ(pop_status, 200) << pop.dump();
  EXPECT_EQ(pop["model"]["name"], "pop");
  EXPECT_FALSE(pop["model"].contains("version"));
  EXPECT_TRUE(pop["model"]["spec"].get<std::string>().starts_with("popularity")) << pop.dump();
  EXPECT_EQ(pop["items"].size(), 4u);
  const auto [knn_status, knn] = post("/api/session/recommend", session + R"(, "model": "knn"})");
  ASSERT_EQ(knn_status, 200) << knn.dump();
  EXPECT_TRUE(knn["model"]["spec"].get<std::string>().starts_with("item_knn")) << knn.dump();
  // The serving model, by name or by default, answers as before.
  const auto [serving_status, serving] = post("/api/session/recommend", session + R"(, "model": "serving"})");
  const auto [plain_status, plain] = post("/api/session/recommend", session + "}");
  ASSERT_EQ(serving_status, 200);
  EXPECT_EQ(ids(serving["items"]), ids(plain["items"]));
  EXPECT_EQ(serving["model"]["version"], 1);

  const auto [unknown_status, unknown] = post("/api/session/recommend", session + R"(, "model": "nope"})");
  EXPECT_EQ(unknown_status, 400);
  EXPECT_EQ(unknown["error"]["field"], "model");
  EXPECT_NE(unknown["error"]["message"].get<std::string>().find("known: serving, pop, knn, broken"), std::string::npos)
      << unknown.dump();
  const auto [failed_status, failed] = post("/api/session/recommend", session + R"(, "model": "broken"})");
  EXPECT_EQ(failed_status, 422);
  EXPECT_EQ(failed["error"]["field"], "model");
  const auto [typed_status, typed] = post("/api/session/recommend", session + R"(, "model": [1]})");
  EXPECT_EQ(typed_status, 400);
  EXPECT_EQ(typed["error"]["field"], "model");
}

TEST_F(Models, TheRegistryListsEveryModelWithItsParameters) {
  start();
  const auto [status, models] = get("/api/models");
  ASSERT_EQ(status, 200);
  EXPECT_TRUE(models.at("companions").empty());
  const Json* als = nullptr;
  for (const Json& m : models.at("registry")) {
    if (m.at("name") == "als") als = &m;
  }
  ASSERT_NE(als, nullptr) << models.dump();
  EXPECT_TRUE(als->at("available").get<bool>());
  bool factors = false;
  for (const Json& p : als->at("parameters")) {
    if (p.at("name") != "factors") continue;
    factors = true;
    EXPECT_EQ(p.at("type"), "int");
    EXPECT_GE(p.at("max").get<double>(), p.at("min").get<double>());
    EXPECT_FALSE(p.at("help").get<std::string>().empty());
  }
  EXPECT_TRUE(factors) << als->dump();
}

TEST_F(Models, ReportsAreReadFromTheConfiguredFolder) {
  const std::filesystem::path folder = dir_ / "reports";
  std::filesystem::create_directories(folder / "first");
  std::filesystem::create_directories(folder / "broken");
  std::filesystem::create_directories(folder / "empty");
  std::ofstream(folder / "first" / "report.json")
      << R"({"baseline": "popularity", "models": [{"spec": "als", "metrics": {"ndcg@10": {"value": 0.25, "ci95": [0.2, 0.3]}}}]})";
  std::ofstream(folder / "broken" / "report.json") << "not json";
  Config config;
  config.serve.reports = folder.string();
  start(config);
  const auto [status, answer] = get("/api/reports");
  ASSERT_EQ(status, 200) << answer.dump();
  ASSERT_EQ(answer["reports"].size(), 2u) << answer.dump();
  const Json* first = nullptr;
  const Json* broken = nullptr;
  for (const Json& r : answer["reports"]) (r["name"] == "first" ? first : broken) = &r;
  ASSERT_NE(first, nullptr);
  ASSERT_NE(broken, nullptr);
  EXPECT_EQ((*first)["report"]["models"][0]["metrics"]["ndcg@10"]["ci95"][1], 0.3);
  EXPECT_EQ((*broken)["name"], "broken");
  EXPECT_TRUE(broken->contains("error"));
  EXPECT_FALSE(broken->contains("report"));
}

TEST_F(Models, ReportsWithoutAFolderAreEmptyAndAMissingFolderIsNotFound) {
  start();
  const auto [status, answer] = get("/api/reports");
  ASSERT_EQ(status, 200);
  EXPECT_TRUE(answer["reports"].empty());
  EXPECT_TRUE(answer["folder"].is_null());
  stop();
  Config config;
  config.serve.reports = (dir_ / "nowhere").string();
  start(config);
  const auto [missing_status, missing] = get("/api/reports");
  EXPECT_EQ(missing_status, 404);
  EXPECT_NE(missing["error"]["message"].get<std::string>().find("nowhere"), std::string::npos);
}

// The checkerboard: user u has item i iff u + i is even, so the 10 users with i0 have exactly the
// even items: each of i2..i14 with all 10 of them (share 1), twice as often as among all 20 users.
TEST_F(Models, BoughtWithCountsTheOtherItemsOfTheItemsUsers) {
  start();
  const auto [status, answer] = get("/api/items/i0/bought-with?k=3");
  ASSERT_EQ(status, 200) << answer.dump();
  EXPECT_EQ(answer["buyers"], 10);
  EXPECT_EQ(ids(answer["items"]), (std::vector<std::string>{"i2", "i4", "i6"}));
  for (const Json& row : answer["items"]) {
    EXPECT_EQ(row["together"], 10);
    EXPECT_DOUBLE_EQ(row["share"].get<double>(), 1.0);
    EXPECT_DOUBLE_EQ(row["lift"].get<double>(), 2.0);
    EXPECT_FALSE(row["name"].is_null());
  }
  const auto [all_status, all] = get("/api/items/i1/bought-with?k=100");
  ASSERT_EQ(all_status, 200);
  EXPECT_EQ(all["items"].size(), 7u);  // the other odd items
  for (const Json& row : all["items"]) EXPECT_EQ(std::stoi(row["item_id"].get<std::string>().substr(1)) % 2, 1);

  const auto [unknown_status, unknown] = get("/api/items/nope/bought-with");
  EXPECT_EQ(unknown_status, 404);
  const auto [k_status, bad_k] = get("/api/items/i0/bought-with?k=0");
  EXPECT_EQ(k_status, 400);
  EXPECT_EQ(bad_k["error"]["field"], "k");
}

}  // namespace
}  // namespace aisle::testing
