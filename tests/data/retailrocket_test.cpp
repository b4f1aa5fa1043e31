#include <gtest/gtest.h>

#include "aisle/core/error.h"
#include "aisle/data/readers/reader.h"
#include "test_util.h"

namespace aisle {
namespace {

struct Loaded {
  EventLog log;
  ReadReport report{ReadOptions{}};
};

Loaded load(const std::vector<std::string>& names) {
  Loaded l;
  std::vector<std::string> files;
  for (const auto& n : names) files.push_back(test::fixture("retailrocket/" + n));
  l.report = read_files("retailrocket", files, ReadOptions{}, l.log);
  return l;
}

TEST(RetailRocket, EventsWithMillisecondTimesAndMappedTypes) {
  const Loaded l = load({"events.csv"});
  EXPECT_EQ(l.report.rows_read, 12u);
  EXPECT_EQ(l.report.rows_kept, 8u);
  EXPECT_EQ(l.log.events.size(), 8u);
  EXPECT_EQ(l.log.events[0].time, 1433221332);
  EXPECT_EQ(l.log.users.name(l.log.events[0].user), "257597");
  EXPECT_EQ(l.log.event_types.name(l.log.events[4].type), "cart");
  EXPECT_EQ(l.log.event_types.name(l.log.events[5].type), "purchase");
  const auto& rej = l.report.issues.rejected();
  EXPECT_EQ(rej.at("bad_time").examples.at(0).line, 10u);
  EXPECT_EQ(rej.at("unknown_event_type").examples.at(0).found, "wishlist");
  EXPECT_EQ(rej.at("empty_user").examples.at(0).column, "visitorid");
  EXPECT_EQ(rej.at("empty_item").examples.at(0).line, 13u);
}

TEST(RetailRocket, PropertiesLatestValueWinsAndTreeLinksParents) {
  const Loaded l = load({"category_tree.csv", "item_properties_part1.csv", "events.csv"});
  const Catalog& cat = l.log.catalog;
  const ItemInfo* phone = cat.find_item(l.log.items.find("355908"));
  ASSERT_NE(phone, nullptr);
  ASSERT_EQ(phone->categories.size(), 1u);
  EXPECT_EQ(cat.category_ids().name(phone->categories[0]), "1338");  // 1435460400000 beats 1431226800000
  EXPECT_FLOAT_EQ(phone->price, 4800.0f);                            // n4800.000 is the later price
  const ItemInfo* other = cat.find_item(l.log.items.find("248676"));
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->available, Availability::kYes);
  const auto path = cat.category_path(phone->categories[0]);
  ASSERT_EQ(path.size(), 3u);  // 213 -> 1016 -> 1338
  EXPECT_EQ(cat.category_ids().name(path[0]), "213");
  EXPECT_EQ(cat.parent(cat.category_ids().find("1277")), kNoIndex);
  // An item only in the properties file is in the catalog without events.
  EXPECT_NE(cat.find_item(l.log.items.find("99999")), nullptr);
  EXPECT_EQ(l.report.issues.skipped().at("unused_property"), 1u);
  EXPECT_EQ(l.report.issues.rejected().at("bad_property_value").examples.at(0).found, "five");
}

TEST(RetailRocket, UnknownHeaderSaysWhatWasExpected) {
  test::TempDir dir;
  const std::vector<std::string> files = {dir.write("x.csv", "a,b,c\n1,2,3\n")};
  EventLog log;
  try {
    read_files("retailrocket", files, ReadOptions{}, log);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("timestamp,visitorid,event,itemid,transactionid"), std::string::npos);
  }
}

}  // namespace
}  // namespace aisle
