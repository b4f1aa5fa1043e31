// append() (live feedback) against both backends: read-back with ids, every event its own row,
// ids shared with loads and with other writers, all-or-nothing, the load dedup left intact.
#include <gtest/gtest.h>

#include <algorithm>
#include <exception>
#include <functional>
#include <latch>
#include <limits>
#include <thread>
#include <tuple>

#include "aisle/core/error.h"
#include "aisle/store/event_store.h"
#include "store/store_fixture.h"
#include "test_util.h"

namespace aisle {
namespace {

using test::online_retail;
using test::raw_sql;
using test::read_fixture;
using test::run_of;

class AppendTest : public test::StoreTest {};

LiveEvent live(std::string user, std::string item, Timestamp time, std::string type = "view") {
  LiveEvent e;
  e.user = std::move(user);
  e.item = std::move(item);
  e.type = std::move(type);
  e.time = time;
  return e;
}

// What appending `calls` to an empty store must read back: ids in order of first mention,
// events in canonical order (equal keys in call order, which is occurrence order).
EventLog expected_log(const std::vector<std::vector<LiveEvent>>& calls) {
  EventLog log;
  for (const auto& call : calls) {
    for (const LiveEvent& l : call) {
      Event e;
      e.user = log.users.intern(l.user);
      e.item = log.items.intern(l.item);
      e.type = log.event_types.intern(l.type);
      e.session = l.session.empty() ? kNoIndex : log.sessions.intern(l.session);
      e.time = l.time;
      e.quantity = l.quantity;
      e.value = l.value;
      e.weight = l.weight;
      log.events.push_back(e);
    }
  }
  log.sort_canonical();
  return log;
}

// A stored event in external ids, for comparing stores whose indices differ.
using Named = std::tuple<std::string, std::string, std::string, Timestamp, std::string>;
std::vector<Named> named_events(const EventLog& log) {
  std::vector<Named> out;
  for (const Event& e : log.events) {
    out.emplace_back(std::string(log.users.name(e.user)), std::string(log.items.name(e.item)),
                     std::string(log.event_types.name(e.type)), e.time,
                     e.session == kNoIndex ? "" : std::string(log.sessions.name(e.session)));
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_P(AppendTest, ReadBackIsBitForBitWithIds) {
  std::vector<LiveEvent> first = {live("u1", "i1", 100), live("u2", "i2", 50, "purchase"),
                                  live("u1", "i2", 100, "cart")};
  first[0].session = "s1";
  first[1].quantity = 3.0f;
  first[1].value = 0.1f;  // values a text round trip could lose
  first[2].weight = 1.0f / 3.0f;
  std::vector<LiveEvent> second = {live("ü \"quoted\" 'x'\\", "i1", 40, "rating"), live("u2", "i3\ttab\nline", 100)};
  second[0].value = 1e-30f;
  second[0].quantity = -0.0f;
  second[0].session = "s1";
  second[1].weight = 3.4e38f;
  second[1].session = "s2";

  auto store = open_store(url_);
  const AppendResult r1 = store->append(first);
  EXPECT_EQ(r1.events_added, 3u);
  EXPECT_EQ(r1.new_users, 2u);
  EXPECT_EQ(r1.new_items, 2u);
  EXPECT_EQ(r1.new_sessions, 1u);
  EXPECT_EQ(r1.new_event_types, 3u);
  const AppendResult r2 = store->append(second);
  EXPECT_EQ(r2.events_added, 2u);
  EXPECT_EQ(r2.new_users, 1u);
  EXPECT_EQ(r2.new_items, 1u);
  EXPECT_EQ(r2.new_sessions, 1u);
  EXPECT_EQ(r2.new_event_types, 1u);
  EXPECT_EQ(r2.run_id, r1.run_id);

  EventLog want = expected_log({first, second});
  for (Event& e : want.events) {
    if (e.quantity == 0.0f) e.quantity = 0.0f;  // -0 is stored as 0 (SQLite keeps no sign on a zero)
  }
  const EventLog back = open_store(url_)->read();
  EXPECT_EQ(back.users, want.users);
  EXPECT_EQ(back.items, want.items);
  EXPECT_EQ(back.sessions, want.sessions);
  EXPECT_EQ(back.event_types, want.event_types);
  ASSERT_EQ(back.events.size(), want.events.size());
  for (std::size_t k = 0; k < want.events.size(); ++k) EXPECT_EQ(back.events[k], want.events[k]) << "event " << k;

  const auto runs = store->runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].id, r1.run_id);
  EXPECT_EQ(runs[0].run.format, "feedback");
  EXPECT_TRUE(runs[0].run.files.empty());
  EXPECT_EQ(runs[0].events_added, 5u);
  EXPECT_EQ(runs[0].run.rows_kept, 5u);
}

TEST_P(AppendTest, IdenticalEventsAreAllKeptInOneCallAndAcrossCalls) {
  std::vector<LiveEvent> call(3, live("u", "i", 100));
  for (std::size_t k = 0; k < call.size(); ++k) call[k].value = static_cast<float>(k);
  auto store = open_store(url_);
  store->append(call);
  for (std::size_t k = 0; k < call.size(); ++k) call[k].value = static_cast<float>(3 + k);
  store->append(call);
  LiveEvent one = live("u", "i", 100);
  one.value = 6.0f;
  open_store(url_)->append({&one, 1});  // another store object, another run
  const EventLog back = store->read();
  ASSERT_EQ(back.events.size(), 7u);
  for (std::size_t k = 0; k < back.events.size(); ++k) {
    EXPECT_EQ(back.events[k].value, static_cast<float>(k)) << "occurrence order is append order";
  }
  EXPECT_EQ(back.users.size(), 1u);
  const auto runs = store->runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].events_added, 6u);
  EXPECT_EQ(runs[1].events_added, 1u);
}

