// Sequences from an event log: sessions from the log's ids, else an inactivity gap; time order
// with equal times in a seeded order (or the log's); sequences from pairs by last time.
#include "aisle/data/sequences.h"

#include <gtest/gtest.h>

#include <set>

namespace aisle {
namespace {

Event click(UserIdx user, ItemIdx item, Timestamp time, SessionIdx session = kNoIndex) {
  Event e;
  e.user = user;
  e.item = item;
  e.time = time;
  e.session = session;
  e.type = 0;
  return e;
}

std::vector<ItemIdx> items(const Sequences& s, std::size_t i) {
  const auto span = s.items_of(i);
  return {span.begin(), span.end()};
}

TEST(Sequences, SessionIdsFirstThenAnInactivityGapSplitTheEvents) {
  EventLog log;
  // User 0: two sessions by gap (100 s apart, then 4000 s later); user 1: session ids 0 and 1
  // interleaved in time, one event without a session id.
  log.events = {click(0, 5, 1000),    click(0, 6, 1100),    click(0, 7, 5100), click(1, 1, 1050, 0),
                click(1, 2, 1060, 1), click(1, 3, 1070, 0), click(1, 4, 1080)};
  SequenceOptions o;
  o.session_gap_seconds = 1800;
  const Sequences s = build_sequences(log, o);
  ASSERT_EQ(s.size(), 5u);
  // Oldest first sequence: user 0's first session, then user 1's session 0, ...
  EXPECT_EQ(items(s, 0), (std::vector<ItemIdx>{5, 6}));
  EXPECT_EQ(s.users[0], 0u);
  EXPECT_EQ(items(s, 1), (std::vector<ItemIdx>{1, 3}));
  EXPECT_EQ(items(s, 2), std::vector<ItemIdx>{2});
  EXPECT_EQ(items(s, 3), std::vector<ItemIdx>{4});
  EXPECT_EQ(items(s, 4), std::vector<ItemIdx>{7});
  EXPECT_EQ(s.times_of(4)[0], 5100);
  EXPECT_EQ(s.offsets.back(), log.events.size());

  o.use_session_ids = false;
  o.session_gap_seconds = 0;  // one sequence per user
  const Sequences per_user = build_sequences(log, o);
  ASSERT_EQ(per_user.size(), 2u);
  EXPECT_EQ(items(per_user, 0), (std::vector<ItemIdx>{5, 6, 7}));
  EXPECT_EQ(items(per_user, 1), (std::vector<ItemIdx>{1, 2, 3, 4}));
}

TEST(Sequences, EqualTimesGetASeededOrderOrTheLogs) {
  EventLog log;
  for (ItemIdx i = 0; i < 12; ++i) log.events.push_back(click(0, i, 100));
  SequenceOptions o;
  const Sequences a = build_sequences(log, o);
  EXPECT_EQ(build_sequences(log, o).items, a.items);  // same seed, same order
  std::vector<ItemIdx> by_id(12);
  for (ItemIdx i = 0; i < 12; ++i) by_id[i] = i;
  EXPECT_NE(a.items, by_id);  // not by id
  EXPECT_EQ(std::set<ItemIdx>(a.items.begin(), a.items.end()).size(), 12u);
  o.seed = 7;
  EXPECT_NE(build_sequences(log, o).items, a.items);
  o.ties_in_log_order = true;
  EXPECT_EQ(build_sequences(log, o).items, by_id);
}

TEST(Sequences, FromPairsOrdersEachUsersPairsByLastTime) {
  Interactions pairs;
  pairs.num_users = 3;
  pairs.num_items = 4;
  pairs.row_ptr = {0, 3, 3, 5};
  pairs.item = {0, 1, 3, 2, 3};
  pairs.weight = {1, 1, 1, 1, 1};
  pairs.last_time = {300, 100, 200, 50, 60};
  pairs.count = {1, 1, 1, 1, 1};
  const Sequences s = sequences_from_pairs(pairs);
  ASSERT_EQ(s.size(), 2u);                               // user 1 has no pairs
  EXPECT_EQ(items(s, 0), (std::vector<ItemIdx>{2, 3}));  // user 2 starts earliest
  EXPECT_EQ(s.users[0], 2u);
  EXPECT_EQ(items(s, 1), (std::vector<ItemIdx>{1, 3, 0}));
  EXPECT_EQ(s.users[1], 0u);
}

TEST(Sequences, WithoutPairsDropsEveryEventOfAHeldOutPairAndEmptySequences) {
  EventLog log;
  // User 0: session [5, 6, 5] then, after a gap, [7]; user 1: [1, 2].
  log.events = {click(0, 5, 1000), click(0, 6, 1100), click(0, 5, 1200),
                click(0, 7, 9000), click(1, 1, 1050), click(1, 2, 1060)};
  const Sequences all = build_sequences(log, {});
  ASSERT_EQ(all.size(), 3u);
  // Held out: user 0's pair (0, 5) and its (0, 7); user 1's nothing (it has no row).
  Interactions held;
  held.num_users = 1;
  held.num_items = 8;
  held.row_ptr = {0, 2};
  held.item = {5, 7};
  held.weight = {1, 1};
  held.last_time = {1200, 9000};
  held.count = {2, 1};
  const Sequences s = without_pairs(all, held);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(items(s, 0), (std::vector<ItemIdx>{6}));
  EXPECT_EQ(s.users[0], 0u);
  EXPECT_EQ(s.times_of(0)[0], 1100);
  EXPECT_EQ(items(s, 1), (std::vector<ItemIdx>{1, 2}));
  EXPECT_EQ(s.users[1], 1u);
  EXPECT_EQ(s.types.size(), 3u);
}

}  // namespace
}  // namespace aisle
