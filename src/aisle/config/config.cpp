#include "aisle/config/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

#include "aisle/core/error.h"
#include "aisle/core/timestamp.h"

namespace aisle {

namespace {

// One documented key. `apply` reads the node into the config and throws ConfigError (without
// location; the caller adds file:line) when its type or value is wrong.
struct Key {
  std::string_view section;
  std::string_view name;
  std::string_view type;
  std::string_view default_text;
  std::string_view help;
  std::function<void(const toml::node&, Config&)> apply;
};

std::string need_string(const toml::node& n, std::string_view what) {
  if (const auto* s = n.as_string()) return s->get();
  throw ConfigError(std::string(what) + " must be a string");
}

std::int64_t need_int(const toml::node& n, std::string_view what, std::int64_t lo, std::int64_t hi) {
  const auto* i = n.as_integer();
  if (i == nullptr || i->get() < lo || i->get() > hi) {
    throw ConfigError(std::string(what) + " must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                      "]");
  }
  return i->get();
}

double need_number(const toml::node& n, std::string_view what) {
  if (const auto* f = n.as_floating_point()) return f->get();
  if (const auto* i = n.as_integer()) return static_cast<double>(i->get());
  throw ConfigError(std::string(what) + " must be a number");
}

double need_fraction(const toml::node& n, std::string_view what) {
  const double v = need_number(n, what);
  if (!(v >= 0 && v <= 1)) throw ConfigError(std::string(what) + " must be a number from 0 to 1");
  return v;
}

double need_positive(const toml::node& n, std::string_view what) {
  const double v = need_number(n, what);
  if (!(v > 0) || !std::isfinite(v)) throw ConfigError(std::string(what) + " must be a number above 0");
  return v;
}

bool need_bool(const toml::node& n, std::string_view what) {
  if (const auto* b = n.as_boolean()) return b->get();
  throw ConfigError(std::string(what) + " must be true or false");
}

std::vector<std::string> need_strings(const toml::node& n, std::string_view what) {
  const auto* arr = n.as_array();
  if (arr == nullptr) throw ConfigError(std::string(what) + " must be an array of strings");
  std::vector<std::string> out;
  for (const toml::node& e : *arr) out.push_back(need_string(e, what));
  return out;
}

const std::vector<Key>& keys() {
  static const std::vector<Key> kKeys = {
      {"store", "url", "string", "\"sqlite:aisle.db\"",
       "Where events are stored: sqlite:PATH or postgresql://USER@HOST:PORT/DB.",
       [](const toml::node& n, Config& c) { c.store_url = need_string(n, "store.url"); }},
      {"model", "path", "string", "\"aisle.model\"",
       "Model file `aisle train` writes and `aisle recommend`/`aisle similar` read when no path is given.",
       [](const toml::node& n, Config& c) { c.model_path = need_string(n, "model.path"); }},
      {"model", "spec", "string", "\"\"",
       "The recommender `aisle train` fits and `aisle evaluate` compares with popularity when none is named, and the "
       "server fits when it retrains with no model in service: any spec, pipelines included, e.g. "
       "\"blend:normalize=min-max(0.6*als; 0.4*popularity)\". Empty: the built-in default (docs/RESULTS.md).",
       [](const toml::node& n, Config& c) { c.model_spec = need_string(n, "model.spec"); }},
      {"interactions", "weights", "string",
       "\"view=1,cart=3,remove_from_cart=-3,purchase=5,cancel=-5,rating=value,transform=none\"",
       "Event type weights and confidence transform in one line, e.g. \"cart=1,purchase=5,transform=log1p\". "
       "Listed types override the defaults, 0 ignores a type, 'value' uses the event's value; "
       "transform is none, log1p, bm25 or tfidf.",
       [](const toml::node& n, Config& c) {
         c.weights_spec = need_string(n, "interactions.weights");
         c.weighting = Weighting::parse(c.weights_spec);
       }},
      {"interactions", "session_gap_seconds", "integer", "1800",
       "Events of one user further apart than this start a new session where the data has no session ids, when "
       "training a model that learns from the order of events (session_knn, sequential_rules) and in evaluate "
       "--protocol next-item; 0: one sequence per user. Other models fit on pairs and never build sequences.",
       [](const toml::node& n, Config& c) {
         c.session_gap_seconds = need_int(n, "interactions.session_gap_seconds", 0, 366LL * 86400);
       }},
      {"ingest", "map", "string", "\"\"",
       "Column mapping for the csv and jsonl formats, e.g. \"user=customer_id,item=sku,time=ts:iso8601,event=action\". "
       "Fields: user, item, time[:unix, unix_ms, iso8601 or auto], event, weight, quantity, value, session, name, "
       "category, brand, price, image_url, available (no user column: a catalog file).",
       [](const toml::node& n, Config& c) {
         c.map_spec = need_string(n, "ingest.map");
         (void)ColumnMapping::parse(c.map_spec);
       }},
      {"ingest", "separator", "string", "\",\"", "Field separator of the csv format (\"\\t\" for TSV).",
       [](const toml::node& n, Config& c) {
         c.separator = need_string(n, "ingest.separator");
         if (c.separator.size() != 1) throw ConfigError("ingest.separator must be one character");
       }},
      {"ingest", "default_event", "string", "\"view\"", "Event type of csv/jsonl rows without an event column.",
       [](const toml::node& n, Config& c) { c.default_event = need_string(n, "ingest.default_event"); }},
      {"ingest", "strict", "boolean", "false", "Any rejected row fails the whole load (non-zero exit, nothing stored).",
       [](const toml::node& n, Config& c) { c.strict = need_bool(n, "ingest.strict"); }},
      {"ingest", "examples_per_reason", "integer", "5",
       "How many rejected rows of each reason are shown with file:line.",
       [](const toml::node& n, Config& c) {
         c.examples_per_reason = static_cast<std::size_t>(need_int(n, "ingest.examples_per_reason", 0, 1000));
       }},
      {"ingest", "earliest_time", "string", "\"1970-01-01T00:00:00Z\"",
       "Events before this time are rejected (time_out_of_range): a year-0001 date is a sentinel or a parse accident.",
       [](const toml::node& n, Config& c) {
         const std::string text = need_string(n, "ingest.earliest_time");
         const auto t = parse_timestamp(text, TimeFormat::kAuto);
         if (!t)
           throw ConfigError("ingest.earliest_time must be a time (ISO 8601 or unix seconds), found '" + text + "'");
         c.earliest_time = *t;
       }},
      {"ingest", "future_tolerance_days", "integer", "1",
       "Events later than now plus this many days are rejected (time_out_of_range), since the newest event is "
       "'now' for time-decayed models (trending, popularity with a window).",
       [](const toml::node& n, Config& c) {
         c.future_tolerance_days = static_cast<int>(need_int(n, "ingest.future_tolerance_days", 0, 36500));
       }},
      {"online_retail", "five_digit_codes", "boolean", "true",
       "Online Retail: a StockCode (upper-cased) of 5 digits followed only by letters is a product.",
       [](const toml::node& n, Config& c) {
         c.online_retail.five_digit_codes = need_bool(n, "online_retail.five_digit_codes");
       }},
      {"online_retail", "include_codes", "array of strings", "[]",
       "Online Retail: further StockCodes that are products (e.g. [\"DCGS0003\"]).",
       [](const toml::node& n, Config& c) {
         c.online_retail.include_codes = need_strings(n, "online_retail.include_codes");
       }},
      {"online_retail", "exclude_codes", "array of strings", "[]",
       "Online Retail: StockCodes that are never products, whatever their form.",
       [](const toml::node& n, Config& c) {
         c.online_retail.exclude_codes = need_strings(n, "online_retail.exclude_codes");
       }},
      {"run", "threads", "integer", "0",
       "Thread budget, set here and nowhere else; 0 = one per core. Ingestion reads and decompresses on a second "
       "thread when it has two; results never depend on it.",
       [](const toml::node& n, Config& c) { c.threads = static_cast<int>(need_int(n, "run.threads", 0, 256)); }},
      {"run", "seed", "integer", "42", "Seed of every random choice; same seed and threads = 1 give identical results.",
       [](const toml::node& n, Config& c) {
         c.seed = static_cast<std::uint64_t>(need_int(n, "run.seed", 0, INT64_MAX));
       }},
      {"serve", "listen", "string", "\"127.0.0.1:8080\"",
       "Address `aisle serve` listens on, host:port (loopback by default; 0.0.0.0:8080 for every interface).",
       [](const toml::node& n, Config& c) { c.serve.listen = need_string(n, "serve.listen"); }},
      {"serve", "http_threads", "integer", "32",
       "Connections the server answers at once (each keep-alive connection holds one thread while open).",
       [](const toml::node& n, Config& c) {
         c.serve.http_threads = static_cast<int>(need_int(n, "serve.http_threads", 1, 4096));
       }},
      {"serve", "api_token", "string", "\"\"",
       "Bearer token that writes (feedback) and admin routes require; the environment variable AISLE_API_TOKEN "
       "overrides it. Without one, writes are accepted only while the server listens on loopback.",
       [](const toml::node& n, Config& c) { c.serve.api_token = need_string(n, "serve.api_token"); }},
      {"serve", "open_reads", "boolean", "true", "Reads (recommendations, items, model) need no token.",
       [](const toml::node& n, Config& c) { c.serve.open_reads = need_bool(n, "serve.open_reads"); }},
      {"serve", "max_k", "integer", "1000", "Largest k a request may ask for; above it the answer is 400.",
       [](const toml::node& n, Config& c) {
         c.serve.max_k = static_cast<std::size_t>(need_int(n, "serve.max_k", 1, 10000));
       }},
      {"serve", "max_batch", "integer", "1000",
       "Most requests one POST /api/recommend may carry; above it the answer is 400.",
       [](const toml::node& n, Config& c) {
         c.serve.max_batch = static_cast<std::size_t>(need_int(n, "serve.max_batch", 1, 100000));
       }},
      {"serve", "max_body_bytes", "integer", "1048576", "Largest request body; a larger one is answered 413.",
       [](const toml::node& n, Config& c) {
         c.serve.max_body_bytes = static_cast<std::size_t>(need_int(n, "serve.max_body_bytes", 1024, 1LL << 30));
       }},
      {"serve", "read_timeout_seconds", "integer", "5", "A client that sends nothing for this long is disconnected.",
       [](const toml::node& n, Config& c) {
         c.serve.read_timeout_seconds = static_cast<int>(need_int(n, "serve.read_timeout_seconds", 1, 3600));
       }},
      {"serve", "keep_alive_max_requests", "integer", "10000", "Requests one keep-alive connection may carry.",
       [](const toml::node& n, Config& c) {
         c.serve.keep_alive_max_requests =
             static_cast<std::size_t>(need_int(n, "serve.keep_alive_max_requests", 1, 1LL << 40));
       }},
      {"serve", "retrain_every", "string", "\"\"",
       "Retrain from the store in the background this often (\"30m\", \"1h\", \"1d\"); empty: never.",
       [](const toml::node& n, Config& c) {
         const std::string text = need_string(n, "serve.retrain_every");
         if (text.empty()) {
           c.serve.retrain_every_seconds = 0;
           return;
         }
         const auto secs = parse_duration_seconds(text);
         if (!secs) throw ConfigError("serve.retrain_every must be a duration like \"30m\", \"1h\" or \"1d\"");
         c.serve.retrain_every_seconds = *secs;
       }},
      {"serve", "retrain_max_drop", "float", "0.1",
       "A retrained model whose validation NDCG@10 is lower than the serving model's by more than this share is "
       "refused and logged.",
       [](const toml::node& n, Config& c) { c.serve.retrain_max_drop = need_fraction(n, "serve.retrain_max_drop"); }},
      {"serve", "cache_depth", "integer", "100",
       "Top list precomputed per known user after each load (answers k up to it; a user's feedback bypasses it); "
       "0: none.",
       [](const toml::node& n, Config& c) {
         c.serve.cache_depth = static_cast<std::size_t>(need_int(n, "serve.cache_depth", 0, 10000));
       }},
      {"serve", "feedback_max_batch", "integer", "5000",
       "Feedback events committed to the store in one transaction at most.",
       [](const toml::node& n, Config& c) {
         c.serve.feedback_max_batch = static_cast<std::size_t>(need_int(n, "serve.feedback_max_batch", 1, 1000000));
       }},
      {"serve", "trending_half_life_days", "float", "7", "Half-life of /api/trending's time decay, in days.",
       [](const toml::node& n, Config& c) {
         c.serve.trending_half_life_days = static_cast<float>(need_positive(n, "serve.trending_half_life_days"));
       }},
      {"serve", "log_requests", "boolean", "false", "One line per request on stderr (method, path, status, time).",
       [](const toml::node& n, Config& c) { c.serve.log_requests = need_bool(n, "serve.log_requests"); }},
      {"serve", "model_source", "string", "\"file\"",
       "Where the serving model comes from. \"file\": the model file (--model, model.path), else one trained from "
       "the store. \"store\": the newest model published to the store (aisle publish, aisle train --publish) at "
       "start, and every newer one as it is published, without a restart: how several servers behind a load "
       "balancer serve one model (docs/SCALE.md).",
       [](const toml::node& n, Config& c) {
         c.serve.model_source = need_string(n, "serve.model_source");
         if (c.serve.model_source != "file" && c.serve.model_source != "store") {
           throw ConfigError("serve.model_source must be \"file\" or \"store\", found '" + c.serve.model_source + "'");
         }
       }},
      {"serve", "ann", "string", "\"off\"",
       "\"hnsw\": answer factor models (als, bpr, mf) through an approximate HNSW index built in the background "
       "after each load (exact until it is ready; other models ignore it). Only for catalogs where the exact path is "
       "too slow: results are approximate (docs/SERVING.md).",
       [](const toml::node& n, Config& c) {
         c.serve.ann = need_string(n, "serve.ann");
         if (c.serve.ann != "off" && c.serve.ann != "hnsw") {
           throw ConfigError("serve.ann must be \"off\" or \"hnsw\", found '" + c.serve.ann + "'");
         }
       }},
      {"serve", "ann_m", "integer", "16", "HNSW graph degree (links per item; twice that on the bottom layer).",
       [](const toml::node& n, Config& c) {
         c.serve.ann_m = static_cast<std::uint32_t>(need_int(n, "serve.ann_m", 2, 256));
       }},
      {"serve", "ann_ef_construction", "integer", "200",
       "HNSW candidate list while building: higher builds slower and recalls more.",
       [](const toml::node& n, Config& c) {
         c.serve.ann_ef_construction = static_cast<std::uint32_t>(need_int(n, "serve.ann_ef_construction", 1, 10000));
       }},
      {"serve", "ann_ef_search", "integer", "100",
       "HNSW candidate list per query (raised to k plus what the request's filter may remove when that is more): "
       "higher answers slower and recalls more.",
       [](const toml::node& n, Config& c) {
         c.serve.ann_ef_search = static_cast<std::uint32_t>(need_int(n, "serve.ann_ef_search", 1, 10000));
       }},
      {"serve", "companions", "table of strings", "{}",
       "Models served beside the serving one, by name: `{ session_knn = \"session_knn\", sasrec = "
       "\"sasrec:epochs=3\" }`; each a spec (trained from the store on a background thread at start) or "
       "`\"file:PATH\"`. `GET /api/models` lists them with their status; `POST /api/session/recommend` "
       "with `\"model\": NAME` asks one (the dashboard's session demo shows them side by side).",
       [](const toml::node& n, Config& c) {
         const toml::table* table = n.as_table();
         if (table == nullptr) throw ConfigError("serve.companions must be a table of name = \"model spec\"");
         // toml++ keeps a table's keys sorted: the file's order is their source positions'.
         std::vector<std::pair<toml::source_position, std::pair<std::string, std::string>>> found;
         for (const auto& [name, spec] : *table) {
           const std::string key(name.str());
           if (key.empty() || key == "serving" || key.size() > 64) {
             throw ConfigError("serve.companions: '" + key +
                               "' cannot name a companion (1 to 64 characters, not \"serving\")");
           }
           found.push_back({name.source().begin, {key, need_string(spec, "serve.companions." + key)}});
         }
         std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
         c.serve.companions.clear();
         for (auto& [position, companion] : found) c.serve.companions.push_back(std::move(companion));
       }},
      {"serve", "reports", "string", "\"\"",
       "Folder of `aisle evaluate --out` reports (`report.json` in it or in its subfolders) that `GET "
       "/api/reports` serves to the dashboard's Models page; empty: none.",
       [](const toml::node& n, Config& c) { c.serve.reports = need_string(n, "serve.reports"); }},
  };
  return kKeys;
}

std::string at(const std::string& path, const toml::source_region& where) {
  return path + ":" + std::to_string(where.begin.line);
}

// The keys of an [experiments.NAME] table and of each of its [[experiments.NAME.arms]].
struct ExperimentKey {
  std::string_view name, type, default_text, help;
};
constexpr std::array<ExperimentKey, 9> kExperimentKeys = {{
    {"arms", "array of tables", "(required)",
     "Two or more `[[experiments.NAME.arms]]`, each with `name`, `model` (\"serving\": the model in service; "
     "\"file:PATH\": a model file; else a spec the server trains from its store) and `share` (relative, default 1)."},
    {"traffic", "number", "1", "Share of the layer's visitors in this experiment, above 0 and at most 1."},
    {"layer", "string", "the name",
     "Experiments of one layer never share a visitor (their traffic sums to 1 at most); other layers are independent."},
    {"salt", "string", "the name", "Hashed with the visitor id into buckets; a new salt reshuffles every visitor."},
    {"mode", "string", "\"ab\"", "\"ab\" (one arm's list per visitor) or \"interleave\" (team-draft, two arms)."},
    {"start", "string", "\"\"", "When it starts (ISO 8601 or unix seconds); empty: as soon as it is defined."},
    {"stop", "string", "\"\"", "When it stops; empty: when stopped through the admin route."},
    {"attribution_seconds", "integer", "86400",
     "Feedback on a shown item this soon after the list counts for the arm that showed it."},
    {"control", "string", "the first arm", "The arm the others are compared with."},
}};

Timestamp need_time(const toml::node& n, std::string_view what) {
  const std::string text = need_string(n, what);
  const auto t = parse_timestamp(text, TimeFormat::kAuto);
  if (!t) throw ConfigError(std::string(what) + " must be a time (ISO 8601 or unix seconds), found '" + text + "'");
  return *t;
}

ExperimentArm read_arm(const toml::node& node, const std::string& where, const std::string& path) {
  const toml::table* table = node.as_table();
  if (table == nullptr) throw ConfigError(at(path, node.source()) + ": " + where + " must be a table");
  ExperimentArm arm;
  for (const auto& [key, value] : *table) {
    const std::string field = where + "." + std::string(key.str());
    try {
      if (key == "name") {
        arm.name = need_string(value, field);
      } else if (key == "model") {
        arm.model = need_string(value, field);
      } else if (key == "share") {
        arm.share = need_positive(value, field);
      } else {
        throw ConfigError("unknown key '" + field + "'; known: name, model, share");
      }
    } catch (const ConfigError& e) {
      throw ConfigError(at(path, value.source()) + ": " + e.what());
    }
  }
  return arm;
}

ExperimentSpec read_experiment(std::string name, const toml::node& node, const std::string& path) {
  const std::string where = "experiments." + name;
  const toml::table* table = node.as_table();
  if (table == nullptr) throw ConfigError(at(path, node.source()) + ": " + where + " must be a table");
  ExperimentSpec e;
  e.name = std::move(name);
  for (const auto& [key, value] : *table) {
    const std::string field = where + "." + std::string(key.str());
    try {
      if (key == "arms") {
        const toml::array* arms = value.as_array();
        if (arms == nullptr) throw ConfigError(field + " must be an array of tables ([[" + field + "]])");
        for (std::size_t i = 0; i < arms->size(); ++i)
          e.arms.push_back(read_arm(*arms->get(i), field + "[" + std::to_string(i) + "]", path));
      } else if (key == "traffic") {
        e.traffic = need_number(value, field);
      } else if (key == "layer") {
        e.layer = need_string(value, field);
      } else if (key == "salt") {
        e.salt = need_string(value, field);
      } else if (key == "mode") {
        const std::string mode = need_string(value, field);
        if (mode != "ab" && mode != "interleave") {
          throw ConfigError(field + " must be \"ab\" or \"interleave\", found '" + mode + "'");
        }
        e.mode = mode == "ab" ? ExperimentMode::kAb : ExperimentMode::kInterleave;
      } else if (key == "start") {
        if (!need_string(value, field).empty()) e.start = need_time(value, field);
      } else if (key == "stop") {
        if (!need_string(value, field).empty()) e.stop = need_time(value, field);
      } else if (key == "attribution_seconds") {
        e.attribution_seconds = need_int(value, field, 1, 366LL * 86400);
      } else if (key == "control") {
        e.control = need_string(value, field);
      } else {
        std::string known;
        for (const ExperimentKey& k : kExperimentKeys) known += (known.empty() ? "" : ", ") + std::string(k.name);
        throw ConfigError("unknown key '" + field + "'; known: " + known);
      }
    } catch (const ConfigError& error) {
      const std::string message = error.what();
      if (message.rfind(path + ":", 0) == 0) throw;  // an arm's error already has its line
      throw ConfigError(at(path, value.source()) + ": " + message);
    }
  }
  try {
    check_experiment(e);
  } catch (const ConfigError& error) {
    throw ConfigError(at(path, node.source()) + ": " + error.what());
  }
  return e;
}

}  // namespace

ReadOptions Config::read_options() const {
  ReadOptions o;
  o.weighting = weighting;
  o.mapping = ColumnMapping::parse(map_spec);
  o.separator = separator;
  o.default_event = default_event;
  o.online_retail = online_retail;
  o.strict = strict;
  o.examples_per_reason = examples_per_reason;
  o.earliest_time = earliest_time;
  o.latest_time = latest_time_from_now(future_tolerance_days);
  o.context = RunContext(threads, seed);
  return o;
}

SequenceOptions Config::sequence_options() const {
  SequenceOptions o;
  o.session_gap_seconds = session_gap_seconds;
  o.seed = seed;
  return o;
}

Config load_config(const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw ConfigError(at(path, e.source()) + ": " + std::string(e.description()));
  }
  Config c;
  c.source = path;
  for (const auto& [section_key, section_node] : root) {
    const toml::table* section = section_node.as_table();
    const std::string section_name(section_key.str());
    if (section_name == "experiments" && section != nullptr) {
      for (const auto& [name, node] : *section)
        c.experiments.push_back(read_experiment(std::string(name.str()), node, path));
      try {
        check_experiments(c.experiments);
      } catch (const ConfigError& e) {
        throw ConfigError(at(path, section_node.source()) + ": " + e.what());
      }
      continue;
    }
    bool known_section = false;
    for (const Key& k : keys()) known_section |= k.section == section_name;
    if (section == nullptr || !known_section) {
      std::string sections;
      for (const Key& k : keys()) {
        if (sections.find(std::string(k.section)) == std::string::npos)
          sections += (sections.empty() ? "[" : ", [") + std::string(k.section) + "]";
      }
      sections += ", [experiments.NAME]";
      throw ConfigError(at(path, section_node.source()) + ": unknown section '" + section_name +
                        "'; known: " + sections);
    }
    for (const auto& [key, node] : *section) {
      const Key* found = nullptr;
      for (const Key& k : keys()) {
        if (k.section == section_name && k.name == key.str()) found = &k;
      }
      if (found == nullptr) {
        std::string known;
        for (const Key& k : keys()) {
          if (k.section == section_name) known += (known.empty() ? "" : ", ") + std::string(k.name);
        }
        throw ConfigError(at(path, node.source()) + ": unknown key '" + section_name + "." + std::string(key.str()) +
                          "'; known in [" + section_name + "]: " + known);
      }
      try {
        found->apply(node, c);
      } catch (const ConfigError& e) {
        throw ConfigError(at(path, node.source()) + ": " + e.what());
      }
    }
  }
  return c;
}

std::string config_reference() {
  std::string out = "| key | type | default | meaning |\n|---|---|---|---|\n";
  for (const Key& k : keys()) {
    out += "| `" + std::string(k.section) + "." + std::string(k.name) + "` | " + std::string(k.type) + " | `" +
           std::string(k.default_text) + "` | " + std::string(k.help) + " |\n";
  }
  for (const ExperimentKey& k : kExperimentKeys) {
    out += "| `experiments.NAME." + std::string(k.name) + "` | " + std::string(k.type) + " | `" +
           std::string(k.default_text) + "` | " + std::string(k.help) + " |\n";
  }
  return out;
}

}  // namespace aisle