TEST_P(AppendTest, FeedbackSinceGivesTheEventsOfRunsAppendedToSinceExceptOne) {
  const std::string header = "user,item,weight,timestamp\n";
  const std::string file = dir_.write("loaded.csv", header + "u1,i1,1,100\n");
  auto loader = open_store(url_);
  EventLog log;
  ReadOptions options;
  read_files("csv", std::span<const std::string>(&file, 1), options, log);
  loader->load(log, IngestionRun{"csv", {file}, 1, 1, 0, 0, ""});

  auto mine = open_store(url_);
  auto other = open_store(url_);
  LiveEvent rated = live("u2", "i2", 300, "rating");
  rated.session = "s1";
  rated.value = 4.5f;
  std::vector<LiveEvent> first = {live("u1", "i3", 200), rated};
  const std::int64_t other_run = other->append(first).run_id;
  const std::int64_t my_run = mine->append(std::vector<LiveEvent>{live("u1", "i4", 250)}).run_id;
  ASSERT_NE(other_run, my_run);

  // Loads are never replayed; the other run's events come oldest first, with all their fields.
  const std::vector<LiveEvent> replay = loader->feedback_since(0, my_run);
  ASSERT_EQ(replay.size(), 2u);
  EXPECT_EQ(replay[0].user, "u1");
  EXPECT_EQ(replay[0].item, "i3");
  EXPECT_EQ(replay[0].type, "view");
  EXPECT_EQ(replay[0].session, "");
  EXPECT_EQ(replay[0].time, 200);
  EXPECT_FALSE(is_present(replay[0].value));
  EXPECT_EQ(replay[1].item, "i2");
  EXPECT_EQ(replay[1].type, "rating");
  EXPECT_EQ(replay[1].session, "s1");
  EXPECT_EQ(replay[1].value, 4.5f);
  EXPECT_EQ(loader->feedback_since(0).size(), 3u);  // no run skipped

  // A run counts when it was appended to at or after `since` (its finished_at), taken whole.
  raw_sql(url_, "UPDATE ingestion_runs SET finished_at = 1000 WHERE id = " + std::to_string(other_run));
  raw_sql(url_, "UPDATE ingestion_runs SET finished_at = 2000 WHERE id = " + std::to_string(my_run));
  EXPECT_EQ(loader->feedback_since(1001).size(), 1u);
  EXPECT_EQ(loader->feedback_since(1000).size(), 3u);
  EXPECT_TRUE(loader->feedback_since(2001).empty());
  EXPECT_TRUE(loader->feedback_since(1001, my_run).empty());
}

TEST_P(AppendTest, NewIdsGetTheNextIndicesAndCoexistWithLoads) {
  const std::string header = "user,item,weight,timestamp\n";
  const std::string a = dir_.write("a.csv", header + "u1,i1,1,100\nu2,i2,1,200\n");
  auto store = open_store(url_);
  store->load(read_fixture("csv", {a}), run_of("csv"));
  std::vector<LiveEvent> call = {live("u3", "i1", 300), live("u1", "i3", 300), live("u3", "i3", 500)};
  for (LiveEvent& e : call) e.weight = 1.0f;  // as the file's rows: same event type and weight
  const AppendResult r = store->append(call);
  EXPECT_EQ(r.new_users, 1u);
  EXPECT_EQ(r.new_items, 1u);
  EXPECT_EQ(r.new_event_types, 0u);  // "view", the file's type

  // A later file naming appended ids and a new one; its copy of the appended (u3, i3, 500) is
  // taken as the stored one (the same rule as for two overlapping files).
  const std::string b = dir_.write("b.csv", header + "u4,i3,1,400\nu3,i3,1,500\nu3,i4,1,600\n");
  const LoadResult loaded = store->load(read_fixture("csv", {b}), run_of("csv"));
  EXPECT_EQ(loaded.new_users, 1u);
  EXPECT_EQ(loaded.new_items, 1u);
  EXPECT_EQ(loaded.events_added, 2u);
  EXPECT_EQ(loaded.events_already_stored, 1u);
  store->append(call);  // the cache learns of u4 and i4 in the transaction; nothing is renumbered

  const EventLog back = store->read();
  for (const auto& [map, names] : {std::pair{&back.users, std::vector<std::string>{"u1", "u2", "u3", "u4"}},
                                   std::pair{&back.items, std::vector<std::string>{"i1", "i2", "i3", "i4"}}}) {
    ASSERT_EQ(map->size(), names.size());
    for (std::uint32_t k = 0; k < names.size(); ++k) EXPECT_EQ(map->name(k), names[k]);
  }
  EXPECT_EQ(back.events.size(), 2u + 3u + 2u + 3u);
}

