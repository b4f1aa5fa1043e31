// aisle.toml: every setting in one file. The key table in config.cpp is the single source of
// truth: it drives parsing, validation (unknown keys are an error naming file:line) and the
// reference printed by `aisle config` (docs/CONFIG.md is generated from it).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "aisle/config/experiments.h"
#include "aisle/data/readers/reader.h"
#include "aisle/data/sequences.h"
#include "aisle/data/weighting.h"

namespace aisle {

// `aisle serve`: every setting of the server ([serve] in aisle.toml; flags override some).
struct ServeSettings {
  std::string listen = "127.0.0.1:8080";  // host:port; loopback by default
  int http_threads = 32;                  // connections served at once (keep-alive holds one each)
  std::string api_token;                  // AISLE_API_TOKEN overrides; empty: writes only on loopback
  bool open_reads = true;                 // reads need no token
  std::size_t max_k = 1000;
  std::size_t max_batch = 1000;  // requests in one POST /api/recommend
  std::size_t max_body_bytes = 1 << 20;
  int read_timeout_seconds = 5;  // a client slower than this is dropped
  std::size_t keep_alive_max_requests = 10000;
  std::int64_t retrain_every_seconds = 0;  // 0: never (POST /api/admin/retrain still works)
  double retrain_max_drop = 0.1;           // a retrained model this much worse (relative) is refused
  std::size_t cache_depth = 100;           // top list kept per known user; 0: no cache
  std::size_t feedback_max_batch = 5000;   // events per store commit at most
  float trending_half_life_days = 7;
  bool log_requests = false;  // one line per request on stderr
  // "file": the model file (or one trained from the store); "store": the newest model published
  // to the store, followed while serving (serve/store_follower.h).
  std::string model_source = "file";
  // The approximate index (models/hnsw_index.h): "off" or "hnsw"; factor models only.
  std::string ann = "off";
  std::uint32_t ann_m = 16;
  std::uint32_t ann_ef_construction = 200;
  std::uint32_t ann_ef_search = 100;
  // Companion models: (name, model reference) in the file's order, served beside the serving
  // model for the dashboard's side-by-side session demo (POST /api/session/recommend's "model").
  // A reference is a spec (trained from the store at start) or "file:PATH".
  std::vector<std::pair<std::string, std::string>> companions;
  // A folder of `aisle evaluate --out` reports (DIR/report.json, DIR/*/report.json) that
  // GET /api/reports serves; empty: none.
  std::string reports;
};

struct Config {
  std::string source = "(built-in defaults)";  // the file it came from
  std::string store_url = "sqlite:aisle.db";
  std::string model_path = "aisle.model";  // what train writes and recommend reads by default
  std::string model_spec;                  // what train fits by default; empty: the built-in default
  std::string weights_spec;                // as written; parsed into `weighting`
  Weighting weighting;
  // Sequences for models that learn from order (SequenceOptions::session_gap_seconds).
  std::int64_t session_gap_seconds = 30 * 60;
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
  ServeSettings serve;
  std::vector<ExperimentSpec> experiments;  // [experiments.NAME], checked (check_experiments)

  // ReadOptions for a reader, from these settings.
  ReadOptions read_options() const;
  // SequenceOptions for build_sequences: the session gap and the seed.
  SequenceOptions sequence_options() const;
};

// Reads path; throws ConfigError "path:line: ..." for a bad value or an unknown key.
Config load_config(const std::string& path);

// The reference of every key: section, key, type, default, meaning (Markdown).
std::string config_reference();

}  // namespace aisle
