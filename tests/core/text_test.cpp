#include "aisle/core/text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace aisle {
namespace {

TEST(Text, TrimRemovesSpacesTabsAndLineEnds) {
  EXPECT_EQ(trim("  SET 2 TEA TOWELS I LOVE LONDON \r\n"), "SET 2 TEA TOWELS I LOVE LONDON");
  EXPECT_EQ(trim(" \t "), "");
  EXPECT_EQ(trim("x"), "x");
}

TEST(Text, ParseNumbersAcceptsOnlyWholeStrings) {
  EXPECT_EQ(parse_int("17850"), 17850);
  EXPECT_EQ(parse_int("-3"), -3);
  EXPECT_EQ(parse_int("+3"), 3);
  EXPECT_FALSE(parse_int("17850.0"));
  EXPECT_FALSE(parse_int(""));
  EXPECT_FALSE(parse_int("12a"));
  EXPECT_EQ(parse_double("-11062.06"), -11062.06);
  EXPECT_FALSE(parse_double("nan"));
  EXPECT_FALSE(parse_double("inf"));
  EXPECT_FALSE(parse_float("1e39"));  // out of float range
  EXPECT_FLOAT_EQ(*parse_float("2.55"), 2.55f);
}

TEST(Text, FloatFormattedIntegerIdsAreNormalised) {
  EXPECT_EQ(normalize_integer_id("17850.0"), "17850");
  EXPECT_EQ(normalize_integer_id("17850.000"), "17850");
  EXPECT_EQ(normalize_integer_id("17850.5"), "17850.5");
  EXPECT_EQ(normalize_integer_id("85123A"), "85123A");
  EXPECT_EQ(normalize_integer_id("A.0"), "A.0");
  EXPECT_EQ(normalize_integer_id(".0"), ".0");
  EXPECT_EQ(normalize_integer_id("1."), "1.");
}

TEST(Text, Latin1IsDecodedAndUtf8KeptAsIs) {
  const std::string latin1 = "Mis\xE9rables";
  EXPECT_FALSE(is_valid_utf8(latin1));
  EXPECT_EQ(latin1_to_utf8(latin1), "Mis\xC3\xA9rables");
  EXPECT_EQ(utf8_or_latin1(latin1), "Mis\xC3\xA9rables");
  EXPECT_EQ(utf8_or_latin1("Voucher \xC2\xA3"
                           "40.00"),
            "Voucher \xC2\xA3"
            "40.00");
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));      // truncated
}

TEST(Text, FloatFormattingRoundTripsExactly) {
  for (float v : {0.1f, 2.55f, -11062.06f, 1e-30f, 3.4e38f, 1.0f / 3.0f}) {
    EXPECT_EQ(*parse_float(format_float(v)), v) << format_float(v);
  }
}

TEST(Text, SplitKeepsEmptyPieces) {
  const auto parts = split("1::Toy Story (1995)::", "::");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[1], "Toy Story (1995)");
  EXPECT_EQ(parts[2], "");
}

}  // namespace
}  // namespace aisle
