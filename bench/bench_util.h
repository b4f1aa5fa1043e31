// Small helpers every benchmark program shares: wall time, settings from the environment, peak
// memory, reading a log into pairs.
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <cstdlib>
#include <span>
#include <string>

#include "aisle/data/interactions.h"
#include "aisle/data/readers/reader.h"

namespace aisle::bench {

inline double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The environment variable `name` as an integer, `fallback` when unset.
inline int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::atoi(v) : fallback;
}

inline std::string env_text(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : fallback;
}

// The process's peak resident memory so far, MiB.
inline double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// The events of `files` (format `format`, default read options) into `log`, aggregated into
// pairs with the default event weights.
inline aisle::Interactions read_pairs(const std::string& format, std::span<const std::string> files,
                                      aisle::EventLog& log) {
  ReadOptions options;
  read_files(format, files, options, log);
  return aggregate(log.events, options.weighting.resolve(log.event_types), log.users.size(), log.items.size());
}

}  // namespace aisle::bench
