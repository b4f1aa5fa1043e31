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

struct ReadOptions {
  Weighting weighting;                 // event types a row may have
  ColumnMapping mapping;               // csv, jsonl
  std::string separator = ",";         // csv
  std::string default_event = "view";  // csv/jsonl rows without an event column
  OnlineRetailRules online_retail;
  bool strict = false;
  std::size_t examples_per_reason = 5;
  RunContext context;
};

struct ReadReport {
  explicit ReadReport(const ReadOptions& o) : issues(o.strict, o.examples_per_reason) {}
  std::vector<std::string> files;
  std::uint64_t rows_read = 0;   // data rows (headers and blank lines not counted)
  std::uint64_t rows_kept = 0;   // rows that produced an event or catalog fact
  std::uint64_t bytes_read = 0;  // decompressed bytes
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
ReadReport read_files(std::string_view format, std::span<const std::string> files, const ReadOptions& options,
                      EventLog& log);

// The readers, one per file in this folder.
void read_retailrocket(std::span<const std::string>, const ReadOptions&, EventLog&, ReadReport&);
void read_rees46(std::span<const std::string>, const ReadOptions&, EventLog&, ReadReport&);
void read_online_retail(std::span<const std::string>, const ReadOptions&, EventLog&, ReadReport&);
void read_movielens(std::span<const std::string>, const ReadOptions&, EventLog&, ReadReport&);
void read_csv(std::span<const std::string>, const ReadOptions&, EventLog&, ReadReport&);
void read_jsonl(std::span<const std::string>, const ReadOptions&, EventLog&, ReadReport&);

}  // namespace aisle
