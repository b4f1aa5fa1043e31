// Generic delimited files (CSV, TSV, any one-character separator) with a header line and a
// ColumnMapping. RFC 4180 quoting. This also reads the exchange format of EVALUATION.md s. 6
// (user,item,weight,timestamp) without any mapping.
#include <algorithm>

#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/data/readers/mapped_row.h"

namespace aisle {

namespace {

// A header that is one column while columns were wanted: the file probably uses another
// separator. "; the header is one column with separator ','; it looks separated by ';': give --sep ';'"
std::string separator_hint(std::string_view header, const std::string& separator) {
  std::string hint = "; the header is one column with separator '" + printable(separator) + "'";
  char best = 0;
  std::size_t best_count = 0;
  for (const char c : {';', '\t', '|', ',', ':'}) {
    const auto n = static_cast<std::size_t>(std::count(header.begin(), header.end(), c));
    if (std::string(1, c) != separator && n > best_count) best = c, best_count = n;
  }
  if (best != 0) {
    const std::string sep = best == '\t' ? "\\t" : std::string(1, best);
    hint += "; it looks separated by '" + sep + "': give --sep '" + sep + "'";
  } else {
    hint += "; give the file's separator with --sep";
  }
  return hint;
}

}  // namespace

void read_csv(std::span<const std::string> files, const ReadOptions& options, EventLog& log, ReadReport& report) {
  MappedRowBuilder builder(log, report, options);
  for (const std::string& path : files) {
    FileRows rows(path, options.separator, options, report);
    Record header_record;
    if (!rows.read_header(header_record)) continue;  // no rows: read_files' empty-file rule
    const Header h(header_record, path, "csv");
    std::array<std::string, kFieldCount> columns;
    try {
      columns = resolve_columns(
          options.mapping, [&](std::string_view name) { return h.find(name) != Header::npos; }, path, "csv");
    } catch (const InputError& e) {
      if (h.size() != 1) throw;
      throw InputError(std::string(e.what()) + separator_hint(header_record.fields[0], options.separator));
    }
    std::array<std::size_t, kFieldCount> index{};
    for (std::size_t i = 0; i < kFieldCount; ++i) index[i] = columns[i].empty() ? Header::npos : h.find(columns[i]);
    rows.prepare_for_events(log, index[static_cast<std::size_t>(Field::kUser)],
                            index[static_cast<std::size_t>(Field::kItem)]);
    MappedValues values;
    while (rows.next()) {
      if (rows.width() != h.size()) {
        report.issues.reject("bad_field_count", rows.where(), "", std::to_string(h.size()) + " fields as in the header",
                             std::to_string(rows.width()) + " fields");
        continue;
      }
      for (std::size_t i = 0; i < kFieldCount; ++i) {
        values[i] = index[i] == Header::npos ? std::nullopt : std::optional<std::string_view>(rows.field(index[i]));
      }
      builder.add(rows.where(), values, columns);
    }
  }
}

}  // namespace aisle
