// EventStore::read_part on both backends (store_fixture.h): the parts of a store, as the ranks of
// a distributed fit query them (app/distributed_data.h).
#include <gtest/gtest.h>

#include <span>

#include "aisle/store/event_store.h"
#include "store/store_fixture.h"
#include "test_util.h"

namespace aisle {
namespace {

using test::run_of;

class ReadPartTest : public test::StoreTest {};

EventLog retailrocket() {
  return test::read_fixture("retailrocket", {test::fixture("retailrocket/category_tree.csv"),
                                             test::fixture("retailrocket/item_properties_part1.csv"),
                                             test::fixture("retailrocket/events.csv")});
}

TEST_P(ReadPartTest, PartsAreReadsEventsSplitByUserInReadOrder) {
  auto store = open_store(url_);
  store->load(retailrocket(), run_of("retailrocket"));
  const EventLog whole = store->read();
  ASSERT_GT(whole.users.size(), 3u);
  for (const std::uint32_t parts : {1u, 2u, 3u, 7u}) {
    std::size_t events = 0;
    for (std::uint32_t p = 0; p < parts; ++p) {
      const StorePart part = store->read_part(p, parts, p == 0);
      EXPECT_EQ(part.events_stored, whole.events.size());
      EXPECT_EQ(part.log.users, whole.users);
      EXPECT_EQ(part.log.items, whole.items);
      EXPECT_EQ(part.log.sessions, whole.sessions);
      EXPECT_EQ(part.log.event_types, whole.event_types);
      if (p == 0) {
        EXPECT_TRUE(part.log.catalog == whole.catalog);
      } else {
        EXPECT_EQ(part.log.catalog.num_categories(), 0u);
        EXPECT_EQ(part.log.catalog.num_described_items(), 0u);
      }
      // Exactly the events of this part's users, in read()'s order: so the parts are disjoint,
      // together are read()'s events, and each user's events are in one part, in their order.
      std::vector<Event> expected;
      for (const Event& e : whole.events) {
        if (e.user % parts == p) expected.push_back(e);
      }
      ASSERT_EQ(part.log.events.size(), expected.size()) << "part " << p << " of " << parts;
      for (std::size_t k = 0; k < expected.size(); ++k) {
        EXPECT_EQ(part.log.events[k], expected[k]) << "part " << p << " of " << parts << ", event " << k;
      }
      events += part.log.events.size();
    }
    EXPECT_EQ(events, whole.events.size()) << parts << " parts";
  }
}

TEST_P(ReadPartTest, APartCountsTheEventsOfEveryPartInItsSnapshot) {
  auto store = open_store(url_);
  EXPECT_EQ(store->read_part(0, 2, false).events_stored, 0u);
  store->load(retailrocket(), run_of("retailrocket"));
  const std::uint64_t loaded = store->read().events.size();
  EXPECT_EQ(store->read_part(1, 2, false).events_stored, loaded);
  // Loading the same events again adds none; an append adds its own.
  store->load(retailrocket(), run_of("retailrocket"));
  EXPECT_EQ(store->read_part(1, 2, false).events_stored, loaded);
  const LiveEvent live{"new-user", "new-item", "view", "", 1700000000, kAbsent, kAbsent, kAbsent};
  store->append(std::span(&live, 1));
  const StorePart after = store->read_part(0, 2, false);
  EXPECT_EQ(after.events_stored, loaded + 1);
  EXPECT_EQ(after.log.users.size(), store->read().users.size());
}

INSTANTIATE_TEST_SUITE_P(Backends, ReadPartTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace aisle
