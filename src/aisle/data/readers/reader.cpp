#include "aisle/data/readers/reader.h"

#include <array>

#include "aisle/core/error.h"

namespace aisle {

std::span<const FormatInfo> format_table() {
  static const std::array<FormatInfo, 6> kFormats = {{
      {"retailrocket", "RetailRocket events.csv, item_properties*.csv, category_tree.csv", read_retailrocket},
      {"rees46", "REES46 multi-category store CSV (event_time,event_type,product_id,...)", read_rees46},
      {"online-retail", "UCI Online Retail CSV (InvoiceNo,StockCode,...,CustomerID,Country)", read_online_retail},
      {"movielens", "MovieLens u.data/u.item/u.genre (100K) or ratings.dat/movies.dat (1M)", read_movielens},
      {"csv", "any delimited file with a header; columns named by --map (--sep for TSV)", read_csv},
      {"jsonl", "JSON Lines, one object per line; keys named by --map", read_jsonl},
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
  return report;
}

}  // namespace aisle
