#include "aisle/data/sequences.h"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace aisle {

namespace {

// A seeded, platform-independent order for events with equal timestamps (splitmix64).
std::uint64_t tie_order(std::uint64_t seed, std::uint64_t position) {
  std::uint64_t z = seed + (position + 1) * 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

struct Span {
  Timestamp first_time;
  UserIdx user;
  std::size_t begin, end;  // into the sorted order
};

// Lays out the spans of `order` (indices into the source arrays) as sequences, oldest span first.
template <class Source>
Sequences lay_out(std::vector<Span>& spans, const std::vector<std::size_t>& order, const Source& source) {
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return std::tie(a.first_time, a.user, a.begin) < std::tie(b.first_time, b.user, b.begin);
  });
  Sequences out;
  out.offsets.reserve(spans.size() + 1);
  out.users.reserve(spans.size());
  out.items.reserve(order.size());
  out.times.reserve(order.size());
  out.types.reserve(order.size());
  for (const Span& s : spans) {
    for (std::size_t p = s.begin; p < s.end; ++p) {
      const std::size_t e = order[p];
      out.items.push_back(source.item(e));
      out.times.push_back(source.time(e));
      out.types.push_back(source.type(e));
    }
    out.offsets.push_back(out.items.size());
    out.users.push_back(s.user);
  }
  return out;
}

struct LogSource {
  const std::vector<Event>& events;
  ItemIdx item(std::size_t e) const { return events[e].item; }
  Timestamp time(std::size_t e) const { return events[e].time; }
  EventTypeIdx type(std::size_t e) const { return events[e].type; }
};

struct PairSource {
  const Interactions& pairs;
  ItemIdx item(std::size_t p) const { return pairs.item[p]; }
  Timestamp time(std::size_t p) const { return pairs.last_time[p]; }
  EventTypeIdx type(std::size_t) const { return kNoIndex; }
};

}  // namespace

Sequences build_sequences(const EventLog& log, const SequenceOptions& options) {
  const std::vector<Event>& events = log.events;
  const auto session_of = [&](const Event& e) { return options.use_session_ids ? e.session : kNoIndex; };
  std::vector<std::uint64_t> tie(events.size());
  for (std::size_t e = 0; e < events.size(); ++e) tie[e] = options.ties_in_log_order ? e : tie_order(options.seed, e);
  std::vector<std::size_t> order(events.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  // By user, then session id (events without one last), then time, then the seeded tie order.
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Event& x = events[a];
    const Event& y = events[b];
    return std::make_tuple(x.user, session_of(x), x.time, tie[a]) <
           std::make_tuple(y.user, session_of(y), y.time, tie[b]);
  });
  std::vector<Span> spans;
  for (std::size_t p = 0; p < order.size();) {
    const Event& head = events[order[p]];
    std::size_t end = p + 1;
    while (end < order.size()) {
      const Event& e = events[order[end]];
      const Event& prev = events[order[end - 1]];
      if (e.user != head.user || session_of(e) != session_of(head)) break;
      const bool gap = session_of(e) == kNoIndex && options.session_gap_seconds > 0 &&
                       e.time - prev.time > options.session_gap_seconds;
      if (gap) break;
      ++end;
    }
    spans.push_back({head.time, head.user, p, end});
    p = end;
  }
  return lay_out(spans, order, LogSource{events});
}

Sequences without_pairs(const Sequences& sequences, const Interactions& held_out) {
  const auto held = [&](UserIdx u, ItemIdx i) {
    if (u >= held_out.num_users) return false;
    const std::span<const ItemIdx> items = held_out.items_of(u);
    return std::binary_search(items.begin(), items.end(), i);
  };
  Sequences out;
  out.items.reserve(sequences.items.size());
  out.times.reserve(sequences.times.size());
  out.types.reserve(sequences.types.size());
  for (std::size_t s = 0; s < sequences.size(); ++s) {
    const UserIdx u = sequences.users[s];
    for (std::uint64_t p = sequences.offsets[s]; p < sequences.offsets[s + 1]; ++p) {
      if (held(u, sequences.items[p])) continue;
      out.items.push_back(sequences.items[p]);
      out.times.push_back(sequences.times[p]);
      out.types.push_back(sequences.types[p]);
    }
    if (out.items.size() == out.offsets.back()) continue;
    out.offsets.push_back(out.items.size());
    out.users.push_back(u);
  }
  return out;
}

Sequences sequences_from_pairs(const Interactions& pairs, std::uint64_t seed) {
  std::vector<std::size_t> order(pairs.num_pairs());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::vector<Span> spans;
  for (UserIdx u = 0; u < pairs.num_users; ++u) {
    const std::size_t begin = pairs.row_ptr[u], end = pairs.row_ptr[u + 1];
    if (begin == end) continue;
    std::sort(order.begin() + static_cast<std::ptrdiff_t>(begin), order.begin() + static_cast<std::ptrdiff_t>(end),
              [&](std::size_t a, std::size_t b) {
                return std::make_pair(pairs.last_time[a], tie_order(seed, a)) <
                       std::make_pair(pairs.last_time[b], tie_order(seed, b));
              });
    spans.push_back({pairs.last_time[order[begin]], u, begin, end});
  }
  return lay_out(spans, order, PairSource{pairs});
}

}  // namespace aisle
