// Requests in external ids against a model: unknown ids, cold start, categories by name, the
// JSON answer, and a model file that keeps the catalog fields output shows.
#include "aisle/app/requests.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "aisle/core/error.h"
#include "aisle/models/model_file.h"
#include "models/model_test_data.h"

namespace aisle {
namespace {

TrainedModel checkerboard_model(const std::string& spec = "popularity") {
  const testing::Checkerboard data;
  FitContext context;
  context.run = RunContext(1);
  return train_model(spec, data.pairs, data.catalog, data.users, data.items, context);
}

TEST(Requests, KnownUserIsServedByTheModelWithCatalogFields) {
  const TrainedModel m = checkerboard_model("item_knn");
  ItemRequest r;
  r.user = "u0";
  r.keep_seen = true;  // u0 has every even item
  r.k = 3;
  const Answer a = recommend(m, r);
  EXPECT_EQ(a.served_as, ServedAs::kModel);
  ASSERT_EQ(a.items.size(), 3u);
  for (const ItemRow& row : a.items) {
    const int i = std::stoi(row.item_id.substr(1));
    EXPECT_EQ(i % 2, 0) << row.item_id;  // the checkerboard: u0 likes even items
    EXPECT_EQ(row.name, "even gift box");
    EXPECT_TRUE(row.category == "even" || row.category == "even/a") << row.category;
  }
  EXPECT_TRUE(a.notes.empty());
}

TEST(Requests, UnknownUserGetsPopularItemsUnderTheFilterAndSaysSo) {
  const TrainedModel m = checkerboard_model("item_knn");
  ItemRequest r;
  r.user = "newcomer";
  r.category = "ODD";
  r.k = 100;
  const Answer a = recommend(m, r);
  EXPECT_EQ(a.served_as, ServedAs::kColdStart);
  EXPECT_EQ(a.items.size(), 8u);  // every odd item, and a note that fewer than k are eligible
  for (const ItemRow& row : a.items) EXPECT_EQ(row.category, "odd");
  ASSERT_EQ(a.notes.size(), 2u);
  EXPECT_NE(a.notes[0].find("cold start"), std::string::npos) << a.notes[0];
  EXPECT_NE(a.notes[1].find("only 8 of the 100"), std::string::npos) << a.notes[1];
  r.strict_ids = true;
  EXPECT_THROW(recommend(m, r), NotFound);
}

TEST(Requests, UnknownIdsAreLeftOutAndNoneKnownIsNotFound) {
  const TrainedModel m = checkerboard_model();
  ItemRequest r;
  r.items = {"i1", "ghost"};
  r.exclude = {"phantom", "i3"};
  r.k = 16;
  const ResolvedRequest resolved = resolve_request(m, r);
  ASSERT_EQ(resolved.query.items.size(), 1u);
  EXPECT_EQ(resolved.filter.exclude.size(), 1u);
  ASSERT_EQ(resolved.warnings.size(), 1u);
  EXPECT_NE(resolved.warnings[0].find("'ghost'"), std::string::npos);
  r.items = {"ghost"};
  EXPECT_THROW(resolve_request(m, r), NotFound);
  r.items = {"i1"};
  r.category = "evn";
  try {
    resolve_request(m, r);
    ADD_FAILURE() << "an unknown category";
  } catch (const NotFound& e) {
    EXPECT_NE(std::string(e.what()).find("closest: even"), std::string::npos) << e.what();
  }
}

// A session's click times stay with their items when unknown items are left out.
TEST(Requests, SessionTimesFollowTheKnownItems) {
  const TrainedModel m = checkerboard_model();
  ItemRequest r;
  r.items = {"i1", "ghost", "i3"};
  r.times = {100, 200, 300};
  r.session = true;
  const ResolvedRequest resolved = resolve_request(m, r);
  EXPECT_EQ(resolved.query.items, (std::vector<ItemIdx>{m.items().find("i1"), m.items().find("i3")}));
  EXPECT_EQ(resolved.query.times, (std::vector<Timestamp>{100, 300}));
  EXPECT_TRUE(resolved.query.session);
}

TEST(Requests, JsonAnswerIsValidUtf8WhateverTheIds) {
  Answer a;
  a.items.push_back({"caf\xE9", "", "", "", kAbsent, 1.5f, {}});
  const auto j = nlohmann::json::parse(answer_json(a, "\xFFuser", "popularity:by=weight"));
  EXPECT_EQ(j["items"][0]["item_id"], "caf\xEF\xBF\xBD");  // the bad byte became U+FFFD
  EXPECT_TRUE(j["items"][0]["name"].is_null());
  EXPECT_TRUE(j["items"][0]["price"].is_null());
  EXPECT_EQ(j["served_as"], "model");
}

TEST(Requests, ExplainedRowsCarryBecauseAndOthersDoNot) {
  Answer a;
  a.items.push_back({"i1", "", "", "", kAbsent, 1.5f, {}});
  a.items.push_back({"i2", "", "", "", kAbsent, 1.0f, std::vector<Because>{{"i7", 0.75f}, {"i9", 0.25f}}});
  a.items.push_back({"i3", "", "", "", kAbsent, 0.5f, std::vector<Because>{}});
  const auto j = nlohmann::json::parse(answer_json(a, "u", "ease"));
  EXPECT_FALSE(j["items"][0].contains("because"));
  EXPECT_EQ(j["items"][1]["because"], nlohmann::json::parse(R"([{"item": "i7", "contribution": 0.75},
                                                               {"item": "i9", "contribution": 0.25}])"));
  EXPECT_EQ(j["items"][2]["because"], nlohmann::json::array());
}

TEST(Requests, TheModelFileKeepsNamesPricesAndCategoryNames) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("requests-test-" + std::to_string(::getpid()) + ".bin")).string();
  save_model(checkerboard_model(), path);
  const TrainedModel loaded = load_model(path);
  std::filesystem::remove(path);
  ItemRequest r;
  r.user = "u1";
  r.k = 1;
  const Answer a = recommend(loaded, r);
  ASSERT_EQ(a.items.size(), 1u);
  EXPECT_EQ(a.items[0].name, "even gift box");  // u1 has every odd item, so an even one comes back
  EXPECT_TRUE(a.items[0].category == "even" || a.items[0].category == "even/a") << a.items[0].category;
}

}  // namespace
}  // namespace aisle
