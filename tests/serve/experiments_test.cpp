// Online experiments through a real `aisle serve` (serve_fixture.h): visitors split between arms
// and kept there, lists logged as impressions in the store, feedback attributed in the report,
// and experiments defined, started and stopped through the admin routes, interleaving included.
#include "aisle/serve/experiments.h"

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "cli/run_aisle.h"
#include "serve/serve_fixture.h"

namespace aisle::testing {
namespace {

const httplib::Headers kAdmin = {{"Authorization", "Bearer secret"}};

class ExperimentsTest : public ServeFixture {
 protected:
  // Polls GET /api/experiments until `name` is in `state` (models load in the background).
  void wait_for_state(const std::string& name, const std::string& state) {
    for (int i = 0; i < 600; ++i) {
      const auto [status, body] = get("/api/experiments");
      ASSERT_EQ(status, 200);
      for (const Json& e : body["experiments"]) {
        if (e["name"] == name && e["state"] == state) return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << name << " never reached state " << state << ": " << get("/api/experiments").second.dump();
  }
};

TEST_F(ExperimentsTest, VisitorsStayInTheirArmsAndTheReportCountsTheirFeedback) {
  Config config;
  ExperimentSpec home;
  home.name = "home";
  home.attribution_seconds = 3600;
  home.arms = {{"control", "serving", 1}, {"pop", "popularity", 1}};
  config.experiments = {home};
  check_experiments(config.experiments);
  start(config, "secret");
  wait_for_state("home", "running");

  std::map<std::string, std::string> arm_of;
  std::map<std::string, std::vector<std::string>> shown;
  std::set<std::string> request_ids;
  for (int u = 0; u < 20; ++u) {
    const std::string user = "u" + std::to_string(u);
    for (int visit = 0; visit < 2; ++visit) {
      const auto [status, body] = get("/api/recommendations?user_id=" + user + "&k=3");
      ASSERT_EQ(status, 200) << body.dump();
      ASSERT_EQ(body["experiment"]["name"], "home");
      const std::string arm = body["experiment"]["arm"];
      if (visit == 0) arm_of[user] = arm;
      EXPECT_EQ(arm, arm_of[user]) << "the same visitor moved between arms";
      EXPECT_EQ(body["model"]["spec"].get<std::string>().rfind(arm == "pop" ? "popularity" : "item_knn", 0), 0u);
      EXPECT_TRUE(request_ids.insert(body["request_id"]).second);
      shown[user] = ids(body["items"]);
      ASSERT_EQ(shown[user].size(), 3u);
    }
  }
  std::map<std::string, int> visitors;
  for (const auto& [user, arm] : arm_of) visitors[arm]++;
  ASSERT_GT(visitors["pop"], 0);
  ASSERT_GT(visitors["control"], 0);

  // The pop arm's visitors click the first item they were shown; the control's visitors view an
  // item they were never shown (it counts for nothing).
  Json events = Json::array();
  for (const auto& [user, arm] : arm_of) {
    std::string item = shown[user][0];
    if (arm == "control") {
      for (int i = 0; i < 16; ++i) {
        const std::string candidate = "i" + std::to_string(i);
        if (std::find(shown[user].begin(), shown[user].end(), candidate) == shown[user].end()) item = candidate;
      }
    }
    events.push_back({{"user_id", user}, {"item_id", item}, {"event", "click"}});
  }
  ASSERT_EQ(post("/api/feedback", Json{{"events", events}}.dump(), kAdmin).first, 200);

  const auto [status, report] = get("/api/experiments/home");
  ASSERT_EQ(status, 200) << report.dump();
  EXPECT_EQ(report["impressions"], 40);
  for (const Json& arm : report["arms"]) {
    const std::string name = arm["name"];
    EXPECT_EQ(arm["visitors"], visitors[name]);
    EXPECT_EQ(arm["impressions"], 2.0 * visitors[name]);
    // One of each pop visitor's two lists earned the click (the later one: it was shown within the window).
    EXPECT_DOUBLE_EQ(arm["click_rate"]["value"].get<double>(), name == "pop" ? 0.5 : 0.0) << name;
  }
  EXPECT_TRUE(report["arms"][1].contains("vs_control"));
  EXPECT_TRUE(report["sample_ratio"].contains("p_value"));
  EXPECT_EQ(get("/api/experiments/nothing").first, 404);

  // Every list served is in the store.
  stop();
  EXPECT_EQ(open_store(store_url_)->impressions("home").size(), 40u);
}

TEST_F(ExperimentsTest, AnInterleavedExperimentIsDefinedStartedAndStoppedThroughTheAdminRoutes) {
  const std::string pop_path = (dir_ / "pop.aislemodel").string();
  write_model("popularity", pop_path);
  start(Config{}, "secret");
  const Json definition = {{"name", "mix"},
                           {"mode", "interleave"},
                           {"arms", Json::array({{{"name", "knn"}, {"model", "serving"}},
                                                 {{"name", "pop"}, {"model", "file:" + pop_path}}})}};
  EXPECT_EQ(post("/api/admin/experiments", definition.dump()).first, 401);
  const auto [defined, list] = post("/api/admin/experiments", definition.dump(), kAdmin);
  ASSERT_EQ(defined, 200) << list.dump();
  EXPECT_EQ(list["experiments"][0]["state"], "defined");
  EXPECT_FALSE(get("/api/recommendations?user_id=u1").second.contains("experiment"));  // not started

  Json bad = definition;
  bad["arms"][1]["share"] = 0;
  const auto [refused, why] = post("/api/admin/experiments", bad.dump(), kAdmin);
  EXPECT_EQ(refused, 400);
  EXPECT_NE(why["error"]["message"].get<std::string>().find("share must be a number above 0"), std::string::npos);

  ASSERT_EQ(post("/api/admin/experiments/mix/start", "{}", kAdmin).first, 200);
  wait_for_state("mix", "running");
  const auto [status, body] = get("/api/recommendations?user_id=u1&k=4");
  ASSERT_EQ(status, 200);
  EXPECT_EQ(body["experiment"]["mode"], "interleave");
  const std::vector<std::string> items = ids(body["items"]);
  EXPECT_EQ(items.size(), 4u);
  EXPECT_EQ(std::set<std::string>(items.begin(), items.end()).size(), 4u);
  const std::vector<Impression> logged = open_store(store_url_)->impressions("mix");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].items, items);
  EXPECT_EQ(logged[0].credits.size(), 4u);
  for (const std::string& arm : logged[0].credits) EXPECT_TRUE(arm == "knn" || arm == "pop");

