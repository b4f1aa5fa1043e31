// The pieces behind feedback: group commit (many requests, few transactions, errors reach every
// waiter, nothing acknowledged before its commit) and the live history's net weights.
#include "aisle/serve/feedback.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "aisle/core/error.h"
#include "aisle/serve/live_history.h"
#include "aisle/serve/telemetry.h"

namespace aisle::serve {
namespace {

FeedbackEvent event(const std::string& user, const std::string& item, float weight = 1) {
  FeedbackEvent e;
  e.user = user;
  e.item = item;
  e.type = "view";
  e.weight = weight;
  return e;
}

TEST(FeedbackWriter, GroupsConcurrentSubmissionsIntoFewCommitsAndAcknowledgesOnlyCommitted) {
  std::mutex m;
  std::set<std::string> committed;
  std::atomic<int> commits{0};
  std::vector<std::uint64_t> firsts;
  FeedbackWriter writer(
      [&](std::span<const FeedbackEvent> events) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));  // a commit takes time: others queue meanwhile
        std::lock_guard lock(m);
        for (const auto& e : events) committed.insert(e.user + "/" + e.item);
        ++commits;
      },
      [&](std::span<const FeedbackEvent>, std::uint64_t first) { firsts.push_back(first); }, 1000);
  std::vector<std::thread> threads;
  std::atomic<int> unacknowledged_seen{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < 25; ++n) {
        const std::string key = "u" + std::to_string(t) + "/i" + std::to_string(n);
        writer.submit({event("u" + std::to_string(t), "i" + std::to_string(n))});
        std::lock_guard lock(m);
        if (!committed.count(key)) ++unacknowledged_seen;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(committed.size(), 200u);
  EXPECT_EQ(unacknowledged_seen, 0);
  EXPECT_LT(commits, 200);  // grouped
  EXPECT_EQ(writer.last_committed(), 200u);
  ASSERT_FALSE(firsts.empty());
  EXPECT_EQ(firsts.front(), 1u);
  writer.close();
  EXPECT_THROW(writer.submit({event("late", "i1")}), StoreError);
}

TEST(FeedbackWriter, AFailedCommitReachesItsWaitersAndNumbersNothing) {
  bool fail = true;
  FeedbackWriter writer(
      [&](std::span<const FeedbackEvent>) {
        if (fail) throw StoreError("sqlite:x: disk I/O error");
      },
      [](std::span<const FeedbackEvent>, std::uint64_t) {}, 10);
  EXPECT_THROW(writer.submit({event("u", "i")}), StoreError);
  EXPECT_EQ(writer.last_committed(), 0u);
  fail = false;
  writer.submit({event("u", "i"), event("u", "j")});
  EXPECT_EQ(writer.last_committed(), 2u);
}

TEST(LiveHistory, NetWeightsDecideWhatJoinsTheHistoryInOrderOfLastEvent) {
  LiveHistory live;
  live.add("u", "a", 1, 10, 1);
  live.add("u", "b", 3, 11, 2);
  live.add("u", "b", -3, 12, 3);  // removed from the cart
  live.add("u", "c", 5, 13, 4);
  live.add("u", "a", 1, 14, 5);
  std::vector<std::string> removed;
  EXPECT_EQ(live.items_of("u", 0, &removed), (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(removed, std::vector<std::string>{"b"});
  EXPECT_EQ(live.items_of("u", 4), std::vector<std::string>{"a"});  // only events after seq 4
  live.forget_through(4);
  EXPECT_EQ(live.items_of("u", 0), std::vector<std::string>{"a"});
  live.forget_through(5);
  EXPECT_EQ(live.users(), 0u);
  EXPECT_TRUE(live.items_of("nobody", 0).empty());
}

TEST(LiveHistory, ReplayedEventsAreSeenByEverySnapshotUntilReplaced) {
  LiveHistory live;
  live.add("u", "live", 1, 20, 7);
  const std::vector<LiveHistory::Replayed> first = {{"u", "old", 1, 10}, {"v", "gone", 1, 11}, {"u", "dropped", 2, 12}};
  live.replace_replayed(first);
  // Replayed events come before the user's live ones, whatever the snapshot's sequence.
  EXPECT_EQ(live.items_of("u", 0), (std::vector<std::string>{"old", "dropped", "live"}));
  EXPECT_EQ(live.items_of("u", 7), (std::vector<std::string>{"old", "dropped"}));
  EXPECT_EQ(live.items_of("v", 100), std::vector<std::string>{"gone"});
  live.forget_through(100);  // a retrained model learnt the live events, not necessarily the replayed ones
  EXPECT_EQ(live.items_of("u", 0), (std::vector<std::string>{"old", "dropped"}));
  const std::vector<LiveHistory::Replayed> second = {{"u", "dropped", -2, 13}, {"u", "newer", 1, 14}};
  live.replace_replayed(second);
  std::vector<std::string> removed;
  EXPECT_EQ(live.items_of("u", 0, &removed), std::vector<std::string>{"newer"});
  EXPECT_EQ(removed, std::vector<std::string>{"dropped"});  // the earlier replay is gone: -2 alone
  EXPECT_TRUE(live.items_of("v", 0).empty());
  EXPECT_EQ(live.users(), 1u);
}

TEST(Telemetry, HistogramBucketsAreCumulativeAndEndAtInf) {
  Telemetry t;
  t.observe_request("/r", 200, 0.00005);
  t.observe_request("/r", 200, 0.003);
  t.observe_request("/r", 200, 10);
  const std::string text = t.prometheus_text(0);
  EXPECT_NE(text.find("aisle_http_request_duration_seconds_bucket{route=\"/r\",status=\"200\",le=\"0.0001\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("le=\"0.005\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("le=\"2.5\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("aisle_http_requests_total{route=\"/r\",status=\"200\"} 3\n"), std::string::npos);
}

}  // namespace
}  // namespace aisle::serve
