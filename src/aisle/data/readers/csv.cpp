// Generic delimited files (CSV, TSV, any one-character separator) with a header line and a
// ColumnMapping. RFC 4180 quoting. This also reads the exchange format of EVALUATION.md s. 6
// (user,item,weight,timestamp) without any mapping.
#include "aisle/core/error.h"
#include "aisle/data/readers/mapped_row.h"

namespace aisle {

void read_csv(std::span<const std::string> files, const ReadOptions& options, EventLog& log, ReadReport& report) {
  MappedRowBuilder builder(log, report, options);
  for (const std::string& path : files) {
    FileRows rows(path, options.separator, options, report);
    Record header_record;
    if (!rows.read_header(header_record)) throw InputError(path + ": empty file (format 'csv' needs a header line)");
    const Header h(header_record, path, "csv");
    const auto columns = resolve_columns(
        options.mapping, [&](std::string_view name) { return h.find(name) != Header::npos; }, path, "csv");
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
