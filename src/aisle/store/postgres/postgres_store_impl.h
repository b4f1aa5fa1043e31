// The PostgreSQL store's class, shared by its files: postgres_store.cpp (open, schema, load,
// read, runs), postgres_feedback.cpp (append and the feedback reads), postgres_experiments.cpp
// (impressions, experiments) and postgres_published.cpp (published models, recommendation
// batches).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aisle/core/text.h"
#include "aisle/store/append_plan.h"
#include "aisle/store/event_store.h"
#include "aisle/store/experiment_rows.h"
#include "aisle/store/load_plan.h"
#include "aisle/store/postgres/connection.h"
#include "aisle/store/schema.h"

namespace aisle::pg {

// Held (transaction-scoped) by every transaction that writes ids or events: loads and appends
// queue instead of interleaving.
inline constexpr const char* kLockWriters = "SELECT pg_advisory_xact_lock(7311901)";

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
  StorePart read_part(std::uint32_t part, std::uint32_t parts, bool with_catalog) override;
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
  // read() and read_part(), inside their transaction.
  void read_catalog(Catalog& catalog);
  void read_events(std::uint32_t part, std::uint32_t parts, std::vector<Event>& out);
  AppendResult append_in_transaction(std::span<const LiveEvent> events);
  void begin_and_catch_up_ids();
  std::string insert_events_sql(const std::vector<Event>& events, std::int64_t run_id);
  // Appends the rows of a query with feedback_events_sql's columns.
  void read_feedback(const std::string& sql, std::vector<LiveEvent>& out);

  Connection c_;
  std::optional<IdCache> ids_;      // append()'s cache of the id tables
  std::int64_t append_run_id_ = 0;  // 0 until an append committed
};

// A REAL field of a text-format row (absent for NULL); StoreError when it does not parse.
float parse_real(const std::optional<std::string>& f);
// An index field of a text-format row (kNoIndex for NULL).
std::uint32_t parse_index(const std::optional<std::string>& f);

}  // namespace aisle::pg
