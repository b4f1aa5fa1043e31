// The libpq layer of the PostgreSQL store: a connection that runs statements and COPY in and
// out, transactions that roll back unless committed, and the COPY text format (rows written and
// parsed, literals quoted). Nothing here knows the store's schema.
//
// Thread safety: a Connection (and what uses it) is used from one thread at a time.
#pragma once

#include <libpq-fe.h>

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/core/types.h"

namespace aisle::pg {

// A present float as PostgreSQL text. -0 is written as 0: SQLite keeps no sign on a zero REAL,
// and both backends read back the same.
std::string real_text(float v);
// Splits a COPY text row into fields, undoing the escapes; NULL fields become nullopt.
void parse_copy_row(std::string_view line, std::vector<std::optional<std::string>>& fields);
// s as an SQL string literal ('it''s').
std::string quote_literal(std::string_view s);

constexpr std::size_t kCopyChunk = 1 << 22;

// A query's result, cleared when it goes out of scope.
class Result {
 public:
  explicit Result(PGresult* r) : r_(r) {}
  ~Result() { PQclear(r_); }
  Result(Result&& other) noexcept : r_(std::exchange(other.r_, nullptr)) {}
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  Result& operator=(Result&&) = delete;
  PGresult* raw() const { return r_; }
  int rows() const { return PQntuples(r_); }
  std::string_view at(int row, int col) const {
    return {PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col))};
  }

 private:
  PGresult* r_;
};

// One row of COPY text format: fields separated by tabs, \N for NULL, backslash escapes.
class CopyRow {
 public:
  explicit CopyRow(std::string& out) : out_(out) {}
  CopyRow& text(std::string_view s) {
    sep();
    for (char c : s) {
      switch (c) {
        case '\\':
          out_ += "\\\\";
          break;
        case '\t':
          out_ += "\\t";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        default:
          out_ += c;
      }
    }
    return *this;
  }
  CopyRow& null() {
    sep();
    out_ += "\\N";
    return *this;
  }
  CopyRow& num(std::int64_t v) {
    sep();
    out_ += std::to_string(v);
    return *this;
  }
  CopyRow& index(std::uint32_t v) { return v == kNoIndex ? null() : num(v); }
  CopyRow& real(float v) {
    if (!is_present(v)) return null();
    sep();
    out_ += real_text(v);
    return *this;
  }
  CopyRow& text_or_null(std::string_view s) { return s.empty() ? null() : text(s); }
  void end() { out_ += '\n'; }

 private:
  void sep() {
    if (!first_) out_ += '\t';
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
};

class Connection {
  // An unreachable server fails after a few seconds instead of the operating system's TCP
  // timeout; a connect_timeout in the URL itself wins (it is processed after this one).
  static PGconn* connect(const std::string& url) {
    const char* const keys[] = {"connect_timeout", "dbname", nullptr};
    const char* const values[] = {"3", url.c_str(), nullptr};
    return PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  }

