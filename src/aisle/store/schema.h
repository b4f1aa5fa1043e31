// The store schema, one statement list per backend; the tables and columns are the same
// (docs/STORE.md). Bump kStoreSchemaVersion (event_store.h) on any change.
#pragma once

#include <string_view>

namespace aisle::schema {

// Statements are separated by ";\n" and idempotent (IF NOT EXISTS).
inline constexpr std::string_view kSqlite = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users(idx INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS sessions(idx INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS event_types(idx INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS categories(idx INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE,
  parent_idx INTEGER, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items(idx INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE,
  name TEXT, brand TEXT, price REAL, available INTEGER, image_url TEXT, attributes TEXT);
CREATE TABLE IF NOT EXISTS item_categories(item_idx INTEGER NOT NULL, position INTEGER NOT NULL,
  category_idx INTEGER NOT NULL, PRIMARY KEY(item_idx, position)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events(user_idx INTEGER NOT NULL, item_idx INTEGER NOT NULL,
  type_idx INTEGER NOT NULL, ts INTEGER NOT NULL, occurrence INTEGER NOT NULL,
  quantity REAL, value REAL, weight REAL, session_idx INTEGER, run_id INTEGER NOT NULL,
  PRIMARY KEY(user_idx, item_idx, type_idx, ts, occurrence)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ingestion_runs(id INTEGER PRIMARY KEY, finished_at INTEGER NOT NULL,
  format TEXT NOT NULL, files TEXT NOT NULL, rows_read INTEGER NOT NULL, rows_kept INTEGER NOT NULL,
  rows_skipped INTEGER NOT NULL, rows_rejected INTEGER NOT NULL, events_added INTEGER NOT NULL,
  issues TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS impressions(request_id TEXT PRIMARY KEY, experiment TEXT NOT NULL,
  arm TEXT NOT NULL, visitor TEXT NOT NULL, anonymous INTEGER NOT NULL, ts INTEGER NOT NULL,
  items TEXT NOT NULL, credits TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS impressions_by_experiment ON impressions(experiment, ts);
CREATE TABLE IF NOT EXISTS experiments(name TEXT PRIMARY KEY, definition TEXT NOT NULL,
  started_at INTEGER, stopped_at INTEGER);
CREATE TABLE IF NOT EXISTS feedback_log(seq INTEGER PRIMARY KEY, run_id INTEGER NOT NULL,
  user_idx INTEGER NOT NULL, item_idx INTEGER NOT NULL, type_idx INTEGER NOT NULL, ts INTEGER NOT NULL,
  occurrence INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS models(version INTEGER PRIMARY KEY, spec TEXT NOT NULL, created_at INTEGER NOT NULL,
  size INTEGER NOT NULL, bytes BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS recommendation_batches(version TEXT PRIMARY KEY, model TEXT NOT NULL,
  k INTEGER NOT NULL, created_at INTEGER NOT NULL, completed_at INTEGER, completion INTEGER,
  users INTEGER NOT NULL, row_count INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS recommendations(version TEXT NOT NULL, user_id TEXT NOT NULL,
  position INTEGER NOT NULL, item_id TEXT NOT NULL, score REAL NOT NULL,
  PRIMARY KEY(version, user_id, position)) WITHOUT ROWID
)sql";

inline constexpr std::string_view kPostgres = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users(idx BIGINT NOT NULL, external_id TEXT COLLATE "C" NOT NULL,
  CONSTRAINT users_pkey PRIMARY KEY(idx), CONSTRAINT users_external_id_key UNIQUE(external_id));
CREATE TABLE IF NOT EXISTS sessions(idx BIGINT NOT NULL, external_id TEXT COLLATE "C" NOT NULL,
  CONSTRAINT sessions_pkey PRIMARY KEY(idx), CONSTRAINT sessions_external_id_key UNIQUE(external_id));
CREATE TABLE IF NOT EXISTS event_types(idx BIGINT PRIMARY KEY, external_id TEXT COLLATE "C" NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS categories(idx BIGINT PRIMARY KEY, external_id TEXT COLLATE "C" NOT NULL UNIQUE,
  parent_idx BIGINT, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items(idx BIGINT NOT NULL, external_id TEXT COLLATE "C" NOT NULL,
  name TEXT, brand TEXT, price REAL, available SMALLINT, image_url TEXT, attributes TEXT,
  CONSTRAINT items_pkey PRIMARY KEY(idx), CONSTRAINT items_external_id_key UNIQUE(external_id));
CREATE TABLE IF NOT EXISTS item_categories(item_idx BIGINT NOT NULL, position INTEGER NOT NULL,
  category_idx BIGINT NOT NULL, PRIMARY KEY(item_idx, position));
CREATE TABLE IF NOT EXISTS events(user_idx BIGINT NOT NULL, item_idx BIGINT NOT NULL,
  type_idx BIGINT NOT NULL, ts BIGINT NOT NULL, occurrence INTEGER NOT NULL,
  quantity REAL, value REAL, weight REAL, session_idx BIGINT, run_id BIGINT NOT NULL,
  CONSTRAINT events_pkey PRIMARY KEY(user_idx, item_idx, type_idx, ts, occurrence));
CREATE TABLE IF NOT EXISTS ingestion_runs(id BIGSERIAL PRIMARY KEY, finished_at BIGINT NOT NULL,
  format TEXT NOT NULL, files TEXT NOT NULL, rows_read BIGINT NOT NULL, rows_kept BIGINT NOT NULL,
  rows_skipped BIGINT NOT NULL, rows_rejected BIGINT NOT NULL, events_added BIGINT NOT NULL,
  issues TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS impressions(request_id TEXT COLLATE "C" PRIMARY KEY, experiment TEXT COLLATE "C" NOT NULL,
  arm TEXT COLLATE "C" NOT NULL, visitor TEXT COLLATE "C" NOT NULL, anonymous SMALLINT NOT NULL, ts BIGINT NOT NULL,
  items TEXT NOT NULL, credits TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS impressions_by_experiment ON impressions(experiment, ts);
CREATE TABLE IF NOT EXISTS experiments(name TEXT COLLATE "C" PRIMARY KEY, definition TEXT NOT NULL,
  started_at BIGINT, stopped_at BIGINT);
CREATE TABLE IF NOT EXISTS feedback_log(seq BIGSERIAL PRIMARY KEY, run_id BIGINT NOT NULL,
  user_idx BIGINT NOT NULL, item_idx BIGINT NOT NULL, type_idx BIGINT NOT NULL, ts BIGINT NOT NULL,
  occurrence INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS models(version BIGINT PRIMARY KEY, spec TEXT NOT NULL, created_at BIGINT NOT NULL,
  size BIGINT NOT NULL, bytes BYTEA NOT NULL);
CREATE TABLE IF NOT EXISTS recommendation_batches(version TEXT COLLATE "C" PRIMARY KEY, model TEXT NOT NULL,
  k INTEGER NOT NULL, created_at BIGINT NOT NULL, completed_at BIGINT, completion BIGINT,
  users BIGINT NOT NULL, row_count BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS recommendations(version TEXT COLLATE "C" NOT NULL, user_id TEXT COLLATE "C" NOT NULL,
  position INTEGER NOT NULL, item_id TEXT COLLATE "C" NOT NULL, score REAL NOT NULL,
  PRIMARY KEY(version, user_id, position))
)sql";

// The versions a store may have and still be opened: older ones are upgraded in place (the
// statements above create what they lack), then their meta row says kStoreSchemaVersion.
inline constexpr int kOldestUpgradableVersion = 1;

// PostgreSQL constraints that a load into an empty table drops and rebuilds in bulk (one sort
// instead of a B-tree insert per row): table, constraint name, definition.
struct BulkConstraint {
  std::string_view table, name, definition;
};
inline constexpr BulkConstraint kPostgresBulkConstraints[] = {
    {"users", "users_pkey", "PRIMARY KEY(idx)"},
    {"users", "users_external_id_key", "UNIQUE(external_id)"},
    {"items", "items_pkey", "PRIMARY KEY(idx)"},
    {"items", "items_external_id_key", "UNIQUE(external_id)"},
    {"sessions", "sessions_pkey", "PRIMARY KEY(idx)"},
    {"sessions", "sessions_external_id_key", "UNIQUE(external_id)"},
    {"events", "events_pkey", "PRIMARY KEY(user_idx, item_idx, type_idx, ts, occurrence)"},
};

// Tables holding an external-id map (idx, external_id), in the order of StoreIds' members.
inline constexpr std::string_view kIdTables[] = {"users", "items", "sessions", "event_types", "categories"};

}  // namespace aisle::schema
