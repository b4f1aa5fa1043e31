// The new-users split: held-out users leave training whole; each is asked for as the anonymous
// history of their first n events, their other items are the test items.
#include "aisle/eval/new_users.h"

#include <gtest/gtest.h>

#include "aisle/core/error.h"
#include "aisle/data/weighting.h"

namespace aisle {
namespace {

// 20 users; user u clicks items u % 5, (u + 1) % 5, ..., five events at times 1..5, and user 19
// also clicks item 9, which no other user has.
EventLog clicks() {
  EventLog log;
  const EventTypeIdx view = log.event_types.intern("view");
  for (int i = 0; i < 10; ++i) log.items.intern("i" + std::to_string(i));
  for (UserIdx u = 0; u < 20; ++u) {
    log.users.intern("u" + std::to_string(u));
    for (int j = 0; j < 5; ++j) {
      Event e;
      e.user = u;
      e.item = static_cast<ItemIdx>((u + j) % 5);
      e.type = view;
      e.time = 1 + j;
      log.events.push_back(e);
    }
  }
  Event extra;
  extra.user = 19;
  extra.item = 9;
  extra.type = view;
  extra.time = 9;
  log.events.push_back(extra);
  return log;
}

TEST(NewUsers, HeldOutUsersLeaveTrainingAndAreAskedByTheirFirstEvents) {
  const EventLog log = clicks();
  const Interactions pairs =
      aggregate(log.events, Weighting().resolve(log.event_types), log.users.size(), log.items.size());
  NewUsersOptions o;
  o.share = 0.25;
  o.first = {1, 3};
  const NewUsersSplit s = split_new_users(log, pairs, o);
  EXPECT_EQ(s.held_out, 5u);
  ASSERT_EQ(s.tests.size(), 2u);
  const TestSet& one = s.tests[0];
  ASSERT_EQ(one.size(), 5u);
  ASSERT_EQ(one.anonymous.size(), 5u);
  for (std::size_t k = 0; k < one.size(); ++k) {
    const UserIdx u = one.users[k];
    EXPECT_EQ(s.train.row_ptr[u], s.train.row_ptr[u + 1]) << "held-out user " << u << " is not trained on";
    EXPECT_EQ(one.anonymous[k].user, kNoIndex);
    ASSERT_EQ(one.anonymous[k].items, std::vector<ItemIdx>{u % 5});  // the first event
    // The other four of the five items; user 19's item 9 was never trained on: a miss, not a test item.
    const auto tests = one.items_of(k);
    EXPECT_EQ(tests.size(), 4u);
    EXPECT_EQ(one.num_relevant[k], u == 19 ? 5u : 4u);
    for (ItemIdx i : tests) EXPECT_NE(i, u % 5);
    EXPECT_EQ(s.tests[1].anonymous[k].items.size(), 3u);
    EXPECT_EQ(s.tests[1].items_of(k).size(), 2u);
  }
  // The other users are trained on in full.
  std::uint64_t trained_pairs = 0;
  for (UserIdx u = 0; u < 20; ++u) trained_pairs += s.train.row_ptr[u + 1] - s.train.row_ptr[u];
  EXPECT_EQ(trained_pairs + 5 * 5 + (std::find(one.users.begin(), one.users.end(), 19) != one.users.end() ? 1 : 0),
            pairs.num_pairs());
  // The same users for every n; the same seed, the same users.
  EXPECT_EQ(s.tests[1].users, one.users);
  EXPECT_EQ(split_new_users(log, pairs, o).tests[0].users, one.users);
  o.seed = 9;
  EXPECT_NE(split_new_users(log, pairs, o).tests[0].users, one.users);

  o.share = 1.5;
  EXPECT_THROW(split_new_users(log, pairs, o), ConfigError);
}

}  // namespace
}  // namespace aisle
