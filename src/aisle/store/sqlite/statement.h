// SQLite's connection and statement wrappers, shared by the files of the SQLite store: Db (one
// connection; errors as StoreError naming the store's URL), Statement (a prepared statement),
// Transaction (BEGIN IMMEDIATE, rolled back unless committed) and ReadTransaction (a snapshot).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "aisle/core/error.h"
#include "aisle/data/event_log.h"

namespace aisle::sqlite {

class Db;

// A prepared statement; bind by 1-based position, step, reset.
class Statement {
 public:
  Statement(Db& db, std::string_view sql);
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::int64_t v) { return check(sqlite3_bind_int64(stmt_, i, v)); }
  Statement& bind(int i, std::string_view v) {
    return check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  Statement& bind_null(int i) { return check(sqlite3_bind_null(stmt_, i)); }
  Statement& bind_blob(int i, std::string_view v) {
    return check(sqlite3_bind_blob64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT));
  }
  Statement& bind_float(int i, float v) {
    return is_present(v) ? check(sqlite3_bind_double(stmt_, i, v)) : bind_null(i);
  }
  Statement& bind_index(int i, std::uint32_t v) { return v == kNoIndex ? bind_null(i) : bind(i, std::int64_t{v}); }
  Statement& bind_text_or_null(int i, std::string_view v) { return v.empty() ? bind_null(i) : bind(i, v); }
  // True while a row is available.
  bool step();
  // Runs a statement that returns no rows, then resets it.
  void run() {
    while (step()) {}
    sqlite3_reset(stmt_);
  }
  // Ends a query early or after its last row, so that it can be bound and run again.
  void reset() { sqlite3_reset(stmt_); }
  std::int64_t int_at(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool null_at(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  float float_at(int col) const {
    return null_at(col) ? kAbsent : static_cast<float>(sqlite3_column_double(stmt_, col));
  }
  std::uint32_t index_at(int col) const { return null_at(col) ? kNoIndex : static_cast<std::uint32_t>(int_at(col)); }
  std::string_view blob_at(int col) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string_view();
  }
  std::string_view text_at(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string_view();
  }

 private:
  Statement& check(int rc);
  Db& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Db {
 public:
  Db(const std::string& url, const std::string& path) : url_(url) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
      const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw StoreError(url + ": cannot open: " + msg);
    }
    sqlite3_busy_timeout(db_, 10000);
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(std::string_view sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      const std::string msg = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      throw StoreError(url_ + ": " + msg);
    }
  }
  [[noreturn]] void fail(int rc) const {
    throw StoreError(url_ + ": " + sqlite3_errmsg(db_) + " (sqlite code " + std::to_string(rc) + ")");
  }
  sqlite3* handle() { return db_; }
  std::int64_t changes() const { return sqlite3_changes64(db_); }

 private:
  std::string url_;
  sqlite3* db_ = nullptr;
};

// Rolls back unless committed.
class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
  ~Transaction() {
    if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    db_.exec("COMMIT");
    done_ = true;
  }

 private:
  Db& db_;
  bool done_ = false;
};

// A read snapshot (WAL: other connections' later commits are not seen) until it goes out of scope.
class ReadTransaction {
 public:
  explicit ReadTransaction(Db& db) : db_(db) { db_.exec("BEGIN"); }
  ~ReadTransaction() { sqlite3_exec(db_.handle(), "COMMIT", nullptr, nullptr, nullptr); }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Db& db_;
};

}  // namespace aisle::sqlite
