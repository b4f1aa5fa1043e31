#include "aisle/data/stats.h"

#include <gtest/gtest.h>

namespace aisle {
namespace {

TEST(Quantiles, NearestRankByHand) {
  std::vector<double> v = {5, 1, 4, 2, 3, 10, 7, 6, 9, 8};
  const Quantiles q = quantiles(v);
  EXPECT_EQ(q.min, 1);
  EXPECT_EQ(q.p25, 3);
  EXPECT_EQ(q.p50, 5);
  EXPECT_EQ(q.p90, 9);
  EXPECT_EQ(q.max, 10);
  EXPECT_DOUBLE_EQ(q.mean, 5.5);
}

TEST(Stats, CountsPairsTopItemsCategoriesAndPrices) {
  EventLog log;
  const auto view = log.event_types.intern("view");
  const auto buy = log.event_types.intern("purchase");
  const auto root = log.catalog.add_category("1", "electronics");
  const auto leaf = log.catalog.add_category("2", "phones");
  log.catalog.set_parent(leaf, root);
  const auto add = [&](const char* u, const char* i, EventTypeIdx t, Timestamp time) {
    Event e;
    e.user = log.users.intern(u);
    e.item = log.items.intern(i);
    e.type = t;
    e.time = time;
    log.events.push_back(e);
  };
  add("u1", "phone", view, 100);
  add("u1", "phone", buy, 200);
  add("u2", "phone", view, 300);
  add("u2", "cable", view, 86500);
  log.catalog.item(log.items.find("phone")).categories = {leaf};
  log.catalog.item(log.items.find("phone")).price = 300.0f;
  log.catalog.item(log.items.intern("unsold")).price = 10.0f;

  const LogStats s = compute_stats(log, Weighting());
  EXPECT_EQ(s.events, 4u);
  EXPECT_EQ(s.users, 2u);
  EXPECT_EQ(s.items, 2u);  // "unsold" has no events
  EXPECT_EQ(s.catalog_items, 2u);
  EXPECT_EQ(s.catalog_only_items, 1u);
  EXPECT_EQ(s.pairs, 3u);
  EXPECT_DOUBLE_EQ(s.sparsity, 1.0 - 3.0 / 4.0);
  ASSERT_EQ(s.events_by_type.size(), 2u);
  EXPECT_EQ(s.events_by_type[0].events, 3u);
  ASSERT_FALSE(s.top_items.empty());
  EXPECT_EQ(s.top_items[0].id, "phone");
  EXPECT_EQ(s.top_items[0].events, 3u);
  EXPECT_EQ(s.top_items[0].users, 2u);
  ASSERT_EQ(s.category_shares.size(), 2u);
  EXPECT_EQ(s.category_shares[0].category, "electronics");  // the top-level category of "phones"
  EXPECT_DOUBLE_EQ(s.category_shares[0].share, 0.75);
  EXPECT_EQ(s.category_shares[1].category, "(none)");
  EXPECT_EQ(s.prices.items_with_price, 2u);
  EXPECT_EQ(s.prices.max, 300.0);
  EXPECT_EQ(s.first_time, 100);
  EXPECT_EQ(s.last_time, 86500);
}

}  // namespace
}  // namespace aisle
