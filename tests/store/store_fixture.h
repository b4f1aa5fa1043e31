// What the store tests share: a store URL per test on each backend (PostgreSQL against the real
// server that scripts/with-postgres.sh starts, AISLE_TEST_POSTGRES_URL, one database per test),
// raw SQL outside aisle, fixture logs and an injected failure.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <random>
#include <string>
#include <vector>

#include "aisle/data/readers/reader.h"
#include "aisle/store/event_store.h"
#include "test_util.h"

namespace aisle::test {

// Runs one SQL statement outside aisle (to set up failures the way an operator could).
inline void raw_sql(const std::string& url, const std::string& sql) {
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

// Parameterized by backend ("sqlite", "postgres"); url_ names a fresh, empty store.
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

  // From now on every UPDATE of ingestion_runs fails with "injected failure": the last write of
  // a load or an append, after ids, catalog and events are written.
  void inject_failure() {
    if (GetParam() == "sqlite") {
      raw_sql(
          url_,
          "CREATE TRIGGER fail_run BEFORE UPDATE ON ingestion_runs BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
      return;
    }
    raw_sql(url_,
            "CREATE OR REPLACE FUNCTION fail_run() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; "
            "END $$ LANGUAGE plpgsql");
    raw_sql(url_, "CREATE TRIGGER fail_run BEFORE UPDATE ON ingestion_runs FOR EACH ROW EXECUTE FUNCTION fail_run()");
  }
  void remove_injected_failure() {
    raw_sql(url_, GetParam() == "sqlite" ? "DROP TRIGGER fail_run" : "DROP TRIGGER fail_run ON ingestion_runs");
  }

  TempDir dir_;
  std::string url_, admin_, db_;
};

inline EventLog read_fixture(const std::string& format, const std::vector<std::string>& files) {
  EventLog log;
  read_files(format, files, ReadOptions{}, log);
  return log;
}

inline EventLog online_retail() {
  return read_fixture("online-retail", {fixture("online-retail-slice.csv")});
}

inline IngestionRun run_of(const std::string& format) {
  IngestionRun r;
  r.format = format;
  r.files = {"a.csv", "b.csv"};
  r.rows_read = 28;
  r.issues = "{\"rejected\":{}}";
  return r;
}

}  // namespace aisle::test
