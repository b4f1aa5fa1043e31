#include "aisle/serve/live_history.h"

#include <algorithm>
#include <functional>
#include <mutex>

namespace aisle::serve {

namespace {

bool visible(const auto& entry, std::uint64_t after_seq) {
  return entry.seq == 0 || entry.seq > after_seq;
}

}  // namespace

std::size_t LiveHistory::shard_index(std::string_view user) {
  return std::hash<std::string_view>{}(user) % kShards;
}
LiveHistory::Shard& LiveHistory::shard_of(std::string_view user) {
  return shards_[shard_index(user)];
}
const LiveHistory::Shard& LiveHistory::shard_of(std::string_view user) const {
  return shards_[shard_index(user)];
}

void LiveHistory::add(std::string_view user, std::string_view item, float weight, Timestamp time, std::uint64_t seq) {
  Shard& s = shard_of(user);
  std::unique_lock lock(s.mutex);
  auto& events = s.by_user[std::string(user)];
  // A bounded window per user: the oldest events leave first (the next model has them all).
  if (events.size() >= kMaxEventsPerUser) events.erase(events.begin(), events.begin() + kMaxEventsPerUser / 4);
  events.push_back({std::string(item), weight, time, seq});
}

std::vector<std::string> LiveHistory::items_of(std::string_view user, std::uint64_t after_seq,
                                               std::vector<std::string>* removed) const {
  std::vector<Entry> events;
  {
    const Shard& s = shard_of(user);
    std::shared_lock lock(s.mutex);
    const auto it = s.by_user.find(std::string(user));
    if (it == s.by_user.end()) return {};
    for (const Entry& e : it->second) {
      if (visible(e, after_seq)) events.push_back(e);
    }
  }
  // Per item: total weight and position of its last event.
  struct Total {
    std::string_view item;
    float weight = 0;
    std::size_t last = 0;
  };
  std::vector<Total> totals;
  std::unordered_map<std::string_view, std::size_t> index;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto [it, added] = index.try_emplace(events[i].item, totals.size());
    if (added) totals.push_back(Total{events[i].item});
    Total& t = totals[it->second];
    t.weight += events[i].weight;
    t.last = i;
  }
  std::sort(totals.begin(), totals.end(), [](const Total& a, const Total& b) { return a.last < b.last; });
  std::vector<std::string> out;
  for (const Total& t : totals) {
    if (t.weight > 0) {
      out.emplace_back(t.item);
    } else if (removed != nullptr) {
      removed->emplace_back(t.item);
    }
  }
  return out;
}

void LiveHistory::forget_through(std::uint64_t seq) {
  for (Shard& s : shards_) {
    std::unique_lock lock(s.mutex);
    for (auto it = s.by_user.begin(); it != s.by_user.end();) {
      auto& v = it->second;
      v.erase(std::remove_if(v.begin(), v.end(), [&](const Entry& e) { return e.seq != 0 && e.seq <= seq; }), v.end());
      it = v.empty() ? s.by_user.erase(it) : std::next(it);
    }
  }
}

void LiveHistory::replace_replayed(std::span<const Replayed> events) {
  // Per shard, per user: the new replayed events, then the live ones kept in their order.
  std::array<std::unordered_map<std::string, std::vector<Entry>>, kShards> incoming;
  for (const Replayed& e : events) {
    incoming[shard_index(e.user)][e.user].push_back({e.item, e.weight, e.time, 0});
  }
  for (std::size_t i = 0; i < kShards; ++i) {
    Shard& s = shards_[i];
    std::unique_lock lock(s.mutex);
    for (auto it = s.by_user.begin(); it != s.by_user.end();) {
      auto& v = it->second;
      v.erase(std::remove_if(v.begin(), v.end(), [](const Entry& e) { return e.seq == 0; }), v.end());
      it = v.empty() ? s.by_user.erase(it) : std::next(it);
    }
    for (auto& [user, replayed] : incoming[i]) {
      auto& v = s.by_user[user];
      if (replayed.size() > kMaxEventsPerUser) replayed.erase(replayed.begin(), replayed.end() - kMaxEventsPerUser);
      v.insert(v.begin(), std::make_move_iterator(replayed.begin()), std::make_move_iterator(replayed.end()));
    }
  }
}

void LiveHistory::add_replayed(std::span<const Replayed> events) {
  for (const Replayed& e : events) add(e.user, e.item, e.weight, e.time, 0);
}

std::size_t LiveHistory::users() const {
  std::size_t n = 0;
  for (const Shard& s : shards_) {
    std::shared_lock lock(s.mutex);
    n += s.by_user.size();
  }
  return n;
}

}  // namespace aisle::serve
