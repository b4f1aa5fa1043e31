#include "aisle/data/readers/record_reader.h"

#include <gtest/gtest.h>

#include "aisle/core/error.h"

namespace aisle {
namespace {

std::vector<std::vector<std::string>> records(const std::string& text, const std::string& sep = ",",
                                              std::vector<std::uint64_t>* lines = nullptr) {
  RecordReader r(memory_input("t.csv", text), sep);
  std::vector<std::vector<std::string>> out;
  Record rec;
  while (r.next(rec)) {
    out.emplace_back(rec.fields.begin(), rec.fields.end());
    if (lines) lines->push_back(rec.line);
  }
  return out;
}

using Rows = std::vector<std::vector<std::string>>;

TEST(RecordReader, Rfc4180QuotingWithDoubledQuotes) {
  // A real Online Retail row.
  const auto r = records("536477,22041,\"RECORD FRAME 7\"\" SINGLE SIZE \",48\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0], (std::vector<std::string>{"536477", "22041", "RECORD FRAME 7\" SINGLE SIZE ", "48"}));
}

TEST(RecordReader, QuotedSeparatorsNewlinesAndEmptyFields) {
  std::vector<std::uint64_t> lines;
  const auto r = records("a,\"x,y\",\"line1\nline2\",\n\"\",b,,\nlast,1,2,3", ",", &lines);
  EXPECT_EQ(r, (Rows{{"a", "x,y", "line1\nline2", ""}, {"", "b", "", ""}, {"last", "1", "2", "3"}}));
  EXPECT_EQ(lines, (std::vector<std::uint64_t>{1, 3, 4}));  // physical line numbers
}

TEST(RecordReader, CrLfBlankAndTrailingBlankLines) {
  std::vector<std::uint64_t> lines;
  const auto r = records("h1,h2\r\n\r\n1,2\r\n\n\n", ",", &lines);
  EXPECT_EQ(r, (Rows{{"h1", "h2"}, {"1", "2"}}));
  EXPECT_EQ(lines, (std::vector<std::uint64_t>{1, 3}));
}

TEST(RecordReader, LineEndCrIsTakenOnlyFromTheLastField) {
  // Found by fuzz_csv: an empty last field used to strip the CR of the field before it.
  EXPECT_EQ(records("\"x\r\",\"\"\r\nnext,1\n"), (Rows{{"x\r", ""}, {"next", "1"}}));
  EXPECT_EQ(records("\"\"\"\"\"\r\"u\r\r,\"\""), (Rows{{"\"\"\ru\r\r", ""}}));
}

TEST(RecordReader, QuoteInsideUnquotedFieldIsKept) {
  EXPECT_EQ(records("12\" ruler,3\n"), (Rows{{"12\" ruler", "3"}}));
}

TEST(RecordReader, UnclosedQuoteIsAnErrorWithItsLine) {
  try {
    records("a,b\nc,\"never closed\nmore\n");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("t.csv:2"), std::string::npos) << e.what();
  }
}

TEST(RecordReader, MultiCharacterSeparatorWithoutQuoting) {
  EXPECT_EQ(records("1::\"Toy Story\" (1995)::Animation|Comedy\n", "::"),
            (Rows{{"1", "\"Toy Story\" (1995)", "Animation|Comedy"}}));
}

TEST(RecordReader, RecordsAcrossBufferRefillsAreIntact) {
  // More than the 1 MiB buffer, with quoted fields and doubled quotes everywhere.
  std::string text;
  Rows expected;
  for (int i = 0; i < 90000; ++i) {
    const std::string s = std::to_string(i);
    text += s + ",\"q\"\"" + s + "\",\"a,b\nc\"," + std::string(i % 7, 'x') + "\n";
    expected.push_back({s, "q\"" + s, "a,b\nc", std::string(i % 7, 'x')});
  }
  ASSERT_GT(text.size(), 2u << 20);
  EXPECT_EQ(records(text), expected);
}

TEST(RecordReader, VeryLongRecordGrowsTheBuffer) {
  const std::string big(3u << 20, 'z');
  EXPECT_EQ(records("a,\"" + big + "\"\nb,c\n"), (Rows{{"a", big}, {"b", "c"}}));
}

}  // namespace
}  // namespace aisle
