#include "aisle/data/interactions.h"

#include <gtest/gtest.h>

namespace aisle {
namespace {

// types: 0 view (1), 1 cart (3), 2 purchase (5), 3 cancel (-5)
std::vector<TypeWeight> rules() {
  IdMap types;
  for (const char* t : {"view", "cart", "purchase", "cancel"}) types.intern(t);
  return Weighting().resolve(types);
}

Event ev(UserIdx u, ItemIdx i, EventTypeIdx t, Timestamp time) {
  Event e;
  e.user = u;
  e.item = i;
  e.type = t;
  e.time = time;
  return e;
}

TEST(Aggregate, SumsWeightsKeepsLastTimeAndCounts) {
  const std::vector<Event> events = {
      ev(1, 2, 0, 100), ev(0, 1, 0, 50), ev(1, 2, 1, 300), ev(1, 0, 2, 200), ev(1, 2, 0, 250), ev(0, 1, 2, 40),
  };
  const Interactions p = aggregate(events, rules(), 3, 3);
  ASSERT_EQ(p.num_pairs(), 3u);
  EXPECT_EQ(p.row_ptr, (std::vector<std::uint64_t>{0, 1, 3, 3}));
  // user 0: item 1 = view + purchase
  EXPECT_EQ(p.item[0], 1u);
  EXPECT_EQ(p.weight[0], 6.0f);
  EXPECT_EQ(p.last_time[0], 50);
  EXPECT_EQ(p.count[0], 2u);
  // user 1: items ascending: 0 (purchase), 2 (view + cart + view)
  EXPECT_EQ(p.item[1], 0u);
  EXPECT_EQ(p.weight[1], 5.0f);
  EXPECT_EQ(p.item[2], 2u);
  EXPECT_EQ(p.weight[2], 5.0f);
  EXPECT_EQ(p.last_time[2], 300);
  EXPECT_EQ(p.count[2], 3u);
}

TEST(Aggregate, CancellationsCancelAndZeroWeightTypesAreIgnored) {
  IdMap types;
  for (const char* t : {"view", "purchase", "cancel"}) types.intern(t);
  const auto r = Weighting::parse("view=0").resolve(types);
  const std::vector<Event> events = {ev(0, 0, 1, 10), ev(0, 0, 2, 20), ev(0, 1, 0, 30)};
  const Interactions p = aggregate(events, r, 1, 2);
  ASSERT_EQ(p.num_pairs(), 1u);  // the view of item 1 is ignored
  EXPECT_EQ(p.weight[0], 0.0f);  // bought then cancelled
  EXPECT_EQ(p.count[0], 2u);
}

TEST(Aggregate, EmptyLogGivesEmptyRows) {
  const Interactions p = aggregate({}, rules(), 2, 2);
  EXPECT_EQ(p.num_pairs(), 0u);
  EXPECT_EQ(p.row_ptr, (std::vector<std::uint64_t>{0, 0, 0}));
}

TEST(ReferenceTime, IsTheNewestTimeLeavingOutFarOutliers) {
  std::vector<Timestamp> times;
  for (Timestamp t = 0; t < 10000; ++t) times.push_back(1'300'000'000 + t * 3600);  // ~14 months, hourly
  const Timestamp newest = times.back();
  EXPECT_EQ(reference_time(times), newest);  // no outlier: exactly the newest
  times.push_back(4'102'444'800);            // 2100-01-01
  times.push_back(0);                        // unknown
  EXPECT_EQ(reference_time(times), newest);
  EXPECT_EQ(reference_time(std::vector<Timestamp>{0, 0}), 0);
  EXPECT_EQ(reference_time(std::vector<Timestamp>{5}), 5);
}

}  // namespace
}  // namespace aisle
