#include "aisle/store/postgres/postgres_store.h"

#include <libpq-fe.h>

#include <algorithm>
#include <ctime>
#include <functional>
#include <optional>
#include <utility>

#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/store/append_plan.h"
#include "aisle/store/experiment_rows.h"
#include "aisle/store/load_plan.h"
#include "aisle/store/postgres/connection.h"
#include "aisle/store/recommendation_rows.h"
#include "aisle/store/schema.h"

namespace aisle {

namespace {

using pg::Connection;
using pg::CopyRow;
using pg::parse_copy_row;
using pg::quote_literal;
using pg::real_text;
using pg::Result;
using pg::rows_of;
using pg::Transaction;

// Held (transaction-scoped) by every transaction that writes ids or events: loads and appends
// queue instead of interleaving.
constexpr const char* kLockWriters = "SELECT pg_advisory_xact_lock(7311901)";

// Into an empty table, rows are copied without the table's bulk constraints, which are then
// rebuilt by one sort each (schema::kPostgresBulkConstraints). Inside the load's transaction,
// so a failure restores them with everything else. For a table with rows it does nothing.
class BulkIndexes {
 public:
  BulkIndexes(Connection& c, const std::string& table) : c_(c), table_(table) {
    active_ = c_.exec("SELECT NOT EXISTS (SELECT 1 FROM " + table + ")") == "t";
    if (!active_) return;
    c_.exec("SET LOCAL maintenance_work_mem = '256MB'");
    for (const auto& bc : schema::kPostgresBulkConstraints) {
      if (bc.table == table_) c_.exec("ALTER TABLE " + table_ + " DROP CONSTRAINT " + std::string(bc.name));
    }
  }
  bool active() const { return active_; }
  void rebuild() {
    if (!active_) return;
    for (const auto& bc : schema::kPostgresBulkConstraints) {
      if (bc.table == table_) {
        c_.exec("ALTER TABLE " + table_ + " ADD CONSTRAINT " + std::string(bc.name) + " " + std::string(bc.definition));
      }
    }
    active_ = false;
  }

