// The event store: where ingested logs live. Two real backends behind one URL:
//   sqlite:PATH               embedded, WAL journal (default: sqlite:aisle.db)
//   postgresql://... (or postgres://...)   libpq, bulk load with COPY
// Both use the same schema (docs/STORE.md): users, items, sessions, event_types, categories,
// item_categories, events and ingestion_runs; impressions and experiments for online experiments;
// feedback_log, the order in which appended events were committed (feedback_after); models,
// model files published for servers; recommendation_batches and recommendations for lists
// computed ahead of requests.
//
// Contracts:
// - load() is one transaction: on any error the store is left exactly as it was.
// - Loading the same events again adds nothing. An event's key is (user, item, type, time,
//   occurrence), where occurrence numbers identical (user, item, type, time) events within one
//   load in file order; so a file loaded twice, or two overlapping exports, are not duplicated,
//   while genuinely repeated rows of one file are all kept.
// - read() gives back the stored events bit for bit (floats exactly, absent as absent) in
//   canonical order (time, user, item, type, occurrence), with the id maps and the catalog.
// - Indices are the store's own: external ids get dense indices in order of first load (or
//   append); an id keeps its index forever.
// - append() writes live events (one transaction per call, each event its own new row); see
//   there. Loads and appends may run at the same time, from other processes too: each takes
//   the store's write lock (SQLite's, or a PostgreSQL advisory lock) for its transaction.
// - An EventStore object is used from one thread at a time: it holds one connection and, once
//   append() was called, a cache of the id maps. Open one per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
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

// One live event in external ids, as a feedback request carries it.
struct LiveEvent {
  std::string user, item;
  std::string type;     // canonical event-type name (canonical_event_type in weighting.h)
  std::string session;  // "" when the event has none
  Timestamp time = 0;   // UTC seconds
  float quantity = kAbsent, value = kAbsent, weight = kAbsent;  // as in Event; NaN = absent
};

struct AppendResult {
  std::int64_t run_id = 0;         // the ingestion_runs row of this store object's appends
  std::uint64_t events_added = 0;  // always the number of events given
  std::uint32_t new_users = 0, new_items = 0, new_sessions = 0, new_event_types = 0;
};

// One list served to a visitor in an online experiment (serve/experiments.h; docs/EXPERIMENTS.md).
struct Impression {
  std::string request_id;  // unique per served list
  std::string experiment;
  std::string arm;      // the arm that served it; "" for an interleaved list (see credits)
  std::string visitor;  // the user id, or the session id of an anonymous visitor
  bool anonymous = false;
  Timestamp time = 0;                // UTC seconds
  std::vector<std::string> items;    // external ids, in list order
  std::vector<std::string> credits;  // interleaving: the arm each item came from; else empty
};

// An experiment's definition (JSON, as the admin route takes it) and its start and stop, as the
// server's admin routes left them.
struct StoredExperiment {
  std::string name, definition;
  std::optional<Timestamp> started_at, stopped_at;
};

// Batch recommendations: one user's list of a batch, best first (external ids, as the model's
// recommend answered them).
struct StoredRecommendation {
  std::string item;
  float score = 0;
  friend bool operator==(const StoredRecommendation&, const StoredRecommendation&) = default;
};
struct UserRecommendations {
  std::string user;
  std::vector<StoredRecommendation> items;
  friend bool operator==(const UserRecommendations&, const UserRecommendations&) = default;
};

// A batch of lists, named by its version (the model's identity; cli/cmd_batch.cpp).
struct RecommendationBatch {
  std::string version;
  std::string model;  // the model's spec, for people
  std::uint32_t k = 0;
  Timestamp created_at = 0;                // when begin_recommendations ran (UTC seconds)
  std::optional<Timestamp> completed_at;   // absent while the batch is being written
  std::uint64_t users = 0, row_count = 0;  // users with a list and rows, counted at completion
};

// One user's list from a complete batch; `items` is empty when the batch holds none for the user.
struct StoredList {
  RecommendationBatch batch;
  std::vector<StoredRecommendation> items;
};

