// The same contract checks against both backends (store_fixture.h): loading, reading back,
// failures. Appends are tested in append_test.cpp.
#include <gtest/gtest.h>

#include "aisle/core/error.h"
#include "aisle/store/event_store.h"
#include "store/store_fixture.h"
#include "test_util.h"

namespace aisle {
namespace {

using test::online_retail;
using test::raw_sql;
using test::read_fixture;
using test::run_of;
using test::StoreTest;

TEST_P(StoreTest, ReadBackIsBitForBitWithIdsAndCatalog) {
  EventLog log = read_fixture("retailrocket", {test::fixture("retailrocket/category_tree.csv"),
                                               test::fixture("retailrocket/item_properties_part1.csv"),
                                               test::fixture("retailrocket/events.csv")});
  // Values a text round trip could lose: tiny, huge, non-terminating binary fractions, absent.
  log.events[0].value = 0.1f;
  log.events[1].value = 1e-30f;
  log.events[2].quantity = 3.4e38f;
  log.events[3].weight = 1.0f / 3.0f;
  log.catalog.item(0).attributes = {{"colour", "red\tand\nblue"}, {"size", "L"}};
  log.catalog.item(0).image_url = "https://img.example/1.jpg";
  auto store = open_store(url_);
  const LoadResult res = store->load(log, run_of("retailrocket"));
  EXPECT_EQ(res.events_added, log.events.size());
  const EventLog back = store->read();
  log.sort_canonical();
  EXPECT_EQ(back.users, log.users);
  EXPECT_EQ(back.items, log.items);
  EXPECT_EQ(back.event_types, log.event_types);
  ASSERT_EQ(back.events.size(), log.events.size());
  for (std::size_t k = 0; k < log.events.size(); ++k) EXPECT_EQ(back.events[k], log.events[k]) << "event " << k;
  EXPECT_TRUE(back.catalog == log.catalog);
}

TEST_P(StoreTest, SessionsAndFullCatalogRoundTrip) {
  EventLog log = read_fixture("rees46", {test::fixture("rees46/2019-Oct-slice.csv")});
  auto store = open_store(url_);
  store->load(log, run_of("rees46"));
  const EventLog back = store->read();
  log.sort_canonical();
  EXPECT_EQ(back.sessions, log.sessions);
  EXPECT_EQ(back.events, log.events);
  EXPECT_TRUE(back.catalog == log.catalog);
}

TEST_P(StoreTest, LoadingTheSameFileTwiceAddsNothingButKeepsRealDuplicates) {
  const EventLog log = online_retail();
  auto store = open_store(url_);
  const LoadResult first = store->load(log, run_of("online-retail"));
  EXPECT_EQ(first.events_added, 19u);  // including both copies of the duplicated rows
  const LoadResult again = open_store(url_)->load(log, run_of("online-retail"));
  EXPECT_EQ(again.events_added, 0u);
  EXPECT_EQ(again.events_already_stored, 19u);
  EXPECT_EQ(again.new_users, 0u);
  EXPECT_EQ(store->read().events.size(), 19u);
  const auto runs = store->runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].events_added, 19u);
  EXPECT_EQ(runs[1].events_added, 0u);
  EXPECT_EQ(runs[1].run.files, (std::vector<std::string>{"a.csv", "b.csv"}));
  EXPECT_EQ(runs[1].run.issues, "{\"rejected\":{}}");
}

TEST_P(StoreTest, OverlappingLoadsAddOnlyNewEventsAndKeepIndicesStable) {
  test::TempDir dir;
  const std::string header = "user,item,weight,timestamp\n";
  const std::string a = dir.write("a.csv", header + "u1,i1,1,100\nu2,i2,1,200\n");
  const std::string ab = dir.write("ab.csv", header + "u3,i3,1,50\nu1,i1,1,100\nu2,i2,1,200\nu2,i1,1,300\n");
  auto store = open_store(url_);
  store->load(read_fixture("csv", {a}), run_of("csv"));
  const LoadResult second = store->load(read_fixture("csv", {ab}), run_of("csv"));
  EXPECT_EQ(second.events_added, 2u);
  EXPECT_EQ(second.new_users, 1u);
  const EventLog back = store->read();
  EXPECT_EQ(back.users.name(0), "u1");  // first-load order survives
  EXPECT_EQ(back.users.name(2), "u3");
  EXPECT_EQ(back.events.size(), 4u);
}

TEST_P(StoreTest, AFailedLoadLeavesTheStoreAsItWas) {
  auto store = open_store(url_);
  store->load(read_fixture("rees46", {test::fixture("rees46/2019-Oct-slice.csv")}), run_of("rees46"));
  const EventLog before = store->read();
  inject_failure();  // at the very end of the next load, after users, items, catalog and events
  try {
    store->load(online_retail(), run_of("online-retail"));
    FAIL() << "the load should have failed";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("injected failure"), std::string::npos) << e.what();
  }
  const EventLog after = open_store(url_)->read();
  EXPECT_EQ(after.events, before.events);
  EXPECT_EQ(after.users, before.users);
  EXPECT_EQ(after.items, before.items);
  EXPECT_TRUE(after.catalog == before.catalog);
  EXPECT_EQ(store->runs().size(), 1u);
}

