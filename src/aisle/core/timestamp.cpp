#include "aisle/core/timestamp.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

#include "aisle/core/text.h"

namespace aisle {

namespace {

// Times are accepted between the years -9999 and 9999 (ISO 8601's four-digit years); outside
// that a number is no timestamp, and arithmetic on it could overflow.
constexpr std::int64_t kMaxSeconds = 253402300799;  // 9999-12-31 23:59:59
bool in_range(std::int64_t t) {
  return t >= -kMaxSeconds && t <= kMaxSeconds;
}

// Reads exactly n digits at s[pos..]; advances pos.
bool digits(std::string_view s, size_t& pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  pos += n;
  return true;
}

bool expect(std::string_view s, size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

std::optional<Timestamp> parse_iso8601(std::string_view s) {
  size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(s, pos, 4, year) || !expect(s, pos, '-') || !digits(s, pos, 2, month) || !expect(s, pos, '-') ||
      !digits(s, pos, 2, day)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  int offset_seconds = 0;
  if (pos < s.size()) {
    if (s[pos] != ' ' && s[pos] != 'T') return std::nullopt;
    ++pos;
    if (!digits(s, pos, 2, hour) || !expect(s, pos, ':') || !digits(s, pos, 2, minute)) {
      return std::nullopt;
    }
    if (expect(s, pos, ':') && !digits(s, pos, 2, second)) return std::nullopt;
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    if (expect(s, pos, '.')) {  // fractional seconds are dropped
      const size_t start = pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      if (pos == start) return std::nullopt;
    }
    const std::string_view zone = trim(s.substr(pos));
    if (zone.empty() || zone == "Z" || zone == "UTC" || zone == "GMT") {
      pos = s.size();
    } else if (zone[0] == '+' || zone[0] == '-') {
      size_t zp = 1;
      int oh = 0, om = 0;
      if (!digits(zone, zp, 2, oh)) return std::nullopt;
      expect(zone, zp, ':');
      if (zp < zone.size() && !digits(zone, zp, 2, om)) return std::nullopt;
      if (zp != zone.size() || oh > 23 || om > 59) return std::nullopt;
      offset_seconds = (zone[0] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
      pos = s.size();
    } else {
      return std::nullopt;
    }
  }
  if (pos != s.size()) return std::nullopt;
  const auto days = std::chrono::sys_days{ymd}.time_since_epoch().count();
  const Timestamp seconds_of_day = Timestamp{hour} * 3600 + Timestamp{minute} * 60 + second;
  return static_cast<Timestamp>(days) * 86400 + seconds_of_day - offset_seconds;
}

}  // namespace

std::optional<TimeFormat> parse_time_format(std::string_view name) {
  if (name == "unix" || name == "unix_s" || name == "s") return TimeFormat::kUnixSeconds;
  if (name == "unix_ms" || name == "ms") return TimeFormat::kUnixMillis;
  if (name == "iso8601" || name == "iso" || name == "datetime") return TimeFormat::kIso8601;
  if (name == "auto") return TimeFormat::kAuto;
  return std::nullopt;
}

const char* time_format_name(TimeFormat f) {
  switch (f) {
    case TimeFormat::kUnixSeconds:
      return "unix";
    case TimeFormat::kUnixMillis:
      return "unix_ms";
    case TimeFormat::kIso8601:
      return "iso8601";
    case TimeFormat::kAuto:
      return "auto";
  }
  return "?";
}

std::optional<Timestamp> parse_timestamp(std::string_view s, TimeFormat format) {
  switch (format) {
    case TimeFormat::kUnixSeconds: {
      if (auto v = parse_int(s)) return in_range(*v) ? std::optional<Timestamp>(*v) : std::nullopt;
      if (auto d = parse_double(s)) {
        if (std::fabs(*d) > static_cast<double>(kMaxSeconds)) return std::nullopt;
        return static_cast<Timestamp>(std::floor(*d));
      }
      return std::nullopt;
    }
    case TimeFormat::kUnixMillis: {
      auto v = parse_int(s);
      if (!v || *v > kMaxSeconds * 1000 || *v < -kMaxSeconds * 1000) return std::nullopt;
      // Floor division, so that times before 1970 round the same way as after.
      return *v >= 0 ? *v / 1000 : -((-*v + 999) / 1000);
    }
    case TimeFormat::kIso8601:
      return parse_iso8601(s);
    case TimeFormat::kAuto: {
      constexpr std::int64_t kMillisFrom = 100'000'000'000;  // 1973 in ms, 5138 AD in seconds
      if (auto v = parse_int(s)) {
        return *v >= kMillisFrom ? parse_timestamp(s, TimeFormat::kUnixMillis) : v;
      }
      if (parse_double(s)) return parse_timestamp(s, TimeFormat::kUnixSeconds);
      return parse_iso8601(s);
    }
  }
  return std::nullopt;
}

std::string format_timestamp(Timestamp t) {
  const auto days = std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds{std::chrono::seconds{t}});
  const std::chrono::year_month_day ymd{days};
  const Timestamp rest = t - days.time_since_epoch().count() * 86400;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(rest / 3600),
                static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  return buf;
}

std::optional<std::int64_t> parse_duration_seconds(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  std::int64_t unit = 1;
  switch (s.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    default:
      unit = 0;
  }
  if (unit != 0) s.remove_suffix(1);
  if (unit == 0) unit = 1;
  const auto n = parse_int(s);
  if (!n || *n <= 0 || *n > std::numeric_limits<std::int64_t>::max() / unit) return std::nullopt;
  return *n * unit;
}

}  // namespace aisle
