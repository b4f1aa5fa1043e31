// aisle.toml: every setting in one file. The key table in config.cpp is the single source of
// truth: it drives parsing, validation (unknown keys are an error naming file:line) and the
// reference printed by `aisle config` (docs/CONFIG.md is generated from it).
#pragma once

#include <string>

#include "aisle/data/readers/reader.h"
#include "aisle/data/weighting.h"

namespace aisle {

struct Config {
  std::string source = "(built-in defaults)";  // the file it came from
  std::string store_url = "sqlite:aisle.db";
  std::string model_path = "aisle.model";  // what train writes and recommend reads by default
  std::string weights_spec;                // as written; parsed into `weighting`
  Weighting weighting;
  // Ingestion defaults; command-line flags override them.
  std::string map_spec;
  std::string separator = ",";
  std::string default_event = "view";
  bool strict = false;
  std::size_t examples_per_reason = 5;
  Timestamp earliest_time = 0;    // events before it are rejected
  int future_tolerance_days = 1;  // events after now + this are rejected
  OnlineRetailRules online_retail;
  int threads = 0;  // 0: one per core
  std::uint64_t seed = 42;

  // ReadOptions for a reader, from these settings.
  ReadOptions read_options() const;
};

// Reads path; throws ConfigError "path:line: ..." for a bad value or an unknown key.
Config load_config(const std::string& path);

// The reference of every key: section, key, type, default, meaning (Markdown).
std::string config_reference();

}  // namespace aisle
