// The dashboard as `aisle serve` serves it (the bundle embedded at build time) and GET /api/stats,
// through a real socket. What a person sees in the pages is checked in real Chromium
// (web/test/dashboard.test.mjs, the dashboard_browser test).
#include <algorithm>
#include <set>

#include "aisle/serve/web_assets.h"
#include "serve/serve_fixture.h"

namespace aisle::testing {
namespace {

using Dashboard = ServeFixture;

// The paths of index.html's script and stylesheet.
std::vector<std::string> asset_links(const std::string& html) {
  std::vector<std::string> out;
  for (std::size_t at = html.find("=\"/assets/"); at != std::string::npos; at = html.find("=\"/assets/", at + 1)) {
    const std::size_t from = at + 2;
    out.push_back(html.substr(from, html.find('"', from) - from));
  }
  return out;
}

TEST_F(Dashboard, RootServesTheIndexAndItsHashedAssets) {
  if (serve::web_assets().empty()) GTEST_SKIP() << "built without the dashboard (no node/npm at build time)";
  start();
  const auto index = client_->Get("/");
  ASSERT_TRUE(index);
  ASSERT_EQ(index->status, 200);
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index->get_header_value("Cache-Control"), "no-cache");
  EXPECT_NE(index->get_header_value("Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  EXPECT_NE(index->body.find("<main id=\"main\""), std::string::npos);

  const std::vector<std::string> links = asset_links(index->body);
  ASSERT_EQ(links.size(), 2u) << index->body;
  std::set<std::string> types;
  for (const std::string& path : links) {
    const serve::WebAsset* embedded = serve::find_web_asset(path.substr(1));
    ASSERT_NE(embedded, nullptr) << path;
    const auto res = client_->Get(path.c_str());
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << path;
    EXPECT_EQ(res->body, std::string(embedded->bytes.begin(), embedded->bytes.end())) << path;
    EXPECT_EQ(res->get_header_value("ETag"), embedded->etag);
    EXPECT_EQ(res->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
    types.insert(res->get_header_value("Content-Type"));
  }
  EXPECT_EQ(types, (std::set<std::string>{"text/javascript; charset=utf-8", "text/css; charset=utf-8"}));
}

TEST_F(Dashboard, AMatchingETagGetsNotModified) {
  if (serve::web_assets().empty()) GTEST_SKIP() << "built without the dashboard (no node/npm at build time)";
  start();
  const auto first = client_->Get("/");
  ASSERT_TRUE(first);
  const std::string etag = first->get_header_value("ETag");
  ASSERT_EQ(etag.size(), 18u) << etag;  // 16 hex digits, quoted
  const auto again = client_->Get("/", {{"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  const auto other = client_->Get("/", {{"If-None-Match", "\"0000000000000000\""}});
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200);
}

TEST_F(Dashboard, UnknownAssetsAre404AndTheApiIndexStays) {
  start();
  const auto [status, body] = get("/assets/nothing-here.js");
  EXPECT_EQ(status, 404);
  EXPECT_EQ(body["error"]["code"], "not_found") << body;
  const auto [api_status, api] = get("/api");
  ASSERT_EQ(api_status, 200);
  const auto& routes = api["routes"];
  EXPECT_NE(std::find(routes.begin(), routes.end(), "GET /api/stats"), routes.end()) << api;
  EXPECT_NE(std::find(routes.begin(), routes.end(), "GET /assets/{path}"), routes.end()) << api;
  EXPECT_EQ(get("/healthz").first, 200);
}

// The checkerboard: 20 users, 16 items, user u bought item i iff u + i is even (10 buyers per
// item, 8 items per user), item i's price 1.5 + i, categories by parity, times 2020-09-13
// 12:26:40 + i hours + u seconds (items 0-11 on the 13th, 12-15 on the 14th).
TEST_F(Dashboard, StatsDescribeTheShop) {
  start();
  const auto [status, s] = get("/api/stats");
  ASSERT_EQ(status, 200) << s;
  EXPECT_EQ(s["model_version"], 1);
  EXPECT_EQ(s["users"], 20);
  EXPECT_EQ(s["items"], 16);
  EXPECT_EQ(s["events"], 160);
  EXPECT_EQ(s["event_types"], Json::parse(R"([{"type": "purchase", "events": 160}])"));
  EXPECT_DOUBLE_EQ(s["average_price"].get<double>(), 9.0);
  // Prices 1.5 ... 16.5: the 99th percentile 15.5, so 16 bins of width 1 and one item above.
  const Json& histogram = s["price_histogram"];
  ASSERT_EQ(histogram["bins"].size(), 16u) << histogram;
  EXPECT_EQ(histogram["bins"][0], Json::parse(R"({"from": 0.0, "to": 1.0, "items": 0})"));
  EXPECT_EQ(histogram["bins"][1], Json::parse(R"({"from": 1.0, "to": 2.0, "items": 1})"));
  EXPECT_EQ(histogram["bins"][15], Json::parse(R"({"from": 15.0, "to": 16.0, "items": 1})"));
  EXPECT_EQ(histogram["above"], 1);
  EXPECT_EQ(s["most_bought"], Json::parse(R"({"item_id": "i0", "name": "item 0", "purchases": 10})"));
  ASSERT_EQ(s["top_items"].size(), 10u);
  EXPECT_EQ(s["top_items"][0]["events"], 10);
  ASSERT_EQ(s["categories"].size(), 2u);
  EXPECT_EQ(s["categories"][0]["items"], 8);
  EXPECT_EQ(s["categories"][0]["events"], 80);
  EXPECT_EQ(s["events_over_time"], Json::parse(R"({"bucket": "day", "points": [
      {"start": "2020-09-13", "events": 120}, {"start": "2020-09-14", "events": 40}]})"));
  ASSERT_EQ(s["active_users"].size(), 20u);
  EXPECT_EQ(s["active_users"][0], Json::parse(R"({"user_id": "u0", "events": 8})"));
  EXPECT_EQ(s["first_time"], "2020-09-13 12:26:40");
}

