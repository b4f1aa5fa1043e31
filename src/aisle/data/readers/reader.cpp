#include "aisle/data/readers/reader.h"

#include <array>
#include <chrono>

#include "aisle/core/error.h"
#include "aisle/core/text.h"

namespace aisle {

namespace {

// "events.csv: nothing to load: 6 data rows, none kept (rejected: bad_time 4, ...; e.g. ...)".
std::string nothing_kept_message(const ReadReport& report, std::size_t file) {
  const std::uint64_t rows = report.file_rows[file].read;
  std::string msg = printable(report.files[file], 4096) + ": nothing to load: ";
  if (rows == 0) {
    msg += "no data rows";
  } else {
    msg += std::to_string(rows) + " data row" + (rows == 1 ? "" : "s") + ", none kept (";
    std::string reasons, example;
    for (const auto& [reason, rc] : report.issues.rejected()) {
      reasons += (reasons.empty() ? "rejected: " : ", ") + reason + " " + std::to_string(rc.count);
      if (example.empty() && !rc.examples.empty()) example = rc.examples.front().to_string();
    }
    for (const auto& [reason, n] : report.issues.skipped()) {
      reasons += (reasons.empty() ? "skipped: " : ", skipped ") + reason + " " + std::to_string(n);
    }
    msg += reasons + (example.empty() ? "" : "; e.g. " + example) + ")";
  }
  return msg + "; pass --allow-empty to accept it";
}

}  // namespace

Timestamp latest_time_from_now(int days) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<Timestamp>(std::chrono::duration_cast<std::chrono::seconds>(now).count()) +
         static_cast<Timestamp>(days) * 86400;
}

std::span<const FormatInfo> format_table() {
  static const std::array<FormatInfo, 7> kFormats = {{
      {"retailrocket", "RetailRocket events.csv, item_properties*.csv, category_tree.csv", read_retailrocket},
      {"rees46", "REES46 multi-category store CSV (event_time,event_type,product_id,...)", read_rees46},
      {"online-retail", "UCI Online Retail CSV (InvoiceNo,StockCode,...,CustomerID,Country)", read_online_retail},
      {"movielens", "MovieLens u.data/u.item/u.genre (100K) or ratings.dat/movies.dat (1M)", read_movielens},
      {"csv", "any delimited file with a header; columns named by --map (--sep for TSV)", read_csv},
      {"jsonl", "JSON Lines, one object per line; keys named by --map", read_jsonl},
      {"sessions",
       "anonymous session clicks: session-rec prepared files (SessionId<TAB>ItemId<TAB>Time) or raw YooChoose "
       "clicks (SessionID,Timestamp,ItemID,Category; no header)",
       read_sessions},
  }};
  return kFormats;
}

const FormatInfo& find_format(std::string_view name) {
  for (const FormatInfo& f : format_table()) {
    if (f.name == name) return f;
  }
  std::string known;
  for (const FormatInfo& f : format_table()) known += (known.empty() ? "" : ", ") + std::string(f.name);
  throw ConfigError("unknown format '" + std::string(name) + "'; known: " + known);
}

ReadReport read_files(std::string_view format, std::span<const std::string> files, const ReadOptions& options,
                      EventLog& log) {
  const FormatInfo& f = find_format(format);
  ReadReport report(options);
  f.read(files, options, log, report);
  if (options.context.progress != nullptr) options.context.progress->finish();
  if (!options.allow_empty) {
    for (std::size_t i = 0; i < report.files.size(); ++i) {
      if (report.file_rows[i].kept == 0) throw InputError(nothing_kept_message(report, i));
    }
  }
  return report;
}

}  // namespace aisle
