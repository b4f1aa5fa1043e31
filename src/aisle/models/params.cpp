#include "aisle/models/params.h"

#include <charconv>
#include <cmath>

#include "aisle/core/error.h"
#include "aisle/core/text.h"

namespace aisle::param_detail {

namespace {
std::string where(std::string_view model, std::string_view key) {
  return "model '" + std::string(model) + "', parameter '" + std::string(key) + "'";
}
}  // namespace

double parse_number(std::string_view model, std::string_view key, std::string_view text, bool integer, double min,
                    double max) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) {
    throw ConfigError(where(model, key) + ": expected a number, found '" + std::string(text) + "'");
  }
  if (integer && v != std::floor(v)) {
    throw ConfigError(where(model, key) + ": expected a whole number, found '" + std::string(text) + "'");
  }
  if (v < min || v > max) {
    throw ConfigError(where(model, key) + ": " + std::string(text) + " is out of range [" +
                      format_number(min, integer) + ", " + format_number(max, integer) + "]");
  }
  return v;
}

std::string parse_choice(std::string_view model, std::string_view key, std::string_view text,
                         const std::vector<std::string_view>& choices) {
  std::string known;
  for (std::string_view c : choices) {
    if (c == text) return std::string(text);
    known += (known.empty() ? "" : ", ") + std::string(c);
  }
  throw ConfigError(where(model, key) + ": unknown value '" + std::string(text) + "'; known: " + known);
}

std::string format_number(double v, bool integer) {
  if (integer) return std::to_string(static_cast<long long>(v));
  // Parameters are floats: the shortest text that reads back as the same float.
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<float>(v));
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

std::vector<std::pair<std::string, std::string>> split_args(std::string_view model, std::string_view args) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::string_view part : split(args, ",")) {
    part = trim(part);
    if (part.empty()) continue;
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      throw ConfigError("model '" + std::string(model) + "': expected key=value, found '" + std::string(part) + "'");
    }
    std::string key(trim(part.substr(0, eq)));
    for (const auto& [k, v] : out) {
      if (k == key) throw ConfigError(where(model, key) + ": given twice");
    }
    out.emplace_back(std::move(key), std::string(trim(part.substr(eq + 1))));
  }
  return out;
}

void unknown_key(std::string_view model, std::string_view key, const std::vector<std::string>& known) {
  std::string list;
  for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
  throw ConfigError("model '" + std::string(model) + "': unknown parameter '" + std::string(key) + "'; known: " + list);
}

void check_search_range(std::string_view model, std::string_view key, bool exists, bool choice, double min, double max,
                        double search_min, double search_max) {
  const std::string where = std::string(model) + "." + std::string(key);
  AISLE_CHECK_MSG(exists, "search range of an unknown parameter " + where);
  AISLE_CHECK_MSG(choice || (min <= search_min && search_min < search_max && search_max <= max),
                  "search range of " + where + " outside its valid range");
}

}  // namespace aisle::param_detail