TEST_P(StoreTest, CatalogUpdatesMergeWithWhatIsStored) {
  auto store = open_store(url_);
  EventLog first;
  const ItemIdx i = first.items.intern("sku-1");
  first.catalog.item(i).name = "Mug";
  first.catalog.item(i).price = 5.0f;
  store->load(first, run_of("csv"));
  EventLog second;
  second.catalog.item(second.items.intern("sku-1")).price = 4.5f;  // a newer price, no name
  store->load(second, run_of("csv"));
  const EventLog back = store->read();
  const ItemInfo* info = back.catalog.find_item(back.items.find("sku-1"));
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->name, "Mug");
  EXPECT_EQ(info->price, 4.5f);
}

TEST_P(StoreTest, OtherSchemaVersionIsRefused) {
  open_store(url_);
  raw_sql(url_, "UPDATE meta SET value = '999' WHERE key = 'schema_version'");
  try {
    open_store(url_);
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 999"), std::string::npos);
  }
}

TEST_P(StoreTest, ImpressionsAndExperimentsRoundTrip) {
  auto store = open_store(url_);
  Impression a{"r1", "home", "ease", "u1", false, 100, {"85123A", "T\u00e9 \"vert\"\tx"}, {}};
  Impression b{"r2", "home", "", "s-9", true, 90, {"a", "b", "c"}, {"ease", "control", "ease"}};
  Impression other{"r3", "menu", "control", "u1", false, 95, {"a"}, {}};
  store->log_impressions(std::vector<Impression>{a, b, other});
  const std::vector<Impression> home = store->impressions("home");
  ASSERT_EQ(home.size(), 2u);  // by time: b first
  EXPECT_EQ(home[0].request_id, "r2");
  EXPECT_TRUE(home[0].anonymous);
  EXPECT_EQ(home[0].credits, b.credits);
  EXPECT_EQ(home[1].items, a.items);
  EXPECT_EQ(home[1].arm, "ease");
  EXPECT_EQ(home[1].time, 100);
  EXPECT_TRUE(home[1].credits.empty());
  // A request id already stored: the whole call is refused, nothing of it stored.
  Impression again = other;
  again.request_id = "r4";
  EXPECT_THROW(store->log_impressions(std::vector<Impression>{again, a}), StoreError);
  EXPECT_EQ(store->impressions("menu").size(), 1u);
  // A bad impression is refused before the store is touched, naming what is wrong.
  Impression bad = b;
  bad.request_id = "r5";
  bad.credits.pop_back();
  try {
    store->log_impressions(std::vector<Impression>{other, bad});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "impressions[1].credits: one arm per item, or none");
  }

  store->save_experiment({"home", "{\"arms\":[]}", 50, std::nullopt});
  store->save_experiment({"away", "{}", std::nullopt, std::nullopt});
  store->save_experiment({"home", "{\"arms\":[1]}", 50, 70});  // replaces
  const std::vector<StoredExperiment> stored = open_store(url_)->experiments();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].name, "away");
  EXPECT_FALSE(stored[0].started_at.has_value());
  EXPECT_EQ(stored[1].definition, "{\"arms\":[1]}");
  EXPECT_EQ(stored[1].started_at, 50);
  EXPECT_EQ(stored[1].stopped_at, 70);
}

// A store written by the aisle before the experiment tables (schema version 1) opens, keeps its
// events and gains the tables.
TEST_P(StoreTest, AVersionOneStoreIsUpgradedInPlace) {
  const EventLog log = online_retail();
  open_store(url_)->load(log, run_of("online-retail"));
  raw_sql(url_, "DROP TABLE impressions");
  raw_sql(url_, "DROP TABLE experiments");
  raw_sql(url_, "UPDATE meta SET value = '1' WHERE key = 'schema_version'");
  auto store = open_store(url_, OpenMode::kExisting);
  EXPECT_EQ(store->read().events.size(), log.events.size());
  store->log_impressions(std::vector<Impression>{{"r1", "home", "a", "u", false, 1, {"x"}, {}}});
  EXPECT_EQ(store->impressions("home").size(), 1u);
  raw_sql(url_, "UPDATE meta SET value = '999' WHERE key = 'schema_version' AND value = '3'");  // 3 was written
  EXPECT_THROW(open_store(url_), StoreError);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& param_info) { return param_info.param; });

TEST(OpenStore, UnknownSchemeListsTheKnownOnes) {
  try {
    open_store("mysql://x");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("sqlite:PATH or postgresql://"), std::string::npos);
  }
  EXPECT_THROW(open_store("postgresql://nobody@127.0.0.1:1/none"), StoreError);
  EXPECT_THROW(open_store("sqlite:/nonexistent-dir/x.db"), StoreError);
}

}  // namespace
}  // namespace aisle
