#include "aisle/store/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <ctime>
#include <optional>

#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/store/append_plan.h"
#include "aisle/store/experiment_rows.h"
#include "aisle/store/load_plan.h"
#include "aisle/store/recommendation_rows.h"
#include "aisle/store/schema.h"

namespace aisle {

namespace {

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

Statement::Statement(Db& db, std::string_view sql) : db_(db) {
  const int rc = sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) db.fail(rc);
}

Statement& Statement::check(int rc) {
  if (rc != SQLITE_OK) db_.fail(rc);
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(stmt_);
  db_.fail(rc);
}

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

std::string join_lines(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) {
    if (!out.empty()) out += '\n';
    out += s;
  }
  return out;
}

class SqliteStore final : public EventStore {
 public:
  SqliteStore(const std::string& url, const std::string& path) : EventStore(url), db_(url, path) {
    db_.exec("PRAGMA journal_mode=WAL");
    db_.exec("PRAGMA synchronous=NORMAL");
    db_.exec("PRAGMA cache_size=-262144");  // 256 MiB page cache for bulk loads
    Transaction tx(db_);
    db_.exec(schema::kSqlite);
    Statement get(db_, "SELECT value FROM meta WHERE key = 'schema_version'");
    const std::string version(get.step() ? get.text_at(0) : "");
    get.reset();
    if (version.empty() || needs_schema_upgrade(version, url)) {
      Statement put(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', ?)");
      put.bind(1, std::to_string(kStoreSchemaVersion)).run();
    }
    tx.commit();
  }

  LoadResult load(const EventLog& log, const IngestionRun& run, const RunContext& context) override;
  AppendResult append(std::span<const LiveEvent> events) override;
  EventLog read() override;
  std::vector<StoredRun> runs() override;
  std::vector<LiveEvent> feedback_since(Timestamp since, std::int64_t skip_run, std::int64_t* through) override;
  FollowedFeedback feedback_after(std::int64_t after, std::int64_t skip_run) override;
  void log_impressions(std::span<const Impression> impressions) override;
  std::vector<Impression> impressions(std::string_view experiment) override;
  void save_experiment(const StoredExperiment& experiment) override;
  std::vector<StoredExperiment> experiments() override;
  std::int64_t publish_model(std::string_view spec, std::string_view bytes) override;
  std::int64_t latest_model_version() override;
  StoredModel read_model(std::int64_t version) override;

  void begin_recommendations(const RecommendationBatch& batch) override;
  void write_recommendations(std::string_view version, std::span<const UserRecommendations> lists) override;
  RecommendationBatch complete_recommendations(std::string_view version) override;
  std::optional<StoredList> stored_recommendations(std::string_view user, std::string_view version) override;
  std::vector<RecommendationBatch> recommendation_batches() override;

 private:
  StoreIds read_all_ids() {
    return read_store_ids(url(), [&](std::string_view table, const IdRowSink& add) {
      Statement q(db_, "SELECT idx, external_id FROM " + std::string(table) + " ORDER BY idx");
      while (q.step()) add(static_cast<std::uint64_t>(q.int_at(0)), q.text_at(1));
    });
  }
  void insert_ids(std::string_view table, const std::vector<NewId>& ids) {
    Statement ins(db_, "INSERT INTO " + std::string(table) + "(idx, external_id) VALUES(?, ?)");
    for (const NewId& n : ids) ins.bind(1, std::int64_t{n.idx}).bind(2, n.external_id).run();
  }
  void write_catalog(const LoadPlan& plan);
  AppendResult append_in_transaction(std::span<const LiveEvent> events);
  std::int64_t feedback_log_end();
  // Appends the rows of a query with feedback_events_sql's columns.
  void read_feedback(const std::string& sql, std::vector<LiveEvent>& out);

  // What append() keeps between calls: the id cache and its prepared statements.
  struct Appender {
    explicit Appender(Db& db);
    IdCache ids;
    // Per table of kCachedTables: rows with idx >= ?, and an insert.
    std::vector<std::unique_ptr<Statement>> catch_up, insert_id;
    Statement insert_run, insert_event, log_event, update_run;
  };

  Db db_;
  std::optional<Appender> appender_;  // after db_: its statements are finalized first
  std::int64_t append_run_id_ = 0;    // 0 until an append committed
};

SqliteStore::Appender::Appender(Db& db)
    : insert_run(db,
                 "INSERT INTO ingestion_runs(finished_at, format, files, rows_read, rows_kept, rows_skipped, "
                 "rows_rejected, events_added, issues) VALUES(?, 'feedback', '', 0, 0, 0, 0, 0, '')"),
      // occurrence: the next free one for the key, counting rows this transaction inserted.
      insert_event(db,
                   "INSERT INTO events(user_idx, item_idx, type_idx, ts, occurrence, quantity, value, weight, "
                   "session_idx, run_id) VALUES(?1, ?2, ?3, ?4, (SELECT COALESCE(MAX(occurrence) + 1, 0) FROM events "
                   "WHERE user_idx = ?1 AND item_idx = ?2 AND type_idx = ?3 AND ts = ?4), ?5, ?6, ?7, ?8, ?9)"),
      // The event just inserted holds its key's largest occurrence.
      log_event(db,
                "INSERT INTO feedback_log(run_id, user_idx, item_idx, type_idx, ts, occurrence) SELECT ?5, ?1, ?2, ?3, "
                "?4, MAX(occurrence) FROM events WHERE user_idx = ?1 AND item_idx = ?2 AND type_idx = ?3 AND ts = ?4"),
      update_run(db,
                 "UPDATE ingestion_runs SET finished_at = ?1, rows_read = rows_read + ?2, rows_kept = rows_kept + ?2, "
                 "events_added = events_added + ?2 WHERE id = ?3") {
  // Checkpoint every 30,000 pages (~120 MB of WAL) instead of 1,000: appends dirty pages all
  // over the events key, and a checkpoint writes a page once however often the WAL holds it.
  // bench_append, calls of 100 into 1M events: 28 k events/s at 1,000 pages, 44-51 k at 10,000,
  // 60-67 k at 30,000; the append that runs a checkpoint takes ~130 ms instead of ~20.
  db.exec("PRAGMA wal_autocheckpoint=30000");
  for (const CachedTable& t : kCachedTables) {
    const std::string table(t.table);
    catch_up.push_back(
        std::make_unique<Statement>(db, "SELECT idx, external_id FROM " + table + " WHERE idx >= ? ORDER BY idx"));
    insert_id.push_back(std::make_unique<Statement>(db, "INSERT INTO " + table + "(idx, external_id) VALUES(?, ?)"));
  }
}

void SqliteStore::write_catalog(const LoadPlan& plan) {
  Statement cat(db_,
                "INSERT INTO categories(idx, external_id, parent_idx, name) VALUES(?, ?, ?, ?) "
                "ON CONFLICT(idx) DO UPDATE SET parent_idx = COALESCE(excluded.parent_idx, parent_idx), "
                "name = CASE WHEN excluded.name = '' THEN name ELSE excluded.name END");
  for (const PlannedCategory& c : plan.categories) {
    cat.bind(1, std::int64_t{c.idx}).bind(2, c.external_id).bind_index(3, c.parent).bind(4, c.name).run();
  }
  Statement item(db_,
                 "UPDATE items SET name = COALESCE(?2, name), brand = COALESCE(?3, brand), "
                 "price = COALESCE(?4, price), available = COALESCE(?5, available), "
                 "image_url = COALESCE(?6, image_url), attributes = COALESCE(?7, attributes) WHERE idx = ?1");
  Statement clear_cats(db_, "DELETE FROM item_categories WHERE item_idx = ?");
  Statement add_cat(db_, "INSERT INTO item_categories(item_idx, position, category_idx) VALUES(?, ?, ?)");
  for (const PlannedItem& p : plan.items) {
    const ItemInfo& info = *p.info;
    item.bind(1, std::int64_t{p.idx}).bind_text_or_null(2, info.name).bind_text_or_null(3, info.brand);
    item.bind_float(4, info.price);
    if (info.available == Availability::kUnknown)
      item.bind_null(5);
    else
      item.bind(5, std::int64_t{static_cast<int>(info.available)});
    item.bind_text_or_null(6, info.image_url).bind_text_or_null(7, attributes_to_json(info)).run();
    if (p.categories.empty()) continue;
    clear_cats.bind(1, std::int64_t{p.idx}).run();
    for (std::size_t k = 0; k < p.categories.size(); ++k) {
      add_cat.bind(1, std::int64_t{p.idx})
          .bind(2, static_cast<std::int64_t>(k))
          .bind(3, std::int64_t{p.categories[k]})
          .run();
    }
  }
}

LoadResult SqliteStore::load(const EventLog& log, const IngestionRun& run, const RunContext& context) {
  Transaction tx(db_);
  StoreIds ids = read_all_ids();
  const LoadPlan plan = plan_load(log, ids);
  insert_ids("users", plan.new_users);
  insert_ids("items", plan.new_items);
  insert_ids("sessions", plan.new_sessions);
  insert_ids("event_types", plan.new_event_types);
  write_catalog(plan);

  Statement ins_run(db_,
                    "INSERT INTO ingestion_runs(finished_at, format, files, rows_read, rows_kept, rows_skipped, "
                    "rows_rejected, events_added, issues) VALUES(?, ?, ?, ?, ?, ?, ?, 0, ?)");
  ins_run.bind(1, static_cast<std::int64_t>(std::time(nullptr))).bind(2, run.format).bind(3, join_lines(run.files));
  ins_run.bind(4, static_cast<std::int64_t>(run.rows_read)).bind(5, static_cast<std::int64_t>(run.rows_kept));
  ins_run.bind(6, static_cast<std::int64_t>(run.rows_skipped)).bind(7, static_cast<std::int64_t>(run.rows_rejected));
  ins_run.bind(8, run.issues).run();
  const std::int64_t run_id = sqlite3_last_insert_rowid(db_.handle());

  Statement ins(db_,
                "INSERT OR IGNORE INTO events(user_idx, item_idx, type_idx, ts, occurrence, quantity, value, weight, "
                "session_idx, run_id) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  LoadResult result;
  result.run_id = run_id;
  const LoadProgress progress(context, plan.events.size());
  std::uint64_t written = 0;
  for (const PlannedEvent& p : plan.events) {
    const Event& e = p.event;
    ins.bind(1, std::int64_t{e.user}).bind(2, std::int64_t{e.item}).bind(3, std::int64_t{e.type});
    ins.bind(4, e.time).bind(5, std::int64_t{p.occurrence});
    ins.bind_float(6, e.quantity).bind_float(7, e.value).bind_float(8, e.weight);
    ins.bind_index(9, e.session).bind(10, run_id).run();
    result.events_added += static_cast<std::uint64_t>(db_.changes());
    progress.written(++written);
  }
  result.events_already_stored = plan.events.size() - result.events_added;
  result.new_users = static_cast<std::uint32_t>(plan.new_users.size());
  result.new_items = static_cast<std::uint32_t>(plan.new_items.size());
  Statement done(db_, "UPDATE ingestion_runs SET events_added = ? WHERE id = ?");
  done.bind(1, static_cast<std::int64_t>(result.events_added)).bind(2, run_id).run();
  tx.commit();
  progress.finish();
  return result;
}

AppendResult SqliteStore::append(std::span<const LiveEvent> events) {
  check_live_events(events);
  if (events.empty()) return {append_run_id_, 0, 0, 0, 0, 0};
  try {
    if (!appender_) appender_.emplace(db_);
    return append_in_transaction(events);
  } catch (...) {
    appender_.reset();  // the cache may hold ids the rollback removed
    throw;
  }
}

AppendResult SqliteStore::append_in_transaction(std::span<const LiveEvent> events) {
  Appender& a = *appender_;
  Transaction tx(db_);
  for (std::size_t t = 0; t < std::size(kCachedTables); ++t) {
    IdMap& map = a.ids.*kCachedTables[t].map;
    Statement& q = *a.catch_up[t];
    q.bind(1, std::int64_t{map.size()});
    while (q.step())
      catch_up(map, static_cast<std::uint64_t>(q.int_at(0)), q.text_at(1), url(), kCachedTables[t].table);
    q.reset();
  }
  const AppendPlan plan = plan_append(events, a.ids);
  const std::vector<NewId>* new_ids[] = {&plan.new_users, &plan.new_items, &plan.new_sessions, &plan.new_event_types};
  for (std::size_t t = 0; t < std::size(kCachedTables); ++t) {
    for (const NewId& n : *new_ids[t]) a.insert_id[t]->bind(1, std::int64_t{n.idx}).bind(2, n.external_id).run();
  }
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  std::int64_t run_id = append_run_id_;
  if (run_id == 0) {
    a.insert_run.bind(1, now).run();
    run_id = sqlite3_last_insert_rowid(db_.handle());
  }
  for (const Event& e : plan.events) {
    a.insert_event.bind(1, std::int64_t{e.user}).bind(2, std::int64_t{e.item}).bind(3, std::int64_t{e.type});
    a.insert_event.bind(4, e.time).bind_float(5, e.quantity).bind_float(6, e.value).bind_float(7, e.weight);
    a.insert_event.bind_index(8, e.session).bind(9, run_id).run();
    a.log_event.bind(1, std::int64_t{e.user}).bind(2, std::int64_t{e.item}).bind(3, std::int64_t{e.type});
    a.log_event.bind(4, e.time).bind(5, run_id).run();
  }
  const auto added = static_cast<std::int64_t>(plan.events.size());
  a.update_run.bind(1, now).bind(2, added).bind(3, run_id).run();
  tx.commit();
  append_run_id_ = run_id;
  return {run_id,
          plan.events.size(),
          static_cast<std::uint32_t>(plan.new_users.size()),
          static_cast<std::uint32_t>(plan.new_items.size()),
          static_cast<std::uint32_t>(plan.new_sessions.size()),
          static_cast<std::uint32_t>(plan.new_event_types.size())};
}

EventLog SqliteStore::read() {
  db_.exec("BEGIN");  // one consistent snapshot
  struct End {
    Db& db;
    ~End() { sqlite3_exec(db.handle(), "COMMIT", nullptr, nullptr, nullptr); }
  } end{db_};
  EventLog log;
  StoreIds ids = read_all_ids();
  move_ids_into(ids, log);

  Statement cats(db_, "SELECT external_id, parent_idx, name FROM categories ORDER BY idx");
  std::vector<CategoryIdx> parents;
  while (cats.step()) {
    log.catalog.add_category(cats.text_at(0), cats.text_at(2));
    parents.push_back(cats.index_at(1));
  }
  for (CategoryIdx c = 0; c < parents.size(); ++c) log.catalog.set_parent(c, parents[c]);

  Statement items(db_,
                  "SELECT idx, name, brand, price, available, image_url, attributes FROM items "
                  "WHERE name IS NOT NULL OR brand IS NOT NULL OR price IS NOT NULL OR available IS NOT NULL "
                  "OR image_url IS NOT NULL OR attributes IS NOT NULL ORDER BY idx");
  while (items.step()) {
    ItemInfo& info = log.catalog.item(static_cast<ItemIdx>(items.int_at(0)));
    info.name = items.text_at(1);
    info.brand = items.text_at(2);
    info.price = items.float_at(3);
    info.available = items.null_at(4) ? Availability::kUnknown : static_cast<Availability>(items.int_at(4));
    info.image_url = items.text_at(5);
    attributes_from_json(std::string(items.text_at(6)), info);
  }
  Statement item_cats(db_, "SELECT item_idx, category_idx FROM item_categories ORDER BY item_idx, position");
  while (item_cats.step()) {
    log.catalog.item(static_cast<ItemIdx>(item_cats.int_at(0))).categories.push_back(item_cats.index_at(1));
  }

  Statement events(db_,
                   "SELECT user_idx, item_idx, type_idx, ts, quantity, value, weight, session_idx FROM events "
                   "ORDER BY ts, user_idx, item_idx, type_idx, occurrence");
  while (events.step()) {
    Event e;
    e.user = events.index_at(0);
    e.item = events.index_at(1);
    e.type = events.index_at(2);
    e.time = events.int_at(3);
    e.quantity = events.float_at(4);
    e.value = events.float_at(5);
    e.weight = events.float_at(6);
    e.session = events.index_at(7);
    log.events.push_back(e);
  }
  return log;
}

std::vector<LiveEvent> SqliteStore::feedback_since(Timestamp since, std::int64_t skip_run, std::int64_t* through) {
  std::vector<LiveEvent> out;
  ReadTransaction snapshot(db_);  // the log's end and the events: one snapshot
  if (through != nullptr) *through = feedback_log_end();
  if (Statement runs(db_, feedback_runs_sql(since, skip_run)); runs.step()) {
    read_feedback(feedback_events_sql(since, skip_run), out);
  }
  return out;
}

std::int64_t SqliteStore::feedback_log_end() {
  Statement end(db_, kFeedbackLogEndSql);
  end.step();
  const std::int64_t value = end.int_at(0);
  end.reset();
  return value;
}

FollowedFeedback SqliteStore::feedback_after(std::int64_t after, std::int64_t skip_run) {
  FollowedFeedback out;
  ReadTransaction snapshot(db_);
  out.through = std::max(after, feedback_log_end());
  if (out.through > after) read_feedback(feedback_after_sql(after, out.through, skip_run), out.events);
  return out;
}

void SqliteStore::read_feedback(const std::string& sql, std::vector<LiveEvent>& out) {
  Statement q(db_, sql);
  while (q.step()) {
    LiveEvent e;
    e.user = q.text_at(0);
    e.item = q.text_at(1);
    e.type = q.text_at(2);
    e.session = q.text_at(3);
    e.time = q.int_at(4);
    e.quantity = q.float_at(5);
    e.value = q.float_at(6);
    e.weight = q.float_at(7);
    out.push_back(std::move(e));
  }
}

void SqliteStore::log_impressions(std::span<const Impression> impressions) {
  check_impressions(impressions);
  if (impressions.empty()) return;
  Transaction tx(db_);
  Statement ins(db_, "INSERT INTO impressions(" + std::string(kImpressionColumns) + ") VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
  for (const Impression& m : impressions) {
    ins.bind(1, m.request_id).bind(2, m.experiment).bind(3, m.arm).bind(4, m.visitor);
    ins.bind(5, std::int64_t{m.anonymous ? 1 : 0}).bind(6, std::int64_t{m.time});
    ins.bind(7, encode_ids(m.items)).bind(8, encode_ids(m.credits)).run();
  }
  tx.commit();
}

std::vector<Impression> SqliteStore::impressions(std::string_view experiment) {
  std::vector<Impression> out;
  Statement q(db_, "SELECT " + std::string(kImpressionColumns) +
                       " FROM impressions WHERE experiment = ? ORDER BY ts, request_id");
  q.bind(1, experiment);
  while (q.step()) {
    Impression m;
    m.request_id = q.text_at(0);
    m.experiment = q.text_at(1);
    m.arm = q.text_at(2);
    m.visitor = q.text_at(3);
    m.anonymous = q.int_at(4) != 0;
    m.time = q.int_at(5);
    m.items = decode_ids(q.text_at(6), url());
    m.credits = decode_ids(q.text_at(7), url());
    out.push_back(std::move(m));
  }
  return out;
}

void SqliteStore::save_experiment(const StoredExperiment& experiment) {
  Transaction tx(db_);
  Statement put(db_, "INSERT OR REPLACE INTO experiments(name, definition, started_at, stopped_at) VALUES(?, ?, ?, ?)");
  put.bind(1, experiment.name).bind(2, experiment.definition);
  experiment.started_at ? put.bind(3, std::int64_t{*experiment.started_at}) : put.bind_null(3);
  experiment.stopped_at ? put.bind(4, std::int64_t{*experiment.stopped_at}) : put.bind_null(4);
  put.run();
  tx.commit();
}

std::vector<StoredExperiment> SqliteStore::experiments() {
  std::vector<StoredExperiment> out;
  Statement q(db_, "SELECT name, definition, started_at, stopped_at FROM experiments ORDER BY name");
  while (q.step()) {
    StoredExperiment e;
    e.name = q.text_at(0);
    e.definition = q.text_at(1);
    if (!q.null_at(2)) e.started_at = q.int_at(2);
    if (!q.null_at(3)) e.stopped_at = q.int_at(3);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<StoredRun> SqliteStore::runs() {
  std::vector<StoredRun> out;
  Statement q(db_,
              "SELECT id, finished_at, format, files, rows_read, rows_kept, rows_skipped, rows_rejected, "
              "events_added, issues FROM ingestion_runs ORDER BY id");
  while (q.step()) {
    StoredRun r;
    r.id = q.int_at(0);
    r.finished_at = q.int_at(1);
    r.run.format = q.text_at(2);
    if (!q.text_at(3).empty()) {
      for (std::string_view f : split(q.text_at(3), "\n")) r.run.files.emplace_back(f);
    }
    r.run.rows_read = static_cast<std::uint64_t>(q.int_at(4));
    r.run.rows_kept = static_cast<std::uint64_t>(q.int_at(5));
    r.run.rows_skipped = static_cast<std::uint64_t>(q.int_at(6));
    r.run.rows_rejected = static_cast<std::uint64_t>(q.int_at(7));
    r.events_added = static_cast<std::uint64_t>(q.int_at(8));
    r.run.issues = q.text_at(9);
    out.push_back(std::move(r));
  }
  return out;
}

std::int64_t SqliteStore::publish_model(std::string_view spec, std::string_view bytes) {
  Transaction tx(db_);
  const std::int64_t version = latest_model_version() + 1;
  Statement put(db_, "INSERT INTO models(version, spec, created_at, size, bytes) VALUES(?, ?, ?, ?, ?)");
  put.bind(1, version).bind(2, spec).bind(3, static_cast<std::int64_t>(std::time(nullptr)));
  put.bind(4, static_cast<std::int64_t>(bytes.size())).bind_blob(5, bytes).run();
  tx.commit();
  return version;
}

std::int64_t SqliteStore::latest_model_version() {
  Statement q(db_, "SELECT COALESCE(MAX(version), 0) FROM models");
  q.step();
  return q.int_at(0);
}

StoredModel SqliteStore::read_model(std::int64_t version) {
  Statement q(db_, "SELECT spec, created_at, bytes FROM models WHERE version = ?");
  q.bind(1, version);
  if (!q.step()) throw StoreError(url() + ": no published model of version " + std::to_string(version));
  return {version, std::string(q.text_at(0)), q.int_at(1), std::string(q.blob_at(2))};
}

// Recommendation batches.

// Reads a batch row (kBatchColumns) from column `first` on.
RecommendationBatch batch_at(const Statement& q, int first = 0) {
  RecommendationBatch b;
  b.version = q.text_at(first);
  b.model = q.text_at(first + 1);
  b.k = static_cast<std::uint32_t>(q.int_at(first + 2));
  b.created_at = q.int_at(first + 3);
  if (!q.null_at(first + 4)) b.completed_at = q.int_at(first + 4);
  b.users = static_cast<std::uint64_t>(q.int_at(first + 5));
  b.row_count = static_cast<std::uint64_t>(q.int_at(first + 6));
  return b;
}

void SqliteStore::begin_recommendations(const RecommendationBatch& batch) {
  check_batch(batch);
  Transaction tx(db_);
  Statement drop(db_, "DELETE FROM recommendations WHERE version = ?");
  drop.bind(1, batch.version).run();
  Statement put(db_, "INSERT OR REPLACE INTO recommendation_batches(" + std::string(kBatchColumns) +
                         ", completion) VALUES(?, ?, ?, ?, NULL, 0, 0, NULL)");
  put.bind(1, batch.version).bind(2, batch.model).bind(3, std::int64_t{batch.k});
  put.bind(4, static_cast<std::int64_t>(std::time(nullptr))).run();
  tx.commit();
}

void SqliteStore::write_recommendations(std::string_view version, std::span<const UserRecommendations> lists) {
  check_batch_version(version);
  check_recommendation_lists(lists);
  Transaction tx(db_);
  Statement state(db_, "SELECT completion IS NULL FROM recommendation_batches WHERE version = ?");
  state.bind(1, version);
  if (!state.step()) {
    throw StoreError(url() + ": recommendation batch '" + std::string(version) + "' was not begun");
  }
  if (state.int_at(0) == 0) {
    throw StoreError(url() + ": recommendation batch '" + std::string(version) + "' is complete; begin it again");
  }
  state.reset();
  Statement ins(db_, "INSERT INTO recommendations(version, user_id, position, item_id, score) VALUES(?, ?, ?, ?, ?)");
  for (const UserRecommendations& list : lists) {
    for (std::size_t p = 0; p < list.items.size(); ++p) {
      ins.bind(1, version).bind(2, list.user).bind(3, static_cast<std::int64_t>(p)).bind(4, list.items[p].item);
      ins.bind_float(5, list.items[p].score).run();
    }
  }
  tx.commit();
}

RecommendationBatch SqliteStore::complete_recommendations(std::string_view version) {
  check_batch_version(version);
  Transaction tx(db_);
  Statement done(db_, complete_batch_sql("?1", std::to_string(std::time(nullptr))));
  done.bind(1, version).run();
  if (db_.changes() != 1) {
    throw StoreError(url() + ": recommendation batch '" + std::string(version) + "' was not begun or is complete");
  }
  Statement q(db_, "SELECT " + std::string(kBatchColumns) + " FROM recommendation_batches WHERE version = ?");
  q.bind(1, version).step();
  RecommendationBatch batch = batch_at(q);
  q.reset();
  tx.commit();
  return batch;
}

std::optional<StoredList> SqliteStore::stored_recommendations(std::string_view user, std::string_view version) {
  Statement q(db_, stored_list_sql(version.empty() ? "" : "?2", "?1"));
  q.bind(1, user);
  if (!version.empty()) q.bind(2, version);
  std::optional<StoredList> out;
  while (q.step()) {
    if (!out) out = StoredList{batch_at(q), {}};
    if (!q.null_at(7)) out->items.push_back({std::string(q.text_at(8)), q.float_at(9)});
  }
  return out;
}

std::vector<RecommendationBatch> SqliteStore::recommendation_batches() {
  std::vector<RecommendationBatch> out;
  Statement q(db_, "SELECT " + std::string(kBatchColumns) +
                       " FROM recommendation_batches ORDER BY created_at DESC, "
                       "version");
  while (q.step()) out.push_back(batch_at(q));
  return out;
}

}  // namespace

std::unique_ptr<EventStore> open_sqlite_store(const std::string& url, const std::string& path) {
  return std::make_unique<SqliteStore>(url, path);
}

}  // namespace aisle
