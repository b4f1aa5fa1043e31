// Readers turn interaction logs of a known format into an EventLog. Each format is one file in
// this folder; format_table() lists them all (one place, no self-registration).
// Contract: a reader appends to the log it is given, counts every row it reads, keeps it or
// accounts for it in the report's RowIssues, and throws InputError for a file it cannot read
// at all (missing column, wrong format), naming the column and the format it expected.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aisle/core/run_context.h"
#include "aisle/core/timestamp.h"
#include "aisle/data/event_log.h"
#include "aisle/data/readers/row_issues.h"
#include "aisle/data/weighting.h"

namespace aisle {

// The fields a mapped row (csv, jsonl) can fill: event fields, then catalog fields. A file with
// an item column and catalog columns but no user column is a catalog: its rows make no events.
enum class Field {
  kUser,
  kItem,
  kTime,
  kEvent,
  kWeight,
  kQuantity,
  kValue,
  kSession,
  kName,
  kCategory,
  kBrand,
  kPrice,
  kImageUrl,
  kAvailable
};
inline constexpr std::size_t kFieldCount = 14;
std::string_view field_name(Field f);

// Which source column (CSV header name or JSON key) feeds which field.
// Spec: "user=customer_id,item=sku,time=ts:iso8601,event=action,weight=qty". Fields not named
// are looked up under their usual names (user/user_id, item/item_id/sku, time/timestamp, ...).
struct ColumnMapping {
  std::array<std::string, kFieldCount> source;  // empty: not mapped explicitly
  TimeFormat time_format = TimeFormat::kAuto;

  static ColumnMapping parse(std::string_view spec);  // throws ConfigError
  const std::string& operator[](Field f) const { return source[static_cast<std::size_t>(f)]; }
  std::string to_string() const;
};

// Online Retail: which StockCodes are products. Documented in docs/FORMATS.md.
struct OnlineRetailRules {
  // A code (upper-cased) is a product when it is 5 digits followed by letters only...
  bool five_digit_codes = true;
  // ...or listed here, and it is not excluded here.
  std::vector<std::string> include_codes;
  std::vector<std::string> exclude_codes;
  bool is_product(std::string_view upper_code) const;
};

struct FilePart;

// Now (the system clock) plus `days` of tolerance for clocks that run ahead.
Timestamp latest_time_from_now(int days);

struct ReadOptions {
  Weighting weighting;                 // event types a row may have
  ColumnMapping mapping;               // csv, jsonl
  std::string separator = ",";         // csv
  std::string default_event = "view";  // csv/jsonl rows without an event column
  OnlineRetailRules online_retail;
  // Kept events happen in [earliest_time, latest_time]; others are rejected (time_out_of_range),
  // because one event dated 2100 would otherwise be "now" for every time-decayed model. An empty
  // time (unknown, 0) is always kept. The default latest time is now + 1 day.
  Timestamp earliest_time = 0;  // 1970-01-01: before it is a sentinel or a parse accident
  Timestamp latest_time = latest_time_from_now(1);
  // A file that keeps no row (empty, header only, every row rejected or skipped) is an
  // InputError naming it, unless this is set.
  bool allow_empty = false;
  bool strict = false;
  std::size_t examples_per_reason = 5;
  // Read only this part of the file part->path (a rank's share of it, file_part.h; csv only);
  // other files are read whole. Not owned.
  const FilePart* part = nullptr;
  RunContext context;
};

struct ReadReport {
  explicit ReadReport(const ReadOptions& o) : issues(o.strict, o.examples_per_reason) {}
  std::vector<std::string> files;
  struct FileRowCounts {
    std::uint64_t read = 0, kept = 0;
  };
  std::vector<FileRowCounts> file_rows;  // parallel to files
  std::uint64_t rows_read = 0;           // data rows (headers and blank lines not counted)
  std::uint64_t rows_kept = 0;           // rows that produced an event or catalog fact
  std::uint64_t bytes_read = 0;          // decompressed bytes
  RowIssues issues;
};

using ReaderFn = void (*)(std::span<const std::string> files, const ReadOptions& options, EventLog& log,
                          ReadReport& report);

struct FormatInfo {
  std::string_view name;
  std::string_view summary;
  ReaderFn read;
};

std::span<const FormatInfo> format_table();
// Throws ConfigError "unknown format 'x'; known: ..." for an unknown name.
const FormatInfo& find_format(std::string_view name);

// Reads files of a format into log; returns the counts. Rows-read == kept + skipped + rejected.
// A file that keeps no row is an InputError naming it (unless options.allow_empty): an empty
// file, a header without rows and a file of rejected rows are the same mistake in any format.
ReadReport read_files(std::string_view format, std::span<const std::string> files, const ReadOptions& options,
                      EventLog& log);

// The readers, one per file in this folder.
void read_retailrocket(std::span<const std::string>, const ReadOptions&, EventLog&, ReadReport&);
void read_rees46(std::span<const std::string>, const ReadOptions&, EventLog&, ReadReport&);
void read_online_retail(std::span<const std::string>, const ReadOptions&, EventLog&, ReadReport&);
void read_movielens(std::span<const std::string>, const ReadOptions&, EventLog&, ReadReport&);
void read_csv(std::span<const std::string>, const ReadOptions&, EventLog&, ReadReport&);
void read_jsonl(std::span<const std::string>, const ReadOptions&, EventLog&, ReadReport&);
void read_sessions(std::span<const std::string>, const ReadOptions&, EventLog&, ReadReport&);

}  // namespace aisle
