#include "aisle/store/postgres/connection.h"

namespace aisle::pg {

std::string real_text(float v) {
  return format_float(v == 0.0f ? 0.0f : v);
}

void parse_copy_row(std::string_view line, std::vector<std::optional<std::string>>& fields) {
  fields.clear();
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  for (std::string_view raw : split(line, "\t")) {
    if (raw == "\\N") {
      fields.emplace_back(std::nullopt);
      continue;
    }
    std::string v;
    v.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '\\' || i + 1 == raw.size()) {
        v += raw[i];
        continue;
      }
      const char c = raw[++i];
      v += c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
    }
    fields.emplace_back(std::move(v));
  }
}

std::string quote_literal(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

}  // namespace aisle::pg