 private:
  Connection& c_;
  std::string table_;
  bool active_ = false;
};

class PostgresStore final : public EventStore {
 public:
  explicit PostgresStore(const std::string& url) : EventStore(url), c_(url) {
    Transaction tx(c_);
    c_.exec(kLockWriters);
    for (std::string_view stmt : split(schema::kPostgres, ";\n")) c_.exec(std::string(stmt));
    const std::string version = c_.exec("SELECT value FROM meta WHERE key = 'schema_version'");
    if (version.empty() || needs_schema_upgrade(version, url)) {
      c_.exec("INSERT INTO meta(key, value) VALUES('schema_version', '" + std::to_string(kStoreSchemaVersion) +
              "') ON CONFLICT(key) DO UPDATE SET value = EXCLUDED.value");
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
    std::vector<std::optional<std::string>> f;
    return read_store_ids(url(), [&](std::string_view table, const IdRowSink& add) {
      c_.copy_out("SELECT idx, external_id FROM " + std::string(table) + " ORDER BY idx", [&](std::string_view line) {
        parse_copy_row(line, f);
        add(std::stoull(*f[0]), *f[1]);
      });
    });
  }
  void insert_ids(const std::string& table, const std::vector<NewId>& ids) {
    if (ids.empty()) return;
    BulkIndexes bulk(c_, table);
    c_.copy_in("COPY " + table + "(idx, external_id) FROM STDIN",
               rows_of(ids, [](CopyRow r, const NewId& n) { r.num(n.idx).text(n.external_id).end(); }));
    bulk.rebuild();
  }
  void write_catalog(const LoadPlan& plan);
  AppendResult append_in_transaction(std::span<const LiveEvent> events);
  void begin_and_catch_up_ids();
  std::string insert_events_sql(const std::vector<Event>& events, std::int64_t run_id);
  // Appends the rows of a query with feedback_events_sql's columns.
  void read_feedback(const std::string& sql, std::vector<LiveEvent>& out);

  Connection c_;
  std::optional<IdCache> ids_;      // append()'s cache of the id tables
  std::int64_t append_run_id_ = 0;  // 0 until an append committed
};

void PostgresStore::write_catalog(const LoadPlan& plan) {
  if (!plan.categories.empty()) {
    c_.exec("CREATE TEMP TABLE stage_categories (LIKE categories) ON COMMIT DROP");
    c_.copy_in("COPY stage_categories(idx, external_id, parent_idx, name) FROM STDIN",
               rows_of(plan.categories, [](CopyRow r, const PlannedCategory& c) {
                 r.num(c.idx).text(c.external_id).index(c.parent).text(c.name).end();
               }));
    c_.exec(
        "INSERT INTO categories SELECT * FROM stage_categories ON CONFLICT(idx) DO UPDATE SET "
        "parent_idx = COALESCE(excluded.parent_idx, categories.parent_idx), "
        "name = CASE WHEN excluded.name = '' THEN categories.name ELSE excluded.name END");
  }
  if (plan.items.empty()) return;
  c_.exec("CREATE TEMP TABLE stage_items (LIKE items) ON COMMIT DROP");
  c_.copy_in("COPY stage_items(idx, external_id, name, brand, price, available, image_url, attributes) FROM STDIN",
             rows_of(plan.items, [](CopyRow r, const PlannedItem& p) {
               const ItemInfo& info = *p.info;
               r.num(p.idx).text("").text_or_null(info.name).text_or_null(info.brand).real(info.price);
               if (info.available == Availability::kUnknown)
                 r.null();
               else
                 r.num(static_cast<int>(info.available));
               r.text_or_null(info.image_url).text_or_null(attributes_to_json(info)).end();
             }));
  c_.exec(
      "UPDATE items SET name = COALESCE(s.name, items.name), brand = COALESCE(s.brand, items.brand), "
      "price = COALESCE(s.price, items.price), available = COALESCE(s.available, items.available), "
      "image_url = COALESCE(s.image_url, items.image_url), attributes = COALESCE(s.attributes, items.attributes) "
      "FROM stage_items s WHERE items.idx = s.idx");
  struct Link {
    ItemIdx item;
    std::uint32_t position;
    CategoryIdx category;
  };
  std::vector<Link> links;
  for (const PlannedItem& p : plan.items) {
    for (std::uint32_t k = 0; k < p.categories.size(); ++k) links.push_back({p.idx, k, p.categories[k]});
  }
  if (links.empty()) return;
  c_.exec("CREATE TEMP TABLE stage_item_categories (LIKE item_categories) ON COMMIT DROP");
  c_.copy_in("COPY stage_item_categories FROM STDIN",
             rows_of(links, [](CopyRow r, const Link& l) { r.num(l.item).num(l.position).num(l.category).end(); }));
  c_.exec("DELETE FROM item_categories WHERE item_idx IN (SELECT DISTINCT item_idx FROM stage_item_categories)");
  c_.exec("INSERT INTO item_categories SELECT * FROM stage_item_categories");
}

LoadResult PostgresStore::load(const EventLog& log, const IngestionRun& run, const RunContext& context) {
  Transaction tx(c_);
  c_.exec(kLockWriters);
  StoreIds ids = read_all_ids();
  const LoadPlan plan = plan_load(log, ids);
  insert_ids("users", plan.new_users);
  insert_ids("items", plan.new_items);
  insert_ids("sessions", plan.new_sessions);
  insert_ids("event_types", plan.new_event_types);
  write_catalog(plan);

  std::string files;
  for (const std::string& f : run.files) files += (files.empty() ? "" : "\n") + f;
  const std::string run_id = c_.exec(
      "INSERT INTO ingestion_runs(finished_at, format, files, rows_read, rows_kept, rows_skipped, rows_rejected, "
      "events_added, issues) VALUES(" +
      std::to_string(std::time(nullptr)) + ", " + quote_literal(run.format) + ", " + quote_literal(files) + ", " +
      std::to_string(run.rows_read) + ", " + std::to_string(run.rows_kept) + ", " + std::to_string(run.rows_skipped) +
      ", " + std::to_string(run.rows_rejected) + ", 0, " + quote_literal(run.issues) + ") RETURNING id");

  BulkIndexes bulk(c_, "events");
  const bool empty = bulk.active();
  const std::string target = empty ? "events" : "stage_events";
  if (!empty) c_.exec("CREATE TEMP TABLE stage_events (LIKE events) ON COMMIT DROP");
  const std::int64_t rid = std::stoll(run_id);
  const LoadProgress progress(context, plan.events.size());
  c_.copy_in(
      "COPY " + target +
          "(user_idx, item_idx, type_idx, ts, occurrence, quantity, value, weight, session_idx, run_id) FROM STDIN",
      rows_of(plan.events, [rid, &progress, written = std::uint64_t{0}](CopyRow r, const PlannedEvent& p) mutable {
        progress.written(++written);
        const Event& e = p.event;
        r.num(e.user).num(e.item).num(e.type).num(e.time).num(p.occurrence);
        r.real(e.quantity).real(e.value).real(e.weight).index(e.session).num(rid).end();
      }));
  LoadResult result;
  result.run_id = rid;
  result.events_added =
      empty ? plan.events.size()
            : std::stoull(c_.exec("INSERT INTO events SELECT * FROM stage_events ON CONFLICT DO NOTHING"));
  bulk.rebuild();
  result.events_already_stored = plan.events.size() - result.events_added;
  result.new_users = static_cast<std::uint32_t>(plan.new_users.size());
  result.new_items = static_cast<std::uint32_t>(plan.new_items.size());
  c_.exec("UPDATE ingestion_runs SET events_added = " + std::to_string(result.events_added) + " WHERE id = " + run_id);
  tx.commit();
  progress.finish();
  return result;
}

AppendResult PostgresStore::append(std::span<const LiveEvent> events) {
  check_live_events(events);
  if (events.empty()) return {append_run_id_, 0, 0, 0, 0, 0};
  try {
    if (!ids_) ids_.emplace();
    return append_in_transaction(events);
  } catch (...) {
    ids_.reset();  // the cache may hold ids the rollback removed
    throw;
  }
}

// Begins the transaction, takes the writers' lock and reads the id rows added since the cache
// was filled. One round trip asks for each table's largest idx (an index probe whatever the
// planner knows of the table); only a table that grew is read, from the cache's size on.
void PostgresStore::begin_and_catch_up_ids() {
  std::string sql = "BEGIN;\n" + std::string(kLockWriters) + ";\nSELECT ";
  for (std::size_t t = 0; t < std::size(kCachedTables); ++t) {
    sql +=
        (t > 0 ? ", " : "") + ("(SELECT COALESCE(max(idx) + 1, 0) FROM " + std::string(kCachedTables[t].table) + ")");
  }
  const Result sizes = c_.query(sql);
  for (std::size_t t = 0; t < std::size(kCachedTables); ++t) {
    IdMap& map = *ids_.*kCachedTables[t].map;
    if (std::stoull(std::string(sizes.at(0, static_cast<int>(t)))) <= map.size()) continue;
    const Result rows = c_.query("SELECT idx, external_id FROM " + std::string(kCachedTables[t].table) +
                                 " WHERE idx >= " + std::to_string(map.size()) + " ORDER BY idx");
    for (int r = 0; r < rows.rows(); ++r) {
      catch_up(map, std::stoull(std::string(rows.at(r, 0))), rows.at(r, 1), url(), kCachedTables[t].table);
    }
  }
}

// One INSERT for all events. Each event's occurrence is the next free one for its key: the
// stored maximum (the statement does not see its own rows) plus its rank among the call's
// events of that key, in call order.
std::string PostgresStore::insert_events_sql(const std::vector<Event>& events, std::int64_t run_id) {
  const auto real = [](float v) { return is_present(v) ? "'" + real_text(v) + "'::real" : std::string("NULL::real"); };
  std::string values;
  for (std::size_t k = 0; k < events.size(); ++k) {
    const Event& e = events[k];
    values += k == 0 ? "(" : ",\n(";
    values += std::to_string(k) + ", " + std::to_string(e.user) + "::bigint, " + std::to_string(e.item) + "::bigint, " +
              std::to_string(e.type) + "::bigint, " + std::to_string(e.time) + "::bigint, " + real(e.quantity) + ", " +
              real(e.value) + ", " + real(e.weight) + ", " +
              (e.session == kNoIndex ? std::string("NULL") : std::to_string(e.session)) + "::bigint)";
  }
  // The feedback log gets a row per event, in the same statement (feedback_after).
  return "WITH ins AS (INSERT INTO events(user_idx, item_idx, type_idx, ts, occurrence, quantity, value, weight, "
         "session_idx, run_id) SELECT n.u, n.i, n.t, n.ts, COALESCE((SELECT max(e.occurrence) + 1 FROM events e WHERE "
         "e.user_idx = n.u AND e.item_idx = n.i AND e.type_idx = n.t AND e.ts = n.ts), 0) + "
         "row_number() OVER (PARTITION BY n.u, n.i, n.t, n.ts ORDER BY n.k) - 1, n.q, n.v, n.w, n.s, " +
         std::to_string(run_id) + " FROM (VALUES " + values +
         ") AS n(k, u, i, t, ts, q, v, w, s) RETURNING run_id, user_idx, item_idx, type_idx, ts, occurrence) "
         "INSERT INTO feedback_log(run_id, user_idx, item_idx, type_idx, ts, occurrence) "
         "SELECT * FROM ins ORDER BY ts, user_idx, item_idx, type_idx, occurrence";
}

// Two round trips (more on a store object's first append, or when another writer added ids):
// BEGIN, the lock and the id tables' sizes; the writes and COMMIT.
AppendResult PostgresStore::append_in_transaction(std::span<const LiveEvent> events) {
  Transaction tx(c_, Transaction::BegunByCaller{});
  begin_and_catch_up_ids();
  const AppendPlan plan = plan_append(events, *ids_);
  const auto now = std::to_string(std::time(nullptr));
  std::int64_t run_id = append_run_id_;
  if (run_id == 0) {
    run_id =
        std::stoll(c_.exec("INSERT INTO ingestion_runs(finished_at, format, files, rows_read, rows_kept, rows_skipped, "
                           "rows_rejected, events_added, issues) VALUES(" +
                           now + ", 'feedback', '', 0, 0, 0, 0, 0, '') RETURNING id"));
  }
  std::string sql;
  const std::vector<NewId>* new_ids[] = {&plan.new_users, &plan.new_items, &plan.new_sessions, &plan.new_event_types};
  for (std::size_t t = 0; t < std::size(kCachedTables); ++t) {
    if (new_ids[t]->empty()) continue;
    sql += "INSERT INTO " + std::string(kCachedTables[t].table) + "(idx, external_id) VALUES ";
    for (const NewId& n : *new_ids[t]) {
      sql += (&n == new_ids[t]->data() ? "(" : ", (") + std::to_string(n.idx) + ", " + c_.literal(n.external_id) + ")";
    }
    sql += ";\n";
  }
  sql += insert_events_sql(plan.events, run_id) + ";\n";
  const std::string added = std::to_string(plan.events.size());
  sql += "UPDATE ingestion_runs SET finished_at = " + now + ", rows_read = rows_read + " + added +
         ", rows_kept = rows_kept + " + added + ", events_added = events_added + " + added +
         " WHERE id = " + std::to_string(run_id) + ";\n";
  // Delivered to listeners when the transaction commits (and only then).
  sql += "NOTIFY " + std::string(kFeedbackChannel) + ", '" + std::to_string(run_id) + "'";
  tx.commit_after(sql);
  append_run_id_ = run_id;
  return {run_id,
          plan.events.size(),
          static_cast<std::uint32_t>(plan.new_users.size()),
          static_cast<std::uint32_t>(plan.new_items.size()),
          static_cast<std::uint32_t>(plan.new_sessions.size()),
          static_cast<std::uint32_t>(plan.new_event_types.size())};
}

float parse_real(const std::optional<std::string>& f) {
  if (!f) return kAbsent;
  const auto v = parse_float(*f);
  if (!v) throw StoreError("unreadable REAL value '" + *f + "' in the store");
  return *v;
}

std::uint32_t parse_index(const std::optional<std::string>& f) {
  return f ? static_cast<std::uint32_t>(std::stoul(*f)) : kNoIndex;
}

EventLog PostgresStore::read() {
  Transaction tx(c_);
  c_.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  EventLog log;
  StoreIds ids = read_all_ids();
  move_ids_into(ids, log);
  std::vector<std::optional<std::string>> f;
  std::vector<CategoryIdx> parents;
  c_.copy_out("SELECT external_id, parent_idx, name FROM categories ORDER BY idx", [&](std::string_view line) {
    parse_copy_row(line, f);
    log.catalog.add_category(*f[0], *f[2]);
    parents.push_back(parse_index(f[1]));
  });
  for (CategoryIdx c = 0; c < parents.size(); ++c) log.catalog.set_parent(c, parents[c]);
  c_.copy_out(
      "SELECT idx, name, brand, price, available, image_url, attributes FROM items "
      "WHERE name IS NOT NULL OR brand IS NOT NULL OR price IS NOT NULL OR available IS NOT NULL "
      "OR image_url IS NOT NULL OR attributes IS NOT NULL ORDER BY idx",
      [&](std::string_view line) {
        parse_copy_row(line, f);
        ItemInfo& info = log.catalog.item(parse_index(f[0]));
        info.name = f[1].value_or("");
        info.brand = f[2].value_or("");
        info.price = parse_real(f[3]);
        info.available = f[4] ? static_cast<Availability>(std::stoi(*f[4])) : Availability::kUnknown;
        info.image_url = f[5].value_or("");
        attributes_from_json(f[6].value_or(""), info);
      });
  c_.copy_out("SELECT item_idx, category_idx FROM item_categories ORDER BY item_idx, position",
              [&](std::string_view line) {
                parse_copy_row(line, f);
                log.catalog.item(parse_index(f[0])).categories.push_back(parse_index(f[1]));
              });
  c_.copy_out(
      "SELECT user_idx, item_idx, type_idx, ts, quantity, value, weight, session_idx FROM events "
      "ORDER BY ts, user_idx, item_idx, type_idx, occurrence",
      [&](std::string_view line) {
        parse_copy_row(line, f);
        Event e;
        e.user = parse_index(f[0]);
        e.item = parse_index(f[1]);
        e.type = parse_index(f[2]);
        e.time = std::stoll(*f[3]);
        e.quantity = parse_real(f[4]);
        e.value = parse_real(f[5]);
        e.weight = parse_real(f[6]);
        e.session = parse_index(f[7]);
        log.events.push_back(e);
      });
  tx.commit();
  return log;
}

std::vector<LiveEvent> PostgresStore::feedback_since(Timestamp since, std::int64_t skip_run, std::int64_t* through) {
  std::vector<LiveEvent> out;
  Transaction tx(c_);
  c_.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");  // the log's end and the events: one snapshot
  if (through != nullptr) *through = std::stoll(c_.exec(kFeedbackLogEndSql));
  if (c_.query(feedback_runs_sql(since, skip_run) + " LIMIT 1").rows() > 0)
    read_feedback(feedback_events_sql(since, skip_run), out);
  tx.commit();
  return out;
}

FollowedFeedback PostgresStore::feedback_after(std::int64_t after, std::int64_t skip_run) {
  FollowedFeedback out;
  // Read committed is enough: every number up to the end read is committed (see event_store.h).
  out.through = std::max<std::int64_t>(after, std::stoll(c_.exec(kFeedbackLogEndSql)));
  if (out.through > after) read_feedback(feedback_after_sql(after, out.through, skip_run), out.events);
  return out;
}

void PostgresStore::read_feedback(const std::string& sql, std::vector<LiveEvent>& out) {
  std::vector<std::optional<std::string>> f;
  c_.copy_out(sql, [&](std::string_view line) {
    parse_copy_row(line, f);
    LiveEvent e;
    e.user = *f[0];
    e.item = *f[1];
    e.type = *f[2];
    e.session = f[3].value_or("");
    e.time = std::stoll(*f[4]);
    e.quantity = parse_real(f[5]);
    e.value = parse_real(f[6]);
    e.weight = parse_real(f[7]);
    out.push_back(std::move(e));
  });
}

std::vector<StoredRun> PostgresStore::runs() {
  std::vector<StoredRun> out;
  std::vector<std::optional<std::string>> f;
  c_.copy_out(
      "SELECT id, finished_at, format, files, rows_read, rows_kept, rows_skipped, rows_rejected, "
      "events_added, issues FROM ingestion_runs ORDER BY id",
      [&](std::string_view line) {
        parse_copy_row(line, f);
        StoredRun r;
        r.id = std::stoll(*f[0]);
        r.finished_at = std::stoll(*f[1]);
        r.run.format = *f[2];
        if (!f[3]->empty()) {
          for (std::string_view file : split(*f[3], "\n")) r.run.files.emplace_back(file);
        }
        r.run.rows_read = std::stoull(*f[4]);
        r.run.rows_kept = std::stoull(*f[5]);
        r.run.rows_skipped = std::stoull(*f[6]);
        r.run.rows_rejected = std::stoull(*f[7]);
        r.events_added = std::stoull(*f[8]);
        r.run.issues = *f[9];
        out.push_back(std::move(r));
      });
  return out;
}

void PostgresStore::log_impressions(std::span<const Impression> impressions) {
  check_impressions(impressions);
  if (impressions.empty()) return;
  Transaction tx(c_);
  c_.copy_in("COPY impressions(" + std::string(kImpressionColumns) + ") FROM STDIN",
             rows_of(impressions, [](CopyRow r, const Impression& m) {
               r.text(m.request_id).text(m.experiment).text(m.arm).text(m.visitor).num(m.anonymous ? 1 : 0);
               r.num(m.time).text(encode_ids(m.items)).text(encode_ids(m.credits)).end();
             }));
  tx.commit();
}

std::vector<Impression> PostgresStore::impressions(std::string_view experiment) {
  std::vector<Impression> out;
  std::vector<std::optional<std::string>> f;
  c_.copy_out("SELECT " + std::string(kImpressionColumns) +
                  " FROM impressions WHERE experiment = " + c_.literal(experiment) + " ORDER BY ts, request_id",
              [&](std::string_view line) {
                parse_copy_row(line, f);
                Impression m;
                m.request_id = *f[0];
                m.experiment = *f[1];
                m.arm = *f[2];
                m.visitor = *f[3];
                m.anonymous = *f[4] != "0";
                m.time = std::stoll(*f[5]);
                m.items = decode_ids(*f[6], url());
                m.credits = decode_ids(*f[7], url());
                out.push_back(std::move(m));
              });
  return out;
}

void PostgresStore::save_experiment(const StoredExperiment& experiment) {
  const auto time_or_null = [](const std::optional<Timestamp>& t) {
    return t ? std::to_string(*t) : std::string("NULL");
  };
  Transaction tx(c_);
  c_.exec("INSERT INTO experiments(name, definition, started_at, stopped_at) VALUES(" + c_.literal(experiment.name) +
          ", " + c_.literal(experiment.definition) + ", " + time_or_null(experiment.started_at) + ", " +
          time_or_null(experiment.stopped_at) +
          ") ON CONFLICT(name) DO UPDATE SET definition = EXCLUDED.definition, started_at = EXCLUDED.started_at, "
          "stopped_at = EXCLUDED.stopped_at");
  tx.commit();
}

std::vector<StoredExperiment> PostgresStore::experiments() {
  std::vector<StoredExperiment> out;
  std::vector<std::optional<std::string>> f;
  c_.copy_out("SELECT name, definition, started_at, stopped_at FROM experiments ORDER BY name",
              [&](std::string_view line) {
                parse_copy_row(line, f);
                StoredExperiment e;
                e.name = *f[0];
                e.definition = *f[1];
                if (f[2]) e.started_at = std::stoll(*f[2]);
                if (f[3]) e.stopped_at = std::stoll(*f[3]);
                out.push_back(std::move(e));
              });
  return out;
}

std::int64_t PostgresStore::publish_model(std::string_view spec, std::string_view bytes) {
  Transaction tx(c_);
  c_.exec(kLockWriters);
  const std::string version = c_.exec("SELECT COALESCE(MAX(version), 0) + 1 FROM models");
  c_.query_binary("INSERT INTO models(version, spec, created_at, size, bytes) VALUES(" + version + ", $1, " +
                      std::to_string(std::time(nullptr)) + ", " + std::to_string(bytes.size()) + ", $2)",
                  {spec, bytes});
  c_.exec("NOTIFY " + std::string(kModelsChannel) + ", '" + version + "'");
  tx.commit();
  return std::stoll(version);
}

std::int64_t PostgresStore::latest_model_version() {
  return std::stoll(c_.exec("SELECT COALESCE(MAX(version), 0) FROM models"));
}

StoredModel PostgresStore::read_model(std::int64_t version) {
  const Result r = c_.query_binary(
      "SELECT spec, created_at::text, bytes FROM models WHERE version = " + std::to_string(version), {});
  if (r.rows() == 0) throw StoreError(url() + ": no published model of version " + std::to_string(version));
  return {version, std::string(r.at(0, 0)), std::stoll(std::string(r.at(0, 1))), std::string(r.at(0, 2))};
}

// Recommendation batches. Completions take their own advisory lock (numbers in order); writers
// hold their batch's row FOR SHARE, so a completion waits for the writes in flight.
constexpr const char* kLockCompletions = "SELECT pg_advisory_xact_lock(7311902)";

// A batch row (kBatchColumns) from field `first` on.
RecommendationBatch batch_of(const Result& r, int row, int first = 0) {
  RecommendationBatch b;
  b.version = r.at(row, first);
  b.model = r.at(row, first + 1);
  b.k = static_cast<std::uint32_t>(std::stoul(std::string(r.at(row, first + 2))));
  b.created_at = std::stoll(std::string(r.at(row, first + 3)));
  if (!PQgetisnull(r.raw(), row, first + 4)) b.completed_at = std::stoll(std::string(r.at(row, first + 4)));
  b.users = std::stoull(std::string(r.at(row, first + 5)));
  b.row_count = std::stoull(std::string(r.at(row, first + 6)));
  return b;
}

void PostgresStore::begin_recommendations(const RecommendationBatch& batch) {
  check_batch(batch);
  const std::string v = c_.literal(batch.version);
  Transaction tx(c_);
  c_.exec("INSERT INTO recommendation_batches(" + std::string(kBatchColumns) + ", completion) VALUES(" + v + ", " +
          c_.literal(batch.model) + ", " + std::to_string(batch.k) + ", " + std::to_string(std::time(nullptr)) +
          ", NULL, 0, 0, NULL) ON CONFLICT(version) DO UPDATE SET model = EXCLUDED.model, k = EXCLUDED.k, "
          "created_at = EXCLUDED.created_at, completed_at = NULL, completion = NULL, users = 0, row_count = 0");
  c_.exec("DELETE FROM recommendations WHERE version = " + v);
  tx.commit();
}

void PostgresStore::write_recommendations(std::string_view version, std::span<const UserRecommendations> lists) {
  check_batch_version(version);
  check_recommendation_lists(lists);
  Transaction tx(c_);
  const Result state = c_.query(
      "SELECT completion IS NULL FROM recommendation_batches WHERE version = " + c_.literal(version) + " FOR SHARE");
  if (state.rows() == 0)
    throw StoreError(url() + ": recommendation batch '" + std::string(version) + "' was not begun");
  if (state.at(0, 0) != "t") {
    throw StoreError(url() + ": recommendation batch '" + std::string(version) + "' is complete; begin it again");
  }
  struct Row {
    const std::string* user;
    std::size_t position;
    const StoredRecommendation* item;
  };
  std::vector<Row> rows;
  for (const UserRecommendations& list : lists) {
    for (std::size_t p = 0; p < list.items.size(); ++p) rows.push_back({&list.user, p, &list.items[p]});
  }
  c_.copy_in("COPY recommendations(version, user_id, position, item_id, score) FROM STDIN",
             rows_of(rows, [version](CopyRow r, const Row& row) {
               r.text(version).text(*row.user).num(static_cast<std::int64_t>(row.position));
               r.text(row.item->item).real(row.item->score).end();
             }));
  tx.commit();
}

RecommendationBatch PostgresStore::complete_recommendations(std::string_view version) {
  check_batch_version(version);
  const std::string v = c_.literal(version);
  Transaction tx(c_);
  c_.exec(kLockCompletions);
  const Result done =
      c_.query(complete_batch_sql(v, std::to_string(std::time(nullptr))) + " RETURNING " + std::string(kBatchColumns));
  if (done.rows() != 1) {
    throw StoreError(url() + ": recommendation batch '" + std::string(version) + "' was not begun or is complete");
  }
  RecommendationBatch batch = batch_of(done, 0);
  tx.commit();
  return batch;
}

std::optional<StoredList> PostgresStore::stored_recommendations(std::string_view user, std::string_view version) {
  const Result r = c_.query(stored_list_sql(version.empty() ? "" : c_.literal(version), c_.literal(user)));
  std::optional<StoredList> out;
  for (int row = 0; row < r.rows(); ++row) {
    if (!out) out = StoredList{batch_of(r, row), {}};
    if (PQgetisnull(r.raw(), row, 7)) continue;
    out->items.push_back({std::string(r.at(row, 8)), parse_real(std::string(r.at(row, 9)))});
  }
  return out;
}

std::vector<RecommendationBatch> PostgresStore::recommendation_batches() {
  const Result r = c_.query("SELECT " + std::string(kBatchColumns) +
                            " FROM recommendation_batches ORDER BY created_at DESC, version");
  std::vector<RecommendationBatch> out;
  for (int row = 0; row < r.rows(); ++row) out.push_back(batch_of(r, row));
  return out;
}

}  // namespace

std::unique_ptr<EventStore> open_postgres_store(const std::string& url) {
  return std::make_unique<PostgresStore>(url);
}

}  // namespace aisle
