#include "aisle/core/text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "aisle/core/error.h"
#include "aisle/core/top_k.h"

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

TEST(Text, PrintableEscapesControlAndNonUtf8BytesAndCuts) {
  EXPECT_EQ(printable("caf\xC3\xA9"), "caf\xC3\xA9");  // valid UTF-8 stays
  EXPECT_EQ(printable("caf\xE9"), "caf\\xE9");
  EXPECT_EQ(printable(std::string("a\0b\x1b", 4)), "a\\x00b\\x1B");
  EXPECT_EQ(printable("abcdef", 3), "abc...");
  EXPECT_EQ(printable("\xE2\x82"), "\\xE2\\x82");  // a truncated sequence
}

TEST(Text, Utf8OrLatin1KeepsValidTextWithoutCopying) {
  std::string buffer;
  const std::string_view valid = "caf\xC3\xA9";
  EXPECT_EQ(utf8_or_latin1(valid, buffer).data(), valid.data());
  EXPECT_EQ(utf8_or_latin1("caf\xE9", buffer), "caf\xC3\xA9");
}

TEST(Text, EditDistance) {
  EXPECT_EQ(edit_distance("notebok", "notebook"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("same", "same"), 0u);
}

TEST(Text, KIsAWholeNumberFromOneToTheMaximum) {
  EXPECT_EQ(parse_k("10", "--k"), 10u);
  EXPECT_EQ(parse_k(" 10000 ", "--k"), kMaxK);
  for (const char* bad : {"0", "-5", "10001", "99999999999999999999", "ten", "", "1.5"}) {
    try {
      parse_k(bad, "--k");
      ADD_FAILURE() << bad;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("--k: expected a whole number from 1 to 10000"), std::string::npos)
          << e.what();
    }
  }
}

}  // namespace
}  // namespace aisle
