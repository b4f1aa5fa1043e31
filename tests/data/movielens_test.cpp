#include <gtest/gtest.h>

#include "aisle/core/text.h"
#include "aisle/data/readers/reader.h"
#include "test_util.h"

namespace aisle {
namespace {

TEST(MovieLens, Ml100kMatchesThePublishedCounts) {
  const std::string data = test::shared_data("movielens-100k/u.data.zst");
  const std::string item = test::shared_data("movielens-100k/u.item.zst");
  const std::string genre = test::shared_data("movielens-100k/u.genre.zst");
  if (data.empty()) GTEST_SKIP() << "../shared/data not present";
  // The .zst suffix hides the name from the classifier on purpose: files are recognised by content.
  EventLog log;
  const std::vector<std::string> files = {data, item, genre};
  const ReadReport r = read_files("movielens", files, ReadOptions{}, log);
  EXPECT_EQ(r.issues.rejected_rows(), 0u);
  EXPECT_EQ(log.events.size(), 100000u);
  EXPECT_EQ(log.users.size(), 943u);
  EXPECT_EQ(log.items.size(), 1682u);
  std::array<int, 6> by_rating{};
  for (const Event& e : log.events) by_rating[static_cast<std::size_t>(e.value)]++;
  EXPECT_EQ(by_rating[1], 6110);
  EXPECT_EQ(by_rating[5], 21201);
  const ItemInfo* toy = log.catalog.find_item(log.items.find("1"));
  ASSERT_NE(toy, nullptr);
  EXPECT_EQ(toy->name, "Toy Story (1995)");
  ASSERT_EQ(toy->categories.size(), 3u);  // Animation, Children's, Comedy
  EXPECT_EQ(log.catalog.category_name(toy->categories[0]), "Animation");
  // u.genre ends with a blank line; it is skipped, not a row.
  EXPECT_EQ(log.catalog.num_categories(), 19u);
  const ItemInfo* unknown = log.catalog.find_item(log.items.find("267"));
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->name, "unknown");
}

TEST(MovieLens, Ml1mLatin1TitlesAreDecoded) {
  const std::string movies = test::shared_data("movielens-1m-PARTIAL/movies.dat.zst");
  if (movies.empty()) GTEST_SKIP() << "../shared/data not present";
  EventLog log;
  const std::vector<std::string> files = {movies};
  const ReadReport r = read_files("movielens", files, ReadOptions{}, log);
  EXPECT_EQ(r.rows_kept, 3883u);
  int non_ascii = 0;
  bool found_miserables = false;
  for (ItemIdx i = 0; i < log.items.size(); ++i) {
    const std::string& name = log.catalog.find_item(i)->name;
    EXPECT_TRUE(is_valid_utf8(name)) << name;
    if (std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
      ++non_ascii;
    found_miserables |= name.find("Mis\xC3\xA9rables") != std::string::npos;
  }
  EXPECT_EQ(non_ascii, 50);  // the data README's count
  EXPECT_TRUE(found_miserables);
  EXPECT_EQ(log.catalog.num_categories(), 18u);
}

TEST(MovieLens, Ml1mRatingsWithDoubleColons) {
  test::TempDir dir;
  const std::string path =
      dir.write("ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n2::1357::x::978298709\n");
  EventLog log;
  const std::vector<std::string> files = {path};
  const ReadReport r = read_files("movielens", files, ReadOptions{}, log);
  ASSERT_EQ(log.events.size(), 2u);
  EXPECT_EQ(log.events[0].time, 978300760);
  EXPECT_EQ(log.events[0].value, 5.0f);
  EXPECT_EQ(r.issues.rejected().at("bad_number").examples.at(0).line, 3u);
}

}  // namespace
}  // namespace aisle