TEST_P(AppendTest, ALoadStillDedupsItsOwnFileAfterAppends) {
  const std::string file = dir_.write("twice.csv", "user,item,weight,timestamp\nu1,i1,1,100\nu1,i1,1,100\n");
  auto store = open_store(url_);
  EXPECT_EQ(store->load(read_fixture("csv", {file}), run_of("csv")).events_added, 2u);
  EXPECT_EQ(store->load(online_retail(), run_of("online-retail")).events_added, 19u);
  LiveEvent same = live("u1", "i1", 100);
  same.weight = 1.0f;
  store->append({&same, 1});  // a third identical click: its own row
  EXPECT_EQ(store->read().events.size(), 22u);
  EXPECT_EQ(store->load(read_fixture("csv", {file}), run_of("csv")).events_added, 0u);
  EXPECT_EQ(store->load(online_retail(), run_of("online-retail")).events_added, 0u);
  EXPECT_EQ(store->read().events.size(), 22u);
}

TEST_P(AppendTest, IdsAddedByAnotherWriterAreSeenInTheTransaction) {
  auto server = open_store(url_);
  const std::vector<LiveEvent> first = {live("a", "x", 1)};
  server->append(first);  // fills the server's id cache
  auto other = open_store(url_);
  const std::vector<LiveEvent> by_other = {live("b", "y", 2), live("c", "x", 2)};
  other->append(by_other);
  const std::string file = dir_.write("d.csv", "user,item,weight,timestamp\nd,z,1,3\n");
  other->load(read_fixture("csv", {file}), run_of("csv"));
  const std::vector<LiveEvent> second = {live("c", "z", 4), live("e", "y", 4), live("b", "w", 4)};
  const AppendResult r = server->append(second);
  EXPECT_EQ(r.new_users, 1u);  // e; b and c came from the other writer
  EXPECT_EQ(r.new_items, 1u);  // w

  const EventLog back = server->read();
  const std::vector<std::string> users = {"a", "b", "c", "d", "e"};
  ASSERT_EQ(back.users.size(), users.size());
  for (std::uint32_t k = 0; k < users.size(); ++k) EXPECT_EQ(back.users.name(k), users[k]);
  EXPECT_EQ(back.items.size(), 4u);
  std::vector<LiveEvent> all = first;
  all.insert(all.end(), by_other.begin(), by_other.end());
  all.push_back(live("d", "z", 3));
  all.insert(all.end(), second.begin(), second.end());
  EXPECT_EQ(named_events(back), named_events(expected_log({all})));
}

