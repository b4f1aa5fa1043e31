#include <gtest/gtest.h>

#include "aisle/data/readers/reader.h"
#include "test_util.h"

namespace aisle {
namespace {

TEST(Rees46, EventsSessionsAndCatalogFromTheMonthlyCsv) {
  EventLog log;
  const std::vector<std::string> files = {test::fixture("rees46/2019-Oct-slice.csv")};
  const ReadReport r = read_files("rees46", files, ReadOptions{}, log);
  EXPECT_EQ(r.rows_read, 9u);
  EXPECT_EQ(r.rows_kept, 7u);
  EXPECT_EQ(r.issues.rejected().at("bad_time").count, 1u);
  EXPECT_EQ(r.issues.rejected().at("bad_number").examples.at(0).column, "price");
  ASSERT_EQ(log.events.size(), 7u);
  EXPECT_EQ(log.events[0].time, 1569888000);  // 2019-10-01 00:00:00 UTC
  EXPECT_EQ(log.event_types.name(log.events[5].type), "remove_from_cart");
  EXPECT_EQ(log.sessions.size(), 4u);
  EXPECT_EQ(log.events[3].session, log.events[4].session);
  EXPECT_FLOAT_EQ(log.events[4].value, 249.99f);

  const Catalog& cat = log.catalog;
  const ItemInfo* notebook = cat.find_item(log.items.find("1307067"));
  ASSERT_NE(notebook, nullptr);
  EXPECT_FLOAT_EQ(notebook->price, 249.99f);  // the later -1.00 is not a price
  EXPECT_EQ(notebook->brand, "Lenovo");       // latest brand, trimmed
  const auto path = cat.category_path(notebook->categories.at(0));
  ASSERT_EQ(path.size(), 2u);
  EXPECT_EQ(cat.category_name(path[0]), "computers");
  EXPECT_EQ(cat.category_ids().name(path[1]), "2053013558920217191");
  EXPECT_EQ(cat.category_name(path[1]), "notebook");
  const ItemInfo* heater = cat.find_item(log.items.find("3900821"));
  EXPECT_EQ(cat.category_path(heater->categories.at(0)).size(), 3u);
  const ItemInfo* sofa = cat.find_item(log.items.find("17200506"));
  EXPECT_TRUE(sofa->brand.empty());
  const ItemInfo* cream = cat.find_item(log.items.find("44600062"));
  EXPECT_EQ(cat.category_path(cream->categories.at(0)).size(), 1u);  // no code: a root category
}

}  // namespace
}  // namespace aisle
