// Where interactions come from: the store, or event files of any known format. One loader for
// every command that reads them (train, evaluate, split, tune) and for the server, and the one
// place the store URL falls back to the configuration's.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aisle/config/config.h"
#include "aisle/data/event_log.h"
#include "aisle/data/interactions.h"
#include "aisle/data/sequences.h"

namespace aisle {

struct DataSource {
  std::string store;                // store URL; empty: the configuration's store.url
  std::vector<std::string> events;  // files to read instead of the store
  std::string format = "csv";       // of `events` (csv reads the exchange format as is)
};

struct LoadedEvents {
  EventLog log;
  std::string description;  // the store URL or the file names
  std::uint64_t rejected_rows = 0;
  Timestamp read_at = 0;  // unix seconds when reading began: every event committed before is in `log`
  // Of `events`: the SHA-256 of each file's content (a data set's fingerprint), when asked for.
  std::vector<std::pair<std::string, std::string>> file_sha256;
};

// `given` when set, else the configuration's store.url.
std::string store_url(const std::string& given, const Config& config);

// Reads the source's events with `options` (the readers' settings; strict makes any rejected row
// fail). Throws ConfigError when both a store and files are given, InputError when nothing is
// there to read, StoreError for a store that cannot be read.
LoadedEvents load_events(const DataSource& source, const Config& config, const ReadOptions& options,
                         bool fingerprint = false);

// The log's user-item pairs under the configuration's weights.
Interactions pairs_of(const EventLog& log, const Config& config);

// The recommender fitted when none is named: the configuration's model.spec, else the built-in
// default for `num_items` items (default_model_spec). Throws ConfigError for a bad model.spec.
std::string default_spec(const Config& config, std::uint32_t num_items);

// Whether a model of `spec` learns from the order of events (Recommender::learns_from_sequences;
// a pipeline does when a member does). Throws ConfigError for a bad spec.
bool learns_from_sequences(std::string_view spec);

// How the events of `source` become sequences: the configuration's session gap and seed; events
// of one session at the same second keep the files' order for the sessions format (its files are
// sorted more finely than seconds), a seeded order otherwise (a store reads back in id order).
SequenceOptions sequence_options(const DataSource& source, const Config& config);

// The log's events as sequences (build_sequences; every event, whatever its type's weight) when a
// model of `spec` learns from order; nullopt for any other model, which never reads them: they
// take 16 bytes an event, twice that while built (docs/PERFORMANCE.md). Users and items are
// indexed by the log's id maps, as in pairs_of(log, config).
std::optional<Sequences> sequences_for(std::string_view spec, const EventLog& log, const SequenceOptions& options);

}  // namespace aisle