TEST_P(AppendTest, ConcurrentWritersKeepEveryEventWithOneIndexPerId) {
  // Two writers (a store object each, as two server processes would have) append at the same
  // time: ids of their own, ids both name first, identical events; meanwhile a third loads a file.
  constexpr int kCalls = 150;
  const auto calls_of = [](const std::string& writer) {
    std::vector<std::vector<LiveEvent>> calls;
    for (int c = 0; c < kCalls; ++c) {
      calls.push_back({live(writer + std::to_string(c), "i" + std::to_string(c % 40), 100),
                       live("shared" + std::to_string(c), "i0", 100), live("u0", "i0", 100)});
    }
    return calls;
  };
  const std::vector<std::vector<LiveEvent>> calls[] = {calls_of("a"), calls_of("b")};
  const std::string file =
      dir_.write("f.csv", "user,item,weight,timestamp\nu0,i0,1,100\nshared7,i9,1,200\nf,i50,1,5\n");
  open_store(url_);  // the schema, before the writers race to create it
  std::latch start(3);
  std::exception_ptr failed[3];
  const auto run = [&](int k, const std::function<void(EventStore&)>& work) {
    try {
      auto store = open_store(url_);
      start.arrive_and_wait();
      work(*store);
    } catch (...) {
      failed[k] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (int w = 0; w < 2; ++w) {
    threads.emplace_back(run, w, [&, w](EventStore& store) {
      for (const auto& call : calls[w]) store.append(call);
    });
  }
  threads.emplace_back(run, 2, [&](EventStore& store) { store.load(read_fixture("csv", {file}), run_of("csv")); });
  for (std::thread& t : threads) t.join();
  for (const std::exception_ptr& e : failed) {
    if (e) std::rethrow_exception(e);
  }

  const EventLog back = open_store(url_)->read();
  std::vector<LiveEvent> all;
  for (const auto& writer : calls) {
    for (const auto& call : writer) all.insert(all.end(), call.begin(), call.end());
  }
  // Each of the file's events is either new or was taken as stored: its (u0, i0, 100) is
  // counted as the first of that key's stored copies if the load came after an append of it.
  const std::vector<Named> got = named_events(back);
  EXPECT_GE(got.size(), all.size() + 2);
  EXPECT_LE(got.size(), all.size() + 3);
  const std::vector<Named> appended = named_events(expected_log({all}));
  EXPECT_TRUE(std::includes(got.begin(), got.end(), appended.begin(), appended.end()));
  EXPECT_EQ(back.users.size(), 2u * kCalls + kCalls + 2u);  // a*, b*, shared*, u0, f
  EXPECT_EQ(back.items.size(), 40u + 1u);                   // i0..i39, i50
}

TEST_P(AppendTest, AFailedAppendLeavesTheStoreAsItWas) {
  auto store = open_store(url_);
  store->load(read_fixture("rees46", {test::fixture("rees46/2019-Oct-slice.csv")}), run_of("rees46"));
  const EventLog loaded = store->read();
  const std::string known_user(loaded.users.name(0)), known_item(loaded.items.name(0));
  const std::vector<LiveEvent> call = {live(known_user, known_item, 7), live("new-user", "new-item", 8, "wishlist"),
                                       live(known_user, known_item, 7)};

  const auto expect_failure = [&] {
    const EventLog before = store->read();
    const auto runs_before = store->runs();
    try {
      store->append(call);
      FAIL() << "the append should have failed";
    } catch (const StoreError& e) {
      EXPECT_NE(std::string(e.what()).find("injected failure"), std::string::npos) << e.what();
    }
    const EventLog after = open_store(url_)->read();
    EXPECT_EQ(after.events, before.events);
    EXPECT_EQ(after.users, before.users);
    EXPECT_EQ(after.items, before.items);
    EXPECT_EQ(after.event_types, before.event_types);
    EXPECT_EQ(store->runs().size(), runs_before.size());
  };
  inject_failure();
  expect_failure();  // the store object's first append: its run row goes too
  remove_injected_failure();
  const AppendResult ok = store->append(call);
  EXPECT_EQ(ok.new_users, 1u);
  inject_failure();
  expect_failure();  // a later append
  remove_injected_failure();
  store->append(call);

  const EventLog back = store->read();
  EXPECT_EQ(back.users.find("new-user"), loaded.users.size()) << "no index was skipped";
  EXPECT_EQ(back.users.size(), loaded.users.size() + 1);
  EXPECT_EQ(back.items.find("new-item"), loaded.items.size());
  EXPECT_EQ(back.events.size(), loaded.events.size() + 2 * call.size());
  const auto runs = store->runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1].id, ok.run_id);
  EXPECT_EQ(runs[1].events_added, 2 * call.size());
}

TEST_P(AppendTest, InvalidEventsAreRefusedBeforeTheStoreIsTouched) {
  auto store = open_store(url_);
  const auto refused = [&](LiveEvent bad, const std::string& message) {
    const std::vector<LiveEvent> call = {live("u", "i", 1), std::move(bad)};
    try {
      store->append(call);
      ADD_FAILURE() << "accepted: " << message;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  };
  refused(live("", "i", 1), "feedback event 1: user is empty");
  refused(live("u", "", 1), "item is empty");
  refused(live("u", "i", 1, ""), "type is empty");
  refused(live("u", "bad\xff", 1), "item 'bad\\xFF' is not valid UTF-8");
  refused(live(std::string("nul\0", 4), "i", 1), "holds a NUL byte");
  LiveEvent inf = live("u", "i", 1);
  inf.value = std::numeric_limits<float>::infinity();
  refused(inf, "value is infinite");
  EXPECT_TRUE(store->read().events.empty());
  EXPECT_TRUE(store->read().users.empty());
  EXPECT_TRUE(store->runs().empty());
  EXPECT_EQ(store->append({}).events_added, 0u);
  EXPECT_TRUE(store->runs().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, AppendTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace aisle