 public:
  explicit Connection(const std::string& url) : url_(url), conn_(connect(url)) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      const std::string msg = PQerrorMessage(conn_);
      PQfinish(conn_);
      throw StoreError(url + ": cannot connect: " + std::string(trim(msg)));
    }
    exec("SET client_min_messages = warning");
    exec("SET extra_float_digits = 3");
  }
  ~Connection() { PQfinish(conn_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The libpq handle, for what this class does not wrap (LISTEN's socket and notifications).
  PGconn* raw() const { return conn_; }

  // Runs sql; returns the affected-rows count, or the first column of the first row as text.
  std::string exec(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    const ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      const std::string msg = PQresultErrorMessage(r);
      PQclear(r);
      throw StoreError(url_ + ": " + std::string(trim(msg)));
    }
    std::string out = st == PGRES_TUPLES_OK ? (PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "") : PQcmdTuples(r);
    PQclear(r);
    return out;
  }

  // Runs sql (one statement or several separated by ';'); the rows of the last one.
  Result query(const std::string& sql) {
    Result r(PQexec(conn_, sql.c_str()));
    if (PQresultStatus(r.raw()) != PGRES_TUPLES_OK) {
      throw StoreError(url_ + ": " + std::string(trim(PQresultErrorMessage(r.raw()))));
    }
    return r;
  }

  // Runs sql with parameters $1.. sent as binary (text is its bytes, BYTEA its bytes); every
  // result column comes back in binary too (text and BYTEA as their bytes: select other types
  // as text). The rows, or none for a command.
  Result query_binary(const std::string& sql, const std::vector<std::string_view>& params) {
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
    for (std::string_view p : params) {
      values.push_back(p.data());
      lengths.push_back(static_cast<int>(p.size()));
      formats.push_back(1);
    }
    Result r(PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()), nullptr, values.data(), lengths.data(),
                          formats.data(), /*resultFormat=*/1));
    const ExecStatusType st = PQresultStatus(r.raw());
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      throw StoreError(url_ + ": " + std::string(trim(PQresultErrorMessage(r.raw()))));
    }
    return r;
  }

  // s as an SQL string literal, quoted for this connection's settings.
  std::string literal(std::string_view s) {
    char* q = PQescapeLiteral(conn_, s.data(), s.size());
    if (q == nullptr) throw StoreError(url_ + ": " + std::string(trim(PQerrorMessage(conn_))));
    std::string out(q);
    PQfreemem(q);
    return out;
  }

  // COPY table FROM STDIN with rows produced by `fill` (called with a buffer to append to;
  // returns false when there are no more rows).
  void copy_in(const std::string& copy_sql, const std::function<bool(std::string&)>& fill) {
    exec_copy_start(copy_sql, PGRES_COPY_IN);
    std::string buf;
    bool more = true;
    while (more) {
      buf.clear();
      while (buf.size() < kCopyChunk && (more = fill(buf))) {}
      if (!buf.empty() && PQputCopyData(conn_, buf.data(), static_cast<int>(buf.size())) != 1) {
        throw StoreError(url_ + ": COPY failed: " + PQerrorMessage(conn_));
      }
    }
    if (PQputCopyEnd(conn_, nullptr) != 1) throw StoreError(url_ + ": COPY failed: " + PQerrorMessage(conn_));
    finish_copy();
  }

  // COPY (query) TO STDOUT; `row` gets each text row.
  void copy_out(const std::string& query, const std::function<void(std::string_view)>& row) {
    exec_copy_start("COPY (" + query + ") TO STDOUT", PGRES_COPY_OUT);
    char* data = nullptr;
    int n = 0;
    while ((n = PQgetCopyData(conn_, &data, 0)) > 0) {
      row(std::string_view(data, static_cast<std::size_t>(n)));
      PQfreemem(data);
    }
    if (n == -2) throw StoreError(url_ + ": COPY failed: " + PQerrorMessage(conn_));
    finish_copy();
  }

 private:
  void exec_copy_start(const std::string& sql, ExecStatusType expected) {
    PGresult* r = PQexec(conn_, sql.c_str());
    if (PQresultStatus(r) != expected) {
      const std::string msg = PQresultErrorMessage(r);
      PQclear(r);
      throw StoreError(url_ + ": " + std::string(trim(msg)));
    }
    PQclear(r);
  }
  void finish_copy() {
    std::string error;
    while (PGresult* r = PQgetResult(conn_)) {
      if (PQresultStatus(r) != PGRES_COMMAND_OK && error.empty()) error = PQresultErrorMessage(r);
      PQclear(r);
    }
    if (!error.empty()) throw StoreError(url_ + ": " + std::string(trim(error)));
  }

  std::string url_;
  PGconn* conn_;
};

// Rolls back unless committed.
class Transaction {
 public:
  explicit Transaction(Connection& c) : c_(c) { c_.exec("BEGIN"); }
  // For a caller that sends BEGIN itself, together with its first statements (one round trip
  // less); a rollback when none began is only a warning.
  struct BegunByCaller {};
  Transaction(Connection& c, BegunByCaller /*unused*/) : c_(c) {}
  ~Transaction() {
    if (done_) return;
    try {
      c_.exec("ROLLBACK");
    } catch (const StoreError&) {  // the connection is gone; the server rolls back itself
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    c_.exec("COMMIT");
    done_ = true;
  }
  // Runs sql (statements separated by ';') and commits, in one round trip.
  void commit_after(const std::string& sql) {
    c_.exec(sql + ";\nCOMMIT");
    done_ = true;
  }

 private:
  Connection& c_;
  bool done_ = false;
};

// Feeds a vector to copy_in, one row per element.
template <typename T, typename Write>
std::function<bool(std::string&)> rows_of(std::span<const T> v, Write write) {
  return [v, write, k = std::size_t{0}](std::string& buf) mutable {
    if (k == v.size()) return false;
    write(CopyRow(buf), v[k++]);
    return true;
  };
}
template <typename T, typename Write>
std::function<bool(std::string&)> rows_of(const std::vector<T>& v, Write write) {
  return rows_of(std::span<const T>(v), write);
}

}  // namespace aisle::pg