// Computed once per model version: feedback reaches the store at once, the stats at the next model.
TEST_F(Dashboard, StatsFollowTheModelVersionNotEachRequest) {
  start();
  ASSERT_EQ(get("/api/stats").second["events"], 160);
  ASSERT_EQ(post("/api/feedback", R"({"user_id": "u1", "item_id": "i1", "event": "purchase"})").first, 200);
  EXPECT_EQ(get("/api/stats").second["events"], 160);
  ASSERT_EQ(post("/api/admin/reload", Json{{"path", model_path_}}.dump()).first, 200);
  const auto [status, s] = get("/api/stats");
  ASSERT_EQ(status, 200) << s;
  EXPECT_EQ(s["model_version"], 2);
  EXPECT_EQ(s["events"], 161);
  EXPECT_EQ(s["most_bought"]["item_id"], "i1");
  EXPECT_EQ(s["most_bought"]["purchases"], 11);
}

// Names "item 0" ... "item 15": "item 1" is in items 1 and 10-15, all bought by 10 users (ties:
// the lower index first); ids match too ("I1" finds "i1", ...); an empty query is a 400.
TEST_F(Dashboard, ItemSearchFindsNamesAndIds) {
  start();
  const auto [status, found] = get("/api/items?q=ITEM%201&k=3");
  ASSERT_EQ(status, 200) << found;
  EXPECT_EQ(ids(found["items"]), (std::vector<std::string>{"i1", "i10", "i11"}));
  EXPECT_EQ(found["items"][0]["name"], "item 1");
  EXPECT_EQ(found["items"][0]["training_users"], 10);
  EXPECT_FALSE(found["items"][0].contains("score"));
  EXPECT_EQ(get("/api/items?q=I1").second["items"].size(), 7u);
  EXPECT_TRUE(get("/api/items?q=nothing").second["items"].empty());
  const auto [bad, error] = get("/api/items?q=%20");
  EXPECT_EQ(bad, 400);
  EXPECT_EQ(error["error"]["field"], "q") << error;
}

}  // namespace
}  // namespace aisle::testing