  ASSERT_EQ(post("/api/admin/experiments/mix/stop", "{}", kAdmin).first, 200);
  EXPECT_FALSE(get("/api/recommendations?user_id=u1").second.contains("experiment"));
  const auto [reported, report] = get("/api/experiments/mix");
  ASSERT_EQ(reported, 200);
  EXPECT_EQ(report["state"], "stopped");
  EXPECT_EQ(report["interleaving"]["impressions"], 1);

  // The definition and its state outlive the server.
  stop();
  start(Config{}, "secret");
  const auto [again, after] = get("/api/experiments");
  ASSERT_EQ(again, 200);
  ASSERT_EQ(after["experiments"].size(), 1u);
  EXPECT_EQ(after["experiments"][0]["state"], "stopped");
  EXPECT_EQ(after["experiments"][0]["source"], "admin");
}

// `aisle replay` sends each held-out user as a visitor (a request, then their events as
// feedback); the report's click rates are what the logged lists and the held-out events imply.
TEST_F(ExperimentsTest, ReplayFeedsAHeldOutLogToTheServerAndPrintsTheExperiment) {
  Config config;
  ExperimentSpec home;
  home.name = "home";
  home.arms = {{"control", "serving", 1}, {"pop", "popularity", 1}};
  config.experiments = {home};
  check_experiments(config.experiments);
  start(config, "secret");
  wait_for_state("home", "running");

  // Held out: each user views two items of the other parity (never bought).
  std::map<std::string, std::set<std::string>> held;
  const std::string file = (dir_ / "held.csv").string();
  {
    std::ofstream out(file);
    out << "user,item,weight,timestamp\n";
    for (int u = 0; u < 20; ++u) {
      for (const int i : {(u + 1) % 16, (u + 3) % 16}) {
        out << "u" << u << ",i" << i << ",1," << 1'700'000'000 + i << "\n";
        held["u" + std::to_string(u)].insert("i" + std::to_string(i));
      }
    }
  }
  const test::Result r = test::run_aisle(
      "replay --events " + file + " --server http://127.0.0.1:" + std::to_string(port_) + " --token secret --k 3");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(test::contains(r.output, "replayed 20 visitors (20 of them in an experiment) and 40 feedback events"))
      << r.output;
  EXPECT_TRUE(test::contains(r.output, "experiment home (ab, running): 20 impressions")) << r.output;

  std::map<std::string, std::pair<int, int>> clicked_of;  // arm -> (clicked lists, lists)
  for (const Impression& m : open_store(store_url_)->impressions("home")) {
    bool clicked = false;
    for (const std::string& item : m.items) clicked |= held[m.visitor].count(item) > 0;
    clicked_of[m.arm].first += clicked;
    clicked_of[m.arm].second += 1;
  }
  EXPECT_GT(clicked_of["control"].first + clicked_of["pop"].first, 0);  // the check below is not 0 == 0
  const auto [status, report] = get("/api/experiments/home");
  ASSERT_EQ(status, 200);
  for (const Json& arm : report["arms"]) {
    const auto [clicked, lists] = clicked_of[arm["name"].get<std::string>()];
    ASSERT_GT(lists, 0);
    EXPECT_DOUBLE_EQ(arm["click_rate"]["value"].get<double>(), static_cast<double>(clicked) / lists) << arm.dump();
  }
  // Without a server to talk to, replay says so.
  stop();
  const test::Result gone =
      test::run_aisle("replay --events " + file + " --server http://127.0.0.1:" + std::to_string(port_));
  EXPECT_NE(gone.code, 0);
  EXPECT_TRUE(test::contains(gone.output, "no answer to GET /api/recommendations")) << gone.output;
}

}  // namespace
}  // namespace aisle::testing
