#include "aisle/serve/live_history.h"

#include <algorithm>
#include <functional>
#include <mutex>

namespace aisle::serve {

LiveHistory::Shard& LiveHistory::shard_of(std::string_view user) {
  return shards_[std::hash<std::string_view>{}(user) % shards_.size()];
}
const LiveHistory::Shard& LiveHistory::shard_of(std::string_view user) const {
  return shards_[std::hash<std::string_view>{}(user) % shards_.size()];
}

void LiveHistory::add(std::string_view user, std::string_view item, float weight, Timestamp time, std::uint64_t seq) {
  Shard& s = shard_of(user);
  std::unique_lock lock(s.mutex);
  auto& events = s.by_user[std::string(user)];
  // A bounded window per user: the oldest events leave first (the next model has them all).
  if (events.size() >= kMaxEventsPerUser) events.erase(events.begin(), events.begin() + kMaxEventsPerUser / 4);
  events.push_back({std::string(item), weight, time, seq});
}

bool LiveHistory::has(std::string_view user, std::uint64_t after_seq) const {
  const Shard& s = shard_of(user);
  std::shared_lock lock(s.mutex);
  const auto it = s.by_user.find(std::string(user));
  if (it == s.by_user.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(), [&](const Entry& e) { return e.seq > after_seq; });
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
      if (e.seq > after_seq) events.push_back(e);
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
      v.erase(std::remove_if(v.begin(), v.end(), [&](const Entry& e) { return e.seq <= seq; }), v.end());
      it = v.empty() ? s.by_user.erase(it) : std::next(it);
    }
  }
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
