// JSON Lines: one object per line; the ColumnMapping names top-level keys. Strings are taken as
// they are, numbers and booleans by their JSON text, null as absent. A line that is not a JSON
// object is rejected with its line number (bad_json), a line that is not UTF-8 as bad_utf8.
#include <simdjson.h>

#include "aisle/core/error.h"
#include "aisle/data/readers/mapped_row.h"

namespace aisle {

void read_jsonl(std::span<const std::string> files, const ReadOptions& options, EventLog& log, ReadReport& report) {
  MappedRowBuilder builder(log, report, options);
  simdjson::dom::parser parser;
  std::vector<std::string> number_text(kFieldCount);
  for (const std::string& path : files) {
    // Lines are split by the record reader with a separator that cannot occur in UTF-8 text.
    FileRows rows(path, std::string(1, '\0'), options, report, /*quoted=*/false);
    std::array<std::string, kFieldCount> columns;
    bool resolved = false;
    MappedValues values;
    while (rows.next()) {
      const std::string_view text = rows.field(0);
      simdjson::dom::element doc;
      // parse() copies the line into the parser's own padded buffer.
      const simdjson::error_code parsed = parser.parse(text.data(), text.size()).get(doc);
      if (parsed == simdjson::UTF8_ERROR) {
        // JSON text is UTF-8 (RFC 8259); unlike delimited files, a line is not decoded as Latin-1.
        report.issues.reject("bad_utf8", rows.where(), "", "UTF-8 text (convert the file: iconv -f latin1 -t utf-8)",
                             text);
        continue;
      }
      if (parsed != simdjson::SUCCESS || !doc.is_object()) {
        report.issues.reject("bad_json", rows.where(), "", "a JSON object", text);
        continue;
      }
      const simdjson::dom::object obj = doc.get_object().value_unsafe();
      if (!resolved) {
        // Columns are resolved against the first object's keys.
        columns = resolve_columns(
            options.mapping, [&](std::string_view name) { return obj.at_key(name).error() == simdjson::SUCCESS; }, path,
            "jsonl");
        resolved = true;
      }
      for (std::size_t i = 0; i < kFieldCount; ++i) {
        values[i] = std::nullopt;
        if (columns[i].empty()) continue;
        simdjson::dom::element v;
        if (obj.at_key(columns[i]).get(v) != simdjson::SUCCESS) continue;
        if (v.is_string()) {
          values[i] = std::string_view(v.get_string().value_unsafe());
        } else if (!v.is_null() && !v.is_object() && !v.is_array()) {  // a number or boolean
          number_text[i] = simdjson::minify(v);
          values[i] = number_text[i];
        }
      }
      builder.add(rows.where(), values, columns);
    }
  }
}

}  // namespace aisle
