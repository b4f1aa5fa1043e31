#include "aisle/core/timestamp.h"

#include <gtest/gtest.h>

namespace aisle {
namespace {

TEST(Timestamp, Iso8601Forms) {
  // 2010-12-01 08:26:00 UTC = 1291191960
  EXPECT_EQ(parse_timestamp("2010-12-01 08:26:00", TimeFormat::kIso8601), 1291191960);
  EXPECT_EQ(parse_timestamp("2010-12-01T08:26:00Z", TimeFormat::kIso8601), 1291191960);
  EXPECT_EQ(parse_timestamp("2010-12-01 08:26:00 UTC", TimeFormat::kIso8601), 1291191960);
  EXPECT_EQ(parse_timestamp("2010-12-01T09:26:00+01:00", TimeFormat::kIso8601), 1291191960);
  EXPECT_EQ(parse_timestamp("2010-12-01T08:26:00.999Z", TimeFormat::kIso8601), 1291191960);
  EXPECT_EQ(parse_timestamp("2010-12-01 08:26", TimeFormat::kIso8601), 1291191960);
  EXPECT_EQ(parse_timestamp("1970-01-01", TimeFormat::kIso8601), 0);
}

TEST(Timestamp, InvalidDatesAreRejected) {
  EXPECT_FALSE(parse_timestamp("2011-02-30 00:00:00", TimeFormat::kIso8601));
  EXPECT_FALSE(parse_timestamp("2011-13-01", TimeFormat::kIso8601));
  EXPECT_FALSE(parse_timestamp("2011-01-01 24:00:00", TimeFormat::kIso8601));
  EXPECT_FALSE(parse_timestamp("12/1/2010 8:26", TimeFormat::kIso8601));
  EXPECT_FALSE(parse_timestamp("2011-01-01 10:00:00 CET", TimeFormat::kIso8601));
  EXPECT_FALSE(parse_timestamp("", TimeFormat::kUnixSeconds));
}

TEST(Timestamp, UnixSecondsAndMillis) {
  EXPECT_EQ(parse_timestamp("874724710", TimeFormat::kUnixSeconds), 874724710);
  EXPECT_EQ(parse_timestamp("1396009830.5", TimeFormat::kUnixSeconds), 1396009830);
  EXPECT_EQ(parse_timestamp("1433221332117", TimeFormat::kUnixMillis), 1433221332);
  EXPECT_EQ(parse_timestamp("-1500", TimeFormat::kUnixMillis), -2);  // floor, not truncation
}

TEST(Timestamp, NumbersOutsideYearsOf4DigitsAreNoTimes) {
  EXPECT_FALSE(parse_timestamp("-9223372036854775808", TimeFormat::kUnixMillis));
  EXPECT_FALSE(parse_timestamp("9223372036854775807", TimeFormat::kUnixSeconds));
  EXPECT_FALSE(parse_timestamp("1e300", TimeFormat::kUnixSeconds));
  EXPECT_EQ(parse_timestamp("253402300799", TimeFormat::kUnixSeconds), 253402300799);
}

TEST(Timestamp, AutoTellsMillisFromSecondsFromIso) {
  EXPECT_EQ(parse_timestamp("1433221332117", TimeFormat::kAuto), 1433221332);
  EXPECT_EQ(parse_timestamp("874724710", TimeFormat::kAuto), 874724710);
  EXPECT_EQ(parse_timestamp("2010-12-01 08:26:00", TimeFormat::kAuto), 1291191960);
}

TEST(Timestamp, FormatIsTheInverseOfParse) {
  EXPECT_EQ(format_timestamp(1291191960), "2010-12-01 08:26:00");
  EXPECT_EQ(format_timestamp(-1), "1969-12-31 23:59:59");
  EXPECT_EQ(parse_timestamp(format_timestamp(1323435000), TimeFormat::kIso8601), 1323435000);
}

}  // namespace
}  // namespace aisle
