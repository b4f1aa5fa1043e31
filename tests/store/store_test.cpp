// The same contract checks against both backends. PostgreSQL runs against the real server that
// scripts/with-postgres.sh starts (AISLE_TEST_POSTGRES_URL); each test gets its own database.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <random>

#include "aisle/core/error.h"
#include "aisle/data/readers/reader.h"
#include "aisle/store/event_store.h"
#include "test_util.h"

namespace aisle {
namespace {

// Runs one SQL statement outside aisle (to set up failures the way an operator could).
void raw_sql(const std::string& url, const std::string& sql) {
  if (url.starts_with("sqlite:")) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(url.substr(7).c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << (err ? err : "");
    return;
  }
  PGconn* c = PQconnectdb(url.c_str());
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  PGresult* r = PQexec(c, sql.c_str());
  const auto st = PQresultStatus(r);
  const std::string msg = PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(c);
  ASSERT_TRUE(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) << msg;
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      url_ = "sqlite:" + dir_.file("store.db");
      return;
    }
    const char* admin = std::getenv("AISLE_TEST_POSTGRES_URL");
    if (admin == nullptr) GTEST_SKIP() << "AISLE_TEST_POSTGRES_URL not set (make test starts a server)";
    admin_ = admin;
    std::random_device rd;
    db_ = "aisle_test_" + std::to_string(rd()) + std::to_string(rd());
    raw_sql(admin_, "CREATE DATABASE " + db_);
    url_ = admin_.substr(0, admin_.rfind('/') + 1) + db_;
  }
  void TearDown() override {
    if (!db_.empty()) raw_sql(admin_, "DROP DATABASE IF EXISTS " + db_ + " WITH (FORCE)");
  }

  test::TempDir dir_;
  std::string url_, admin_, db_;
};

EventLog read_fixture(const std::string& format, const std::vector<std::string>& files) {
  EventLog log;
  read_files(format, files, ReadOptions{}, log);
  return log;
}

EventLog online_retail() {
  return read_fixture("online-retail", {test::fixture("online-retail-slice.csv")});
}

IngestionRun run_of(const std::string& format) {
  IngestionRun r;
  r.format = format;
  r.files = {"a.csv", "b.csv"};
  r.rows_read = 28;
  r.issues = "{\"rejected\":{}}";
  return r;
}

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
  // Fail at the very end of the next load, after users, items, catalog and events are written.
  if (GetParam() == "sqlite") {
    raw_sql(
        url_,
        "CREATE TRIGGER fail_run BEFORE UPDATE ON ingestion_runs BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  } else {
    raw_sql(url_,
            "CREATE FUNCTION fail_run() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ "
            "LANGUAGE plpgsql");
    raw_sql(url_, "CREATE TRIGGER fail_run BEFORE UPDATE ON ingestion_runs FOR EACH ROW EXECUTE FUNCTION fail_run()");
  }
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
