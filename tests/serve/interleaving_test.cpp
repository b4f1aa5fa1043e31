// Team-draft interleaving (serve/interleaving.h).
#include "aisle/serve/interleaving.h"

#include <gtest/gtest.h>

#include <set>

namespace aisle::serve {
namespace {

std::vector<std::string> ids(std::initializer_list<const char*> list) {
  return {list.begin(), list.end()};
}

TEST(Interleaving, EachTeamAddsItsBestItemNotYetTakenAndIsCreditedForIt) {
  const auto a = ids({"1", "2", "3", "4", "5"});
  const auto b = ids({"2", "6", "1", "7", "8"});
  int a_first = 0;
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    const Interleaved x = team_draft(a, b, 6, seed);
    ASSERT_EQ(x.from.size(), 6u);
    std::set<std::string> seen;
    std::vector<std::size_t> last = {0, 0};
    std::size_t from_a = 0;
    for (std::size_t p = 0; p < x.from.size(); ++p) {
      const std::string& item = (x.from[p] == 0 ? a : b)[x.index[p]];
      EXPECT_TRUE(seen.insert(item).second) << "repeated " << item;
      // A team's picks come in its own order.
      EXPECT_GE(x.index[p], last[x.from[p]]);
      last[x.from[p]] = x.index[p] + 1;
      from_a += x.from[p] == 0;
    }
    // Rounds of one pick each: the teams' shares differ by at most one per round.
    EXPECT_EQ(from_a, 3u);
    a_first += x.from[0] == 0;
    EXPECT_EQ(team_draft(a, b, 6, seed).from, x.from);  // the seed decides
  }
  EXPECT_NEAR(a_first, 100, 30);  // the coin is fair
}

TEST(Interleaving, ShortOrOverlappingListsGiveWhatTheyHave) {
  const auto a = ids({"1", "2"});
  const auto b = ids({"1", "2", "3"});
  const Interleaved x = team_draft(a, b, 10, 3);
  EXPECT_EQ(x.from.size(), 3u);
  EXPECT_TRUE(team_draft({}, {}, 5, 1).from.empty());
  EXPECT_EQ(team_draft(a, {}, 5, 1).from, (std::vector<std::size_t>{0, 0}));
}

}  // namespace
}  // namespace aisle::serve
