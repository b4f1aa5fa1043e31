// Timestamps: parsing the formats found in interaction logs into UTC seconds, and printing them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "aisle/core/types.h"

namespace aisle {

enum class TimeFormat {
  kUnixSeconds,  // 874724710 or 1428.5 (a fraction is truncated toward minus infinity)
  kUnixMillis,   // 1433221332117 (RetailRocket)
  kIso8601,      // 2019-10-01 00:00:00, 2019-10-01T00:00:00Z, ... +02:00, ... UTC, 2019-10-01
  kAuto,         // per value: an integer >= 1e11 is unix_ms, another number unix, else iso8601
};

// Parses "unix", "unix_ms", "iso8601", "auto" (the names used in column mappings).
std::optional<TimeFormat> parse_time_format(std::string_view name);
const char* time_format_name(TimeFormat f);

// nullopt when s is not a valid time of that format (including 2011-02-30).
std::optional<Timestamp> parse_timestamp(std::string_view s, TimeFormat format);

// A duration as written in configuration and flags: a whole number with a unit, "90s", "30m",
// "1h", "2d" (or plain seconds, "3600"); nullopt for anything else or a value not above 0.
std::optional<std::int64_t> parse_duration_seconds(std::string_view s);

// "2011-12-09 12:50:00" (UTC).
std::string format_timestamp(Timestamp t);

}  // namespace aisle
