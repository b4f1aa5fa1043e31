// Where interactions come from: the store, or event files of any known format. One loader for
// every command that reads them (train, evaluate, split, tune) and for the server, and the one
// place the store URL falls back to the configuration's.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "aisle/config/config.h"
#include "aisle/data/event_log.h"
#include "aisle/data/interactions.h"

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

}  // namespace aisle