// One part of the store's events (EventStore::read_part).
struct StorePart {
  EventLog log;  // the part's events; every id (the store's indices); the catalog when asked
  // The number of events in the whole store (all parts) in the same snapshot. The store only
  // grows (events and ids are never deleted or changed), so two reads that give the same count
  // and the same id-map sizes read the same state: parts read on several connections are parts
  // of one snapshot exactly when these agree.
  std::uint64_t events_stored = 0;
};

struct StoredRun {
  std::int64_t id = 0;
  Timestamp finished_at = 0;
  IngestionRun run;
  std::uint64_t events_added = 0;
};

// What feedback_after() read: events in log order and the log position they end at.
struct FollowedFeedback {
  std::vector<LiveEvent> events;
  std::int64_t through = 0;
};

// A model file published to the store (EventStore::publish_model): its bytes exactly as
// save_model wrote them (the file checks itself: magic, format version, checksum).
struct StoredModel {
  std::int64_t version = 0;
  std::string spec;
  Timestamp created_at = 0;  // UTC seconds
  std::string bytes;
};

class EventStore {
 public:
  virtual ~EventStore() = default;
  // `context.progress`, when set, hears of the events written (stage "store").
  virtual LoadResult load(const EventLog& log, const IngestionRun& run, const RunContext& context = {}) = 0;
  // Live feedback. Writes events as new rows in ONE transaction: all of them are committed when
  // it returns, or none is (it throws and the store is as it was). Every event becomes its own
  // row, never merged with an identical stored one: its occurrence is 1 + the largest stored
  // for its (user, item, type, time) (0 for the first), so equal events in one call or in
  // several are all kept. A later load() keeps its rule: a file's k-th copy of an event is taken
  // as stored when the store holds at least k copies, appended or loaded. New external ids get the next
  // indices, as in load(). Event types are stored as given (the caller canonicalizes them).
  //
  // Durability on return: SQLite (WAL, synchronous=NORMAL) survives a crash or kill -9 of the
  // process, but a power loss or OS crash may lose the commits since the WAL was last synced
  // (at a checkpoint; docs/STORE.md), the store staying consistent; PostgreSQL
  // (synchronous_commit on by default) survives both. A StoreError
  // from a PostgreSQL connection lost during COMMIT cannot tell whether the commit happened.
  //
  // The first call reads the user, item, session and event-type tables into a cache kept by
  // this object; each call then reads only the ids other writers (a concurrent `aisle ingest`,
  // another store object) added since, inside its transaction under the write lock, and
  // inserts only its new ids. So a call costs O(its events + ids added by others), and waits
  // while another load or append holds the lock (SQLite: up to its 10 s busy timeout, then
  // StoreError; PostgreSQL: until that one ends). A failed call drops the cache (it is read
  // again on the next call).
  //
  // The appends of one store object share one ingestion_runs row (format "feedback", no
  // files), created by its first append; each append adds its events to the row's counts and
  // sets finished_at, in the same transaction.
  //
  // Throws InputError (before touching the store) when an event has an empty user, item or
  // type, an id that is not valid UTF-8 or holds a NUL byte, or an infinite float; StoreError
  // when the store refuses the write.
  virtual AppendResult append(std::span<const LiveEvent> events) = 0;
  // The events of feedback runs (append()'s) that were appended to at or after `since` (their
  // finished_at), except run `skip_run` (0: none), oldest first (time, run, occurrence). A run
  // is taken whole: it may hold events older than `since` too. What a server replays into its
  // live history from the feedback its model has not learnt. Costs one scan of the events when
  // such a run exists, nothing more otherwise.
  //
  // `through`, when given, gets the feedback log's position (feedback_after) of the same
  // snapshot: a follower that continues from it sees each later event exactly once.
  virtual std::vector<LiveEvent> feedback_since(Timestamp since, std::int64_t skip_run = 0,
                                                std::int64_t* through = nullptr) = 0;
  // Following the feedback of other processes (several servers on one store). Every appended
  // event also gets a row in the feedback log with a sequence number; sequence numbers rise in
  // commit order (appends hold the store's write lock until they commit), so once a number is
  // visible every smaller one is committed or never will be. Returns the events logged after
  // `after` (up to the log's end when read) except run `skip_run`'s, in log order (appends in
  // commit order; the events of one append in its order on SQLite, by time on PostgreSQL), and that end
  // (`after` when nothing was logged since). Costs an index probe when nothing is new.
  virtual FollowedFeedback feedback_after(std::int64_t after, std::int64_t skip_run) = 0;
  virtual EventLog read() = 0;
  // The events of the users whose index % parts == part, for a distributed fit whose ranks each
  // query their part (app/distributed_data.h): in read()'s order (so every user's events in the
  // same order as there), with read()'s id maps whole (so indices are the store's, on every
  // part) and, when `with_catalog`, its catalog (else an empty one). One snapshot. The parts
  // 0..parts-1 of one state of the store are disjoint and together are read()'s events.
  // Requires part < parts.
  virtual StorePart read_part(std::uint32_t part, std::uint32_t parts, bool with_catalog) = 0;
  virtual std::vector<StoredRun> runs() = 0;

