// The next-item protocol on a hand-checked case: every event after a sequence's first is one
// prediction from the earlier ones, repeats stay eligible, unknown items are misses.
#include "aisle/eval/next_item.h"

#include <gtest/gtest.h>

#include "aisle/models/trained_model.h"

namespace aisle {
namespace {

// Popularity by training users: item "a" (3 users) > "b" (2) > "c" (1); "d" is never trained.
TrainedModel popularity_model() {
  EventLog log;
  const auto add = [&](const char* user, const char* item) {
    Event e;
    e.user = log.users.intern(user);
    e.item = log.items.intern(item);
    e.type = log.event_types.intern("view");
    e.time = 100;
    log.events.push_back(e);
  };
  add("u1", "a"), add("u2", "a"), add("u3", "a"), add("u1", "b"), add("u2", "b"), add("u1", "c");
  Weighting weighting;
  const Interactions pairs =
      aggregate(log.events, weighting.resolve(log.event_types), log.users.size(), log.items.size());
  FitContext context;
  return train_model("popularity:by=users", pairs, log.catalog, log.users, log.items, context);
}

TEST(NextItem, EveryLaterEventIsOnePredictionFromTheEarlierOnes) {
  const TrainedModel model = popularity_model();
  // Test sequences: [b, a, a, d] and [c] (too short: no prediction). Test ids index their own map.
  IdMap test_items;
  Sequences test;
  for (const char* id : {"b", "a", "a", "d"}) {
    test.items.push_back(test_items.intern(id));
    test.times.push_back(static_cast<Timestamp>(test.items.size()));
    test.types.push_back(0);
  }
  test.offsets.push_back(4);
  test.users.push_back(0);
  test.items.push_back(test_items.intern("c"));
  test.times.push_back(9);
  test.types.push_back(0);
  test.offsets.push_back(5);
  test.users.push_back(1);

  const NextItemTest t = make_next_item_test(test, test_items, model.items());
  ASSERT_EQ(t.targets.size(), 3u);
  EXPECT_EQ(t.sessions, 1u);
  EXPECT_EQ(t.unknown_targets, 1u);
  EXPECT_EQ(t.queries[2].items.size(), 3u);  // b, a, a: repeats kept in the prefix

  const std::size_t ks[] = {1, 2};
  const NextItemResult r = evaluate_next_item(model, t, ks, RunContext{});
  const UserMetrics& m = r.per_prediction;
  ASSERT_EQ(m.names, (std::vector<std::string>{"hr@1", "mrr@1", "hr@2", "mrr@2"}));
  // Ranking a > b > c for every prefix, seen items included. Targets: a (rank 1), a (rank 1), d (miss).
  EXPECT_EQ(m.at(0, 0), 1.0);
  EXPECT_EQ(m.at(1, 0), 1.0);  // "a" was already in the session and is still eligible
  EXPECT_EQ(m.at(2, 0), 0.0);
  EXPECT_EQ(m.at(2, 2), 0.0);
  EXPECT_DOUBLE_EQ(m.mean(0), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.mean(3), 2.0 / 3.0);
}

}  // namespace
}  // namespace aisle
