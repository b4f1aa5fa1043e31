// What several servers on one store rely on (docs/SCALE.md, "Serving replicas"): the feedback log
// that lets a server follow what others appended, the store watch that wakes it, and models
// published as versioned blobs. On SQLite and on the PostgreSQL of AISLE_TEST_POSTGRES_URL.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "aisle/core/error.h"
#include "aisle/store/event_store.h"
#include "aisle/store/store_watch.h"
#include "store/store_fixture.h"

namespace aisle {
namespace {

class Replication : public test::StoreTest {};

LiveEvent live(std::string user, std::string item, Timestamp time) {
  LiveEvent e;
  e.user = std::move(user);
  e.item = std::move(item);
  e.type = "view";
  e.time = time;
  return e;
}

std::vector<std::string> users_of(const FollowedFeedback& f) {
  std::vector<std::string> out;
  for (const LiveEvent& e : f.events) out.push_back(e.user);
  return out;
}

TEST_P(Replication, FeedbackAfterGivesEachOtherWritersEventOnceInCommitOrder) {
  auto follower = open_store(url_);
  auto a = open_store(url_);
  auto b = open_store(url_);
  const FollowedFeedback empty = follower->feedback_after(0, 0);
  EXPECT_TRUE(empty.events.empty());
  EXPECT_EQ(empty.through, 0);

  a->append(std::vector<LiveEvent>{live("a1", "x", 100), live("a2", "y", 500)});
  const std::int64_t mine = b->append(std::vector<LiveEvent>{live("b1", "x", 50)}).run_id;
  a->append(std::vector<LiveEvent>{live("a3", "x", 10)});
  // Skipping b's run: a's events in the order committed (not by time), with their fields.
  const FollowedFeedback first = follower->feedback_after(0, mine);
  EXPECT_EQ(users_of(first), (std::vector<std::string>{"a1", "a2", "a3"}));
  EXPECT_EQ(first.events[0].item, "x");
  EXPECT_EQ(first.events[1].time, 500);
  EXPECT_EQ(first.through, 4);  // every logged event, b's too
  // From there on: only what is new; nothing new keeps the position.
  EXPECT_TRUE(follower->feedback_after(first.through, mine).events.empty());
  EXPECT_EQ(follower->feedback_after(first.through, mine).through, first.through);
  b->append(std::vector<LiveEvent>{live("b2", "x", 60)});
  a->append(std::vector<LiveEvent>{live("a4", "x", 60)});
  const FollowedFeedback next = follower->feedback_after(first.through, mine);
  EXPECT_EQ(users_of(next), (std::vector<std::string>{"a4"}));
  EXPECT_EQ(next.through, 6);
  EXPECT_EQ(users_of(follower->feedback_after(first.through, 0)), (std::vector<std::string>{"b2", "a4"}));
}

// The replay of feedback_since and the position it reports come from one snapshot: following on
// from there neither repeats nor skips an event.
TEST_P(Replication, FeedbackSinceReportsTheLogPositionOfItsSnapshot) {
  auto a = open_store(url_);
  a->append(std::vector<LiveEvent>{live("a1", "x", 100), live("a2", "x", 100)});
  auto reader = open_store(url_);
  std::int64_t through = -1;
  EXPECT_EQ(reader->feedback_since(0, 0, &through).size(), 2u);
  EXPECT_EQ(through, 2);
  a->append(std::vector<LiveEvent>{live("a3", "x", 100)});
  EXPECT_EQ(users_of(reader->feedback_after(through, 0)), (std::vector<std::string>{"a3"}));
}

TEST_P(Replication, ModelsArePublishedAsVersionsReadBackByteForByte) {
  auto store = open_store(url_);
  EXPECT_EQ(store->latest_model_version(), 0);
  std::string bytes;
  for (int i = 0; i < 70000; ++i) bytes += static_cast<char>(i * 7 % 256);  // every byte value, NUL included
  EXPECT_EQ(store->publish_model("item_knn:neighbors=50", bytes), 1);
  EXPECT_EQ(open_store(url_)->publish_model("popularity", "second"), 2);
  EXPECT_EQ(store->latest_model_version(), 2);
  const StoredModel one = store->read_model(1);
  EXPECT_EQ(one.version, 1);
  EXPECT_EQ(one.spec, "item_knn:neighbors=50");
  EXPECT_EQ(one.bytes, bytes);
  EXPECT_GT(one.created_at, 1'700'000'000);
  EXPECT_EQ(store->read_model(2).bytes, "second");
  try {
    store->read_model(3);
    FAIL() << "version 3 was never published";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("no published model of version 3"), std::string::npos) << e.what();
  }
}

// A watch wakes on another process's append (PostgreSQL: at its commit, long before the
// timeout) and ends a wait at once when stopped.
TEST_P(Replication, AWatchWakesOnAnAppendAndStops) {
  auto watch = watch_store(url_, {kFeedbackChannel, kModelsChannel});
  const auto timeout = std::chrono::seconds(GetParam() == "postgres" ? 10 : 1);
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    open_store(url_)->append(std::vector<LiveEvent>{live("w", "x", 1)});
  });
  const auto start = std::chrono::steady_clock::now();
  watch->wait(timeout);
  const auto waited = std::chrono::steady_clock::now() - start;
  writer.join();
  if (watch->notifies()) {
    EXPECT_LT(waited, std::chrono::seconds(5)) << "the notification did not end the wait";
  } else {
    EXPECT_GE(waited, std::chrono::milliseconds(900)) << "SQLite's watch only times out";
  }
  watch->stop();
  const auto stopped_at = std::chrono::steady_clock::now();
  watch->wait(std::chrono::seconds(10));
  EXPECT_LT(std::chrono::steady_clock::now() - stopped_at, std::chrono::seconds(1));
  EXPECT_TRUE(watch->stopped());
}

INSTANTIATE_TEST_SUITE_P(Backends, Replication, ::testing::Values("sqlite", "postgres"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace aisle
