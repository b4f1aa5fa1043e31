#include "aisle/data/readers/file_part.h"

#include <gtest/gtest.h>

#include "aisle/core/error.h"
#include "aisle/data/readers/reader.h"
#include "test_util.h"

namespace aisle {
namespace {

// Reads the file in `parts` parts, as the ranks of a distributed fit do (line counts exchanged
// first), into one log per part.
std::vector<EventLog> read_in_parts(const std::string& path, int parts, const ReadOptions& base = {}) {
  std::vector<FilePart> plan;
  for (int p = 0; p < parts; ++p) plan.push_back(plan_part(path, p, parts));
  std::uint64_t lines = 0;
  for (FilePart& part : plan) {
    part.first_line += lines;
    lines += count_lines(part);
  }
  std::vector<EventLog> logs(static_cast<std::size_t>(parts));
  for (int p = 0; p < parts; ++p) {
    ReadOptions o = base;
    o.allow_empty = true;
    o.part = &plan[static_cast<std::size_t>(p)];
    const std::vector<std::string> files = {path};
    read_files("csv", files, o, logs[static_cast<std::size_t>(p)]);
  }
  return logs;
}

TEST(FilePart, PartsCoverEveryRowOnceInOrder) {
  test::TempDir dir;
  std::string text = "\n\xEF\xBB\xBFuser,item,weight,timestamp\r\n";
  for (int r = 0; r < 50; ++r) text += "u" + std::to_string(r % 7) + ",i" + std::to_string(r) + ",1,1295344860\r\n";
  const std::string path = dir.write("e.csv", text);
  EventLog whole;
  read_files("csv", std::vector<std::string>{path}, ReadOptions{}, whole);
  for (int parts : {1, 2, 3, 7, 64}) {
    std::vector<std::string> items;
    for (const EventLog& log : read_in_parts(path, parts)) {
      for (const Event& e : log.events) items.emplace_back(log.items.name(e.item));
    }
    ASSERT_EQ(items.size(), whole.events.size()) << parts << " parts";
    for (std::size_t k = 0; k < items.size(); ++k) EXPECT_EQ(items[k], whole.items.name(whole.events[k].item));
  }
}

TEST(FilePart, BoundsAreLineStartsAndTheHeaderIsSkipped) {
  test::TempDir dir;
  const std::string path = dir.write("e.csv", "user,item\na,x\nbb,yy\nccc,zzz\n");
  const FilePart first = plan_part(path, 0, 2), second = plan_part(path, 1, 2);
  EXPECT_EQ(first.header_end, 10u);
  EXPECT_EQ(first.header_lines, 1u);
  EXPECT_EQ(first.begin, 10u);
  EXPECT_EQ(first.end, second.begin);
  EXPECT_EQ(second.end, 28u);
  EXPECT_TRUE(can_read_in_parts(path));
  EXPECT_THROW(plan_part(dir.file("missing.csv"), 0, 2), InputError);
}

TEST(FilePart, ARejectedRowNamesTheFilesOwnLine) {
  test::TempDir dir;
  std::string text = "user,item,weight,timestamp\n";
  for (int r = 0; r < 40; ++r) text += "u,i" + std::to_string(r) + "," + (r == 33 ? "heavy" : "1") + ",1295344860\n";
  const std::string path = dir.write("e.csv", text);
  ReadOptions strict;
  strict.strict = true;
  try {
    read_in_parts(path, 3, strict);
    FAIL() << "a strict read accepted a bad weight";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("e.csv:35: column 'weight'"), std::string::npos) << e.what();
  }
}

TEST(FilePart, FewerRowsThanPartsLeavesSomeEmpty) {
  test::TempDir dir;
  const std::string path = dir.write("e.csv", "user,item,weight,timestamp\na,x,1,1\n");
  std::size_t events = 0;
  for (const EventLog& log : read_in_parts(path, 4)) events += log.events.size();
  EXPECT_EQ(events, 1u);
}

}  // namespace
}  // namespace aisle
