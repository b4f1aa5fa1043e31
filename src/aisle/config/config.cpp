#include "aisle/config/config.h"

#include <toml++/toml.h>

#include <algorithm>
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
      {"interactions", "weights", "string",
       "\"view=1,cart=3,remove_from_cart=-3,purchase=5,cancel=-5,rating=value,transform=none\"",
       "Event type weights and confidence transform in one line, e.g. \"cart=1,purchase=5,transform=log1p\". "
       "Listed types override the defaults, 0 ignores a type, 'value' uses the event's value; "
       "transform is none, log1p, bm25 or tfidf.",
       [](const toml::node& n, Config& c) {
         c.weights_spec = need_string(n, "interactions.weights");
         c.weighting = Weighting::parse(c.weights_spec);
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
  };
  return kKeys;
}

std::string at(const std::string& path, const toml::source_region& where) {
  return path + ":" + std::to_string(where.begin.line);
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
    bool known_section = false;
    for (const Key& k : keys()) known_section |= k.section == section_name;
    if (section == nullptr || !known_section) {
      std::string sections;
      for (const Key& k : keys()) {
        if (sections.find(std::string(k.section)) == std::string::npos)
          sections += (sections.empty() ? "[" : ", [") + std::string(k.section) + "]";
      }
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
  return out;
}

}  // namespace aisle
