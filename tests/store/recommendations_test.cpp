// Recommendation batches on both backends (store_fixture.h): a batch is served only once
// complete, the newest complete one by default, lists read back exactly, writers from several
// store objects at once, and a version 2 store gains the tables.
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "aisle/core/error.h"
#include "aisle/store/event_store.h"
#include "store/store_fixture.h"

namespace aisle {
namespace {

using test::raw_sql;

class RecommendationsTest : public test::StoreTest {};

RecommendationBatch batch(std::string version, std::uint32_t k = 3) {
  RecommendationBatch b;
  b.version = std::move(version);
  b.model = "als:factors=8";
  b.k = k;
  return b;
}

// Lists for users u0..u{n-1} (u{first}.. on), each of its own length (user 3 has none) and scores
// a text round trip could lose.
std::vector<UserRecommendations> lists(std::size_t first, std::size_t n) {
  std::vector<UserRecommendations> out;
  for (std::size_t u = first; u < first + n; ++u) {
    UserRecommendations l{"u" + std::to_string(u), {}};
    for (std::size_t p = 0; p < u % 4; ++p) {
      l.items.push_back({"item-" + std::to_string(u * 7 + p), 1.0f / 3.0f - static_cast<float>(p) * 1e-7f});
    }
    out.push_back(std::move(l));
  }
  return out;
}

TEST_P(RecommendationsTest, AHalfWrittenBatchIsNeverServed) {
  auto store = open_store(url_);
  EXPECT_FALSE(store->stored_recommendations("u1").has_value());
  store->begin_recommendations(batch("v1"));
  store->write_recommendations("v1", lists(0, 6));
  EXPECT_FALSE(store->stored_recommendations("u1").has_value());
  EXPECT_FALSE(store->stored_recommendations("u1", "v1").has_value());
  const RecommendationBatch done = store->complete_recommendations("v1");
  EXPECT_EQ(done.users, 4u);  // u0 and u4 have empty lists: no rows
  EXPECT_EQ(done.row_count, 0u + 1 + 2 + 3 + 0 + 1);
  ASSERT_TRUE(done.completed_at.has_value());
  EXPECT_EQ(done.model, "als:factors=8");
  EXPECT_EQ(done.k, 3u);

  // A second batch, half written, leaves the first in service.
  store->begin_recommendations(batch("v2"));
  store->write_recommendations("v2", std::vector<UserRecommendations>{{"u1", {{"other", 9.0f}}}});
  const auto served = store->stored_recommendations("u1");
  ASSERT_TRUE(served.has_value());
  EXPECT_EQ(served->batch.version, "v1");
  EXPECT_EQ(served->items, lists(1, 1)[0].items);
  // Once complete, the second one is the newest; the first still answers by its version.
  store->complete_recommendations("v2");
  EXPECT_EQ(store->stored_recommendations("u1")->batch.version, "v2");
  EXPECT_EQ(store->stored_recommendations("u1")->items, (std::vector<StoredRecommendation>{{"other", 9.0f}}));
  EXPECT_EQ(store->stored_recommendations("u1", "v1")->items, lists(1, 1)[0].items);
  // A user the newest batch has no list for: the batch, no items.
  const auto none = store->stored_recommendations("u3");
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->batch.version, "v2");
  EXPECT_TRUE(none->items.empty());
  EXPECT_FALSE(store->stored_recommendations("u1", "v9").has_value());
  const auto all = store->recommendation_batches();
  ASSERT_EQ(all.size(), 2u);
}

TEST_P(RecommendationsTest, ListsReadBackExactly) {
  auto store = open_store(url_);
  store->begin_recommendations(batch("v1"));
  const auto written = lists(0, 40);
  store->write_recommendations("v1", std::span(written).first(20));
  open_store(url_)->write_recommendations("v1", std::span(written).subspan(20));
  store->complete_recommendations("v1");
  auto reader = open_store(url_, OpenMode::kExisting);
  for (const UserRecommendations& l : written) {
    const auto back = reader->stored_recommendations(l.user);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->items, l.items) << l.user;
  }
}

