// The SQLite store's class, shared by its files: sqlite_store.cpp (open, schema, load, read,
// runs), sqlite_feedback.cpp (append and the feedback reads), sqlite_experiments.cpp
// (impressions, experiments) and sqlite_published.cpp (published models, recommendation batches).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aisle/store/append_plan.h"
#include "aisle/store/event_store.h"
#include "aisle/store/experiment_rows.h"
#include "aisle/store/load_plan.h"
#include "aisle/store/schema.h"
#include "aisle/store/sqlite/statement.h"

namespace aisle::sqlite {

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
  // read() and read_part(), inside their snapshot.
  void read_catalog(Catalog& catalog);
  void read_events(std::uint32_t part, std::uint32_t parts, std::vector<Event>& out);
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

}  // namespace aisle::sqlite
