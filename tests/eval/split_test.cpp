#include "aisle/eval/split.h"

#include <gtest/gtest.h>

#include "aisle/core/error.h"
#include "pairs.h"

namespace aisle {
namespace {

using test::P;
using test::pairs_of;

std::vector<ItemIdx> items_of(const Interactions& p, UserIdx u) {
  const auto s = p.items_of(u);
  return {s.begin(), s.end()};
}

TEST(Split, LeaveLastOutHoldsOutTheWholeLastBasket) {
  const Interactions pairs = pairs_of(
      {
          {0, 0, 1, 100},
          {0, 1, 1, 200},
          {0, 2, 1, 200},  // last basket {1, 2}
          {1, 0, 1, 100},
          {1, 3, 1, 100},  // one basket: training only
          {2, 4, 1, 300},  // one pair: training only
          {3, 0, 1, 100},
          {3, 4, -1, 200},
          {3, 1, 2, 150}  // the latest pair was cancelled
      },
      4, 5);
  const Split s = split_pairs(pairs, {});
  EXPECT_EQ(s.description, "leave-last-out");
  EXPECT_EQ(items_of(s.test, 0), (std::vector<ItemIdx>{1, 2}));
  EXPECT_EQ(items_of(s.train, 0), (std::vector<ItemIdx>{0}));
  EXPECT_TRUE(items_of(s.test, 1).empty());
  EXPECT_TRUE(items_of(s.test, 2).empty());
  EXPECT_TRUE(items_of(s.test, 3).empty());  // a cancelled pair is never a test item
  EXPECT_EQ(s.train.num_pairs() + s.test.num_pairs(), pairs.num_pairs());
}

TEST(Split, WithoutTimesOneSeededRandomPairPerUser) {
  std::vector<P> rows;
  for (UserIdx u = 0; u < 50; ++u) {
    for (ItemIdx i = 0; i < 5; ++i) rows.push_back({u, (u + i) % 9, 1, 0});
  }
  rows.push_back({50, 3, 1, 0});  // one pair: stays in training
  const Interactions pairs = pairs_of(rows, 51, 9);
  SplitOptions options;
  options.seed = 3;
  const Split a = split_pairs(pairs, options), b = split_pairs(pairs, options);
  EXPECT_NE(a.description.find("no timestamps"), std::string::npos);
  for (UserIdx u = 0; u < 50; ++u) EXPECT_EQ(a.test.items_of(u).size(), 1u);
  EXPECT_TRUE(a.test.items_of(50).empty());
  EXPECT_EQ(a.left_out[LeftOutReason::kSinglePair], 1u);
  EXPECT_EQ(a.left_out.total(), 1u);
  EXPECT_EQ(a.test.item, b.test.item);
  options.seed = 4;
  EXPECT_NE(split_pairs(pairs, options).test.item, a.test.item);
}

TEST(Split, TemporalCountsNewUsersAndItems) {
  const Interactions pairs = pairs_of(
      {
          {0, 0, 1, 100},
          {0, 1, 1, 500},  // item 1 after the cut-off
          {1, 2, 1, 600},  // a user seen only after the cut-off
          {2, 0, 1, 100},
          {2, 3, 1, 700},  // item 3 exists only after the cut-off
      },
      3, 4);
  SplitOptions options;
  options.protocol = SplitProtocol::kTemporal;
  options.cutoff = 400;
  const Split s = split_pairs(pairs, options);
  EXPECT_NE(s.description.find("temporal"), std::string::npos);
  const TestSet t = make_test_set(s.train, s.test);
  EXPECT_EQ(t.users, (std::vector<UserIdx>{0, 2}));
  EXPECT_EQ(t.unknown_users, 1u);
  EXPECT_EQ(left_out_users(s.left_out, t)[LeftOutReason::kNoTrainingPairs], 1u);
  EXPECT_EQ(s.left_out.total(), 0u);  // every user has a pair at or after the cut-off
  EXPECT_EQ(t.unknown_user_pairs, 1u);
  EXPECT_EQ(t.unreachable_pairs, 2u);  // items 1 and 3 have no training pair
  EXPECT_EQ(t.num_relevant, (std::vector<std::uint32_t>{1, 1}));
  EXPECT_TRUE(t.items.empty());
}

TEST(Split, TemporalDefaultCutOffIsTheQuantileOfEventTimes) {
  std::vector<P> rows;
  for (ItemIdx i = 0; i < 10; ++i) rows.push_back({0, i, 1, 100 * (i + 1)});
  const Split s = split_pairs(pairs_of(rows, 1, 10), {SplitProtocol::kTemporal, std::nullopt, 0.8, 0.2, 1});
  EXPECT_EQ(items_of(s.test, 0), (std::vector<ItemIdx>{7, 8, 9}));  // times >= the 80% quantile (800)
}

TEST(Split, RandomHoldsOutAShareButNeverAll) {
  std::vector<P> rows;
  for (ItemIdx i = 0; i < 10; ++i) rows.push_back({0, i, 1, 5});
  rows.push_back({1, 0, 1, 5});
  rows.push_back({1, 1, 1, 5});
  SplitOptions options;
  options.protocol = SplitProtocol::kRandom;
  options.test_fraction = 0.3;
  const Split s = split_pairs(pairs_of(rows, 2, 10), options);
  EXPECT_EQ(s.test.items_of(0).size(), 3u);
  EXPECT_EQ(s.test.items_of(1).size(), 1u);
  EXPECT_EQ(s.train.items_of(1).size(), 1u);
  options.test_fraction = 1.5;
  EXPECT_THROW(split_pairs(pairs_of(rows, 2, 10), options), ConfigError);
}

TEST(Split, LeaveLastOutCountsEveryUserItLeavesOutByReason) {
  const Interactions pairs = pairs_of(
      {
          {0, 0, 1, 100},
          {0, 1, 1, 200},  // evaluated
          {1, 0, 1, 100},
          {1, 3, 1, 100},  // one basket
          {2, 4, 1, 300},  // one pair
          {3, 0, 1, 100},
          {3, 4, -1, 200},  // the latest pair was cancelled
          {4, 1, -1, 100},
          {4, 2, 1, 200},  // a test pair, but no positive training pair
          {6, 2, 1, 100},  // one pair at the time of others' pairs
      },
      7, 5);  // user 5 has no pair
  const Split s = split_pairs(pairs, {});
  EXPECT_EQ(s.left_out[LeftOutReason::kOneTime], 1u);
  EXPECT_EQ(s.left_out[LeftOutReason::kSinglePair], 2u);
  EXPECT_EQ(s.left_out[LeftOutReason::kCancelled], 1u);
  EXPECT_EQ(s.left_out[LeftOutReason::kNoPairs], 1u);
  EXPECT_EQ(s.left_out[LeftOutReason::kNoTrainingPairs], 0u);  // the test set's to count
  const TestSet t = make_test_set(s.train, s.test);
  EXPECT_EQ(t.users, (std::vector<UserIdx>{0}));
  const LeftOutUsers all = left_out_users(s.left_out, t);
  EXPECT_EQ(all[LeftOutReason::kNoTrainingPairs], 1u);
  EXPECT_EQ(all.total() + t.size(), pairs.num_users);
  EXPECT_EQ(describe(all),
            "6 users not evaluated: 1 with no pairs, 2 with a single pair, 1 with all pairs at one time (nothing "
            "before the last basket), 1 with only cancelled pairs to hold out, 1 without training pairs");
  EXPECT_EQ(describe(LeftOutUsers{}), "0 users not evaluated");
}

TEST(Split, EveryUserIsEvaluatedOrCountedOnceUnderEveryProtocol) {
  std::vector<P> rows;
  for (UserIdx u = 0; u < 60; ++u) {
    const UserIdx pairs_of_user = u % 5;  // 0 .. 4 pairs
    for (ItemIdx i = 0; i < pairs_of_user; ++i) {
      const float weight = (u + i) % 7 == 0 ? -1.0f : 1.0f;
      rows.push_back({u, (u + 3 * i) % 11, weight, static_cast<Timestamp>(u % 3 == 0 ? 50 : 10 * (i + u % 4))});
    }
  }
  const Interactions pairs = pairs_of(rows, 60, 11);
  for (SplitProtocol protocol : {SplitProtocol::kLeaveLastOut, SplitProtocol::kTemporal, SplitProtocol::kRandom}) {
    SplitOptions options;
    options.protocol = protocol;
    options.cutoff = 30;
    options.test_fraction = 0.5;
    const Split s = split_pairs(pairs, options);
    const TestSet t = make_test_set(s.train, s.test);
    EXPECT_EQ(left_out_users(s.left_out, t).total() + t.size(), pairs.num_users) << protocol_name(protocol);
    // A given split counts the same users, without knowing why.
    EXPECT_EQ(left_out_users(users_without_test_pairs(s.train, s.test), t).total() + t.size(), pairs.num_users)
        << protocol_name(protocol);
  }
}

TEST(Split, AGivenSplitCountsUsersWithoutTestPairs) {
  const Interactions train = pairs_of({{0, 0, 1, 1}, {1, 0, 1, 1}, {2, 1, 1, 1}}, 3, 2);
  const Interactions test = pairs_of({{0, 1, 1, 2}, {2, 0, -1, 2}, {3, 1, 1, 2}}, 4, 2);
  const LeftOutUsers without = users_without_test_pairs(train, test);
  EXPECT_EQ(without[LeftOutReason::kNoTestPairs], 2u);  // user 1, and user 2 whose test pair was cancelled
  EXPECT_EQ(without.total(), 2u);
  const LeftOutUsers all = left_out_users(without, make_test_set(train, test));
  EXPECT_EQ(all[LeftOutReason::kNoTrainingPairs], 1u);  // user 3
  EXPECT_EQ(all.total(), 3u);
}

TEST(Split, ProtocolNames) {
  EXPECT_EQ(parse_protocol("temporal"), SplitProtocol::kTemporal);
  try {
    parse_protocol("last");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("leave-last-out, temporal, random"), std::string::npos);
  }
}

}  // namespace
}  // namespace aisle
