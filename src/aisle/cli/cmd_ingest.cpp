// aisle ingest <format> <files...> [--store URL] [--map SPEC] [--sep C] [--strict] [--allow-empty]
// Reads the whole input first, then loads it into the store in one transaction: a file that
// fails to read, or a rejected row under --strict, leaves the store untouched.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "aisle/app/training_data.h"
#include "aisle/cli/command.h"
#include "aisle/cli/progress_bar.h"
#include "aisle/core/error.h"
#include "aisle/core/json_text.h"
#include "aisle/data/readers/reader.h"
#include "aisle/store/event_store.h"

namespace aisle::cli {

namespace {

struct IngestFlags {
  std::string format;
  std::vector<std::string> files;
  std::string store, map, sep, weights, default_event;
  bool strict = false, allow_empty = false;
};

std::string issues_json(const RowIssues& issues) {
  nlohmann::json j;
  j["rejected"] = nlohmann::json::object();
  for (const auto& [reason, rc] : issues.rejected()) {
    nlohmann::json examples = nlohmann::json::array();
    for (const RejectExample& ex : rc.examples) examples.push_back(ex.to_string());
    j["rejected"][reason] = {{"rows", rc.count}, {"examples", examples}};
  }
  j["skipped"] = nlohmann::json::object();
  for (const auto& [reason, n] : issues.skipped()) j["skipped"][reason] = n;
  return json_text(j);
}

void print_summary(const ReadReport& report, const EventLog& log) {
  std::printf("read     %s rows from %zu file(s), %s\n", with_commas(report.rows_read).c_str(), report.files.size(),
              human_bytes(report.bytes_read).c_str());
  std::printf("kept     %s rows -> %s events, %s users, %s items, %s catalog entries\n",
              with_commas(report.rows_kept).c_str(), with_commas(log.events.size()).c_str(),
              with_commas(log.users.size()).c_str(), with_commas(log.items.size()).c_str(),
              with_commas(log.catalog.num_described_items()).c_str());
  for (const auto& [reason, n] : report.issues.skipped()) {
    std::printf("skipped  %s rows: %s (by rule)\n", with_commas(n).c_str(), reason.c_str());
  }
  for (const auto& [reason, rc] : report.issues.rejected()) {
    std::printf("rejected %s rows: %s\n", with_commas(rc.count).c_str(), reason.c_str());
    for (const RejectExample& ex : rc.examples) std::printf("           %s\n", ex.to_string().c_str());
  }
}

void run_ingest(const IngestFlags& flags, const GlobalOptions& global) {
  Config config = global.load();
  if (!flags.weights.empty()) config.weighting = Weighting::parse(flags.weights);
  if (!flags.map.empty()) config.map_spec = flags.map;
  if (!flags.sep.empty()) config.separator = flags.sep == "\\t" || flags.sep == "tab" ? "\t" : flags.sep;
  if (config.separator.size() != 1) throw ConfigError("--sep must be one character (or \\t), got '" + flags.sep + "'");
  if (!flags.default_event.empty()) config.default_event = flags.default_event;
  if (flags.strict) config.strict = true;
  const std::string url = store_url(flags.store, config);

  ReadOptions options = config.read_options();
  options.allow_empty = flags.allow_empty;
  // The store is opened (and checked: reachable, a store of this schema) before any parsing, so
  // a wrong URL fails at once rather than after reading a large log.
  const auto store = open_store(url);
  ProgressBar progress;
  options.context.progress = &progress;
  EventLog log;
  const ReadReport report = read_files(flags.format, flags.files, options, log);
  print_summary(report, log);
  if (report.rows_kept == 0) {
    std::printf("stored   nothing (no rows kept); no ingestion run recorded\n");
    return;
  }

  IngestionRun run;
  run.format = flags.format;
  run.files = report.files;
  run.rows_read = report.rows_read;
  run.rows_kept = report.rows_kept;
  run.rows_skipped = report.issues.skipped_rows();
  run.rows_rejected = report.issues.rejected_rows();
  run.issues = issues_json(report.issues);
  const LoadResult result = store->load(log, run, options.context);
  std::printf("stored   %s new events in %s (run %lld); %s were already there; %s new users, %s new items\n",
              with_commas(result.events_added).c_str(), url.c_str(), static_cast<long long>(result.run_id),
              with_commas(result.events_already_stored).c_str(), with_commas(result.new_users).c_str(),
              with_commas(result.new_items).c_str());
}

}  // namespace

void add_ingest_command(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<IngestFlags>();
  std::string formats;
  for (const FormatInfo& f : format_table()) formats += "\n  " + std::string(f.name) + ": " + std::string(f.summary);
  sub.add_option("format", flags->format, "input format:" + formats)->required();
  sub.add_option("files", flags->files, "input files (plain, .gz or .zst)")->required();
  sub.add_option("--store", flags->store, "store URL (default: store.url of the config, sqlite:aisle.db)");
  sub.add_option("--map", flags->map, "column mapping for csv/jsonl, e.g. user=customer_id,item=sku,time=ts:iso8601");
  sub.add_option("--sep", flags->sep, "csv field separator (one character; \\t for TSV)");
  sub.add_option("--weights", flags->weights, "event type weights, e.g. cart=1,purchase=5,transform=log1p");
  sub.add_option("--default-event", flags->default_event, "event type of csv/jsonl rows without an event column");
  sub.add_flag("--strict", flags->strict, "fail (exit 3, nothing stored) on any rejected row");
  sub.add_flag("--allow-empty", flags->allow_empty,
               "accept files that keep no rows (empty, header only, all rejected); without it they fail with exit 3");
  sub.callback([flags, &global] { run_ingest(*flags, global); });
}

}  // namespace aisle::cli
