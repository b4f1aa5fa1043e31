// The event store: where ingested logs live. Two real backends behind one URL:
//   sqlite:PATH               embedded, WAL journal (default: sqlite:aisle.db)
//   postgresql://... (or postgres://...)   libpq, bulk load with COPY
// Both use the same schema (docs/STORE.md): users, items, sessions, event_types, categories,
// item_categories, events and ingestion_runs.
//
// Contracts:
// - load() is one transaction: on any error the store is left exactly as it was.
// - Loading the same events again adds nothing. An event's key is (user, item, type, time,
//   occurrence), where occurrence numbers identical (user, item, type, time) events within one
//   load in file order; so a file loaded twice, or two overlapping exports, are not duplicated,
//   while genuinely repeated rows of one file are all kept.
// - read() gives back the stored events bit for bit (floats exactly, absent as absent) in
//   canonical order (time, user, item, type, occurrence), with the id maps and the catalog.
// - Indices are the store's own: external ids get dense indices in order of first load.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "aisle/core/run_context.h"
#include "aisle/data/event_log.h"

namespace aisle {

// What the caller knows about a load; recorded in ingestion_runs.
struct IngestionRun {
  std::string format;
  std::vector<std::string> files;
  std::uint64_t rows_read = 0, rows_kept = 0, rows_skipped = 0, rows_rejected = 0;
  std::string issues;  // free text (the CLI stores a JSON summary of rejects)
};

struct LoadResult {
  std::int64_t run_id = 0;
  std::uint64_t events_added = 0;
  std::uint64_t events_already_stored = 0;
  std::uint32_t new_users = 0, new_items = 0;
};

struct StoredRun {
  std::int64_t id = 0;
  Timestamp finished_at = 0;
  IngestionRun run;
  std::uint64_t events_added = 0;
};

class EventStore {
 public:
  virtual ~EventStore() = default;
  // `context.progress`, when set, hears of the events written (stage "store").
  virtual LoadResult load(const EventLog& log, const IngestionRun& run, const RunContext& context = {}) = 0;
  virtual EventLog read() = 0;
  virtual std::vector<StoredRun> runs() = 0;
  const std::string& url() const { return url_; }

 protected:
  explicit EventStore(std::string url) : url_(std::move(url)) {}

 private:
  std::string url_;
};

// kCreate makes a missing store (SQLite file, schema tables); kExisting refuses a SQLite file that
// is not there, so that a mistyped path in a read-only command is an error, not an empty store.
enum class OpenMode { kCreate, kExisting };

// Opens the store at url. Throws ConfigError for a URL of no known scheme and StoreError when
// the store cannot be opened, is missing (kExisting) or has another schema version.
std::unique_ptr<EventStore> open_store(const std::string& url, OpenMode mode = OpenMode::kCreate);

inline constexpr int kStoreSchemaVersion = 1;

}  // namespace aisle