TEST_P(RecommendationsTest, WritesAreCheckedAndAllOrNothing) {
  auto store = open_store(url_);
  EXPECT_THROW(store->write_recommendations("v1", lists(0, 2)), StoreError);  // not begun
  EXPECT_THROW(store->complete_recommendations("v1"), StoreError);
  EXPECT_THROW(store->begin_recommendations(batch("")), InputError);
  EXPECT_THROW(store->begin_recommendations(batch("v1", 0)), InputError);
  store->begin_recommendations(batch("v1"));
  EXPECT_THROW(store->write_recommendations("v1", std::vector<UserRecommendations>{{"", {}}}), InputError);
  const std::vector<UserRecommendations> nan_score{{"u", {{"i", std::nanf("")}}}};
  EXPECT_THROW(store->write_recommendations("v1", nan_score), InputError);
  store->write_recommendations("v1", lists(0, 3));
  // u2 is already there: the call fails whole, u9 is not written either.
  auto again = lists(9, 1);
  again.push_back(lists(2, 1)[0]);
  EXPECT_THROW(store->write_recommendations("v1", again), StoreError);
  const RecommendationBatch done = store->complete_recommendations("v1");
  EXPECT_EQ(done.users, 2u);
  EXPECT_THROW(store->write_recommendations("v1", lists(5, 1)), StoreError);  // complete
  EXPECT_THROW(store->complete_recommendations("v1"), StoreError);
  // Beginning a version again drops its rows; it is not served until complete again.
  store->begin_recommendations(batch("v1"));
  EXPECT_FALSE(store->stored_recommendations("u1").has_value());
  store->write_recommendations("v1", lists(5, 1));
  EXPECT_EQ(store->complete_recommendations("v1").users, 1u);
  EXPECT_TRUE(store->stored_recommendations("u1")->items.empty());
}

// Writers in other threads, each with its own store object (as the ranks of a batch job).
TEST_P(RecommendationsTest, ConcurrentWritersAllLand) {
  open_store(url_)->begin_recommendations(batch("v1"));
  constexpr std::size_t kWriters = 3, kChunks = 5, kUsers = 40;  // multiples of 4: lists(0, n) has n / 4 * 6 rows
  std::vector<std::thread> writers;
  std::vector<std::string> errors(kWriters);
  for (std::size_t w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      try {
        auto store = open_store(url_);
        for (std::size_t c = 0; c < kChunks; ++c) {
          store->write_recommendations("v1", lists((w * kChunks + c) * kUsers, kUsers));
        }
      } catch (const std::exception& e) {
        errors[w] = e.what();
      }
    });
  }
  for (std::thread& t : writers) t.join();
  for (const std::string& e : errors) EXPECT_EQ(e, "");
  const RecommendationBatch done = open_store(url_)->complete_recommendations("v1");
  EXPECT_EQ(done.users, kWriters * kChunks * kUsers * 3 / 4);
  EXPECT_EQ(done.row_count, kWriters * kChunks * kUsers / 4 * (0 + 1 + 2 + 3));
}

// A store written before the recommendation tables (schema version 2) opens and gains them.
TEST_P(RecommendationsTest, AVersionTwoStoreIsUpgradedInPlace) {
  open_store(url_)->load(test::online_retail(), test::run_of("online-retail"));
  raw_sql(url_, "DROP TABLE recommendations");
  raw_sql(url_, "DROP TABLE recommendation_batches");
  raw_sql(url_, "UPDATE meta SET value = '2' WHERE key = 'schema_version'");
  auto store = open_store(url_, OpenMode::kExisting);
  EXPECT_EQ(store->read().events.size(), test::online_retail().events.size());
  store->begin_recommendations(batch("v1"));
  store->write_recommendations("v1", lists(1, 1));
  store->complete_recommendations("v1");
  EXPECT_EQ(store->stored_recommendations("u1")->items.size(), 1u);
  raw_sql(url_, "UPDATE meta SET value = '999' WHERE key = 'schema_version' AND value = '3'");  // 3 was written
  EXPECT_THROW(open_store(url_), StoreError);
}

INSTANTIATE_TEST_SUITE_P(Backends, RecommendationsTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace aisle