  // Online experiments. log_impressions writes them in one transaction (all or none; durable on
  // return as append()'s events); a request id already stored is a StoreError. impressions() is
  // one experiment's, by time then request id.
  virtual void log_impressions(std::span<const Impression> impressions) = 0;
  virtual std::vector<Impression> impressions(std::string_view experiment) = 0;
  // Inserts or replaces the experiment of that name; experiments() lists them by name.
  virtual void save_experiment(const StoredExperiment& experiment) = 0;
  virtual std::vector<StoredExperiment> experiments() = 0;

  // Published models, for servers that load theirs from the store (serve.model_source =
  // "store"). publish_model stores a model file's bytes as the next version (1, 2, ...; under
  // the store's write lock, so versions rise in commit order without gaps), notifies
  // kModelsChannel on PostgreSQL and returns the version. latest_model_version() is 0 when none
  // was published; read_model throws StoreError for a version that is not there.
  virtual std::int64_t publish_model(std::string_view spec, std::string_view bytes) = 0;
  virtual std::int64_t latest_model_version() = 0;
  virtual StoredModel read_model(std::int64_t version) = 0;

  // Batch recommendations (docs/STORE.md, "Recommendation batches"). A batch is written as:
  // begin_recommendations once, then write_recommendations from any number of processes (each
  // call one transaction; they may run at the same time), then complete_recommendations once all
  // writers have returned. Readers see only complete batches, so a half-written batch is never
  // answered from.
  //
  // Starts (or restarts) the batch `batch.version` with its model and k, in one transaction:
  // any rows of an earlier batch of that version are deleted and it is no longer complete.
  // Throws InputError for an empty version or a k of 0.
  virtual void begin_recommendations(const RecommendationBatch& batch) = 0;
  // Adds users' lists to the begun, incomplete batch `version`, in one transaction (all or none).
  // StoreError when the batch was not begun or is complete, or a user already has a list in it;
  // InputError (before touching the store) for an empty user or item id.
  virtual void write_recommendations(std::string_view version, std::span<const UserRecommendations> lists) = 0;
  // Marks the batch complete (one transaction; it counts its users and rows) and returns it. From
  // then on it is the newest complete batch, until another completes. StoreError when it was
  // not begun or is already complete.
  virtual RecommendationBatch complete_recommendations(std::string_view version) = 0;
  // `user`'s list in the newest complete batch (`version` empty) or in the complete batch
  // `version`; nullopt when there is no such complete batch. One consistent read.
  virtual std::optional<StoredList> stored_recommendations(std::string_view user, std::string_view version = {}) = 0;
  // Every batch, complete or not, newest begun first.
  virtual std::vector<RecommendationBatch> recommendation_batches() = 0;

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

// Version 2 added the experiment tables, version 3 the feedback log, published models and
// recommendation batches; older stores are upgraded in place when opened.
inline constexpr int kStoreSchemaVersion = 3;

// The PostgreSQL NOTIFY channel of appends (payload: the run id). SQLite has none: followers poll.
inline constexpr const char* kFeedbackChannel = "aisle_feedback";
// The PostgreSQL NOTIFY channel of publish_model (payload: the version).
inline constexpr const char* kModelsChannel = "aisle_models";

}  // namespace aisle
