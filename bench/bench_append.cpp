// Live-feedback append throughput: what one writer thread of a server commits, one append()
// call after another, for calls of 1, 10 and 100 events (a group commit of that many feedback
// requests). Each call is one durable transaction; a call of 1 is the worst case of group
// commit (requests arriving one at a time), a call of 100 a busy server.
//   bench_append URL [SECONDS_PER_SIZE=5] [PRELOAD_EVENTS=0] [SIZES=1,10,100]
// URL should name a fresh store (it adds events). PRELOAD_EVENTS are appended first in calls of
// 10,000, so that the tables are not tiny. The events are described at EventSource.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "aisle/store/event_store.h"

namespace {

using Clock = std::chrono::steady_clock;

// Events of a shop: 2% from users never seen before, the rest from 100k known users (uniform);
// items from 20k (skewed towards a few), 0.1% new; types view 80%, cart 15%, purchase 5%; a user's
// session ends after each event with probability 1/10 (10 events a session on average);
// event time advances one second every 50 events.
class EventSource {
 public:
  aisle::LiveEvent next() {
    aisle::LiveEvent e;
    std::uint64_t user = 0;
    if (unit_(rng_) < 0.02) {
      user = session_of_.size();
      session_of_.push_back(0);
    } else {
      user = std::uniform_int_distribution<std::uint64_t>(0, kKnownUsers - 1)(rng_);
    }
    e.user = "u" + std::to_string(user);
    const double x = unit_(rng_);
    e.item =
        unit_(rng_) < 0.001 ? "n" + std::to_string(count_) : "i" + std::to_string(static_cast<int>(x * x * kItems));
    const double t = unit_(rng_);
    e.type = t < 0.80 ? "view" : t < 0.95 ? "cart" : "purchase";
    e.time = time_;
    e.session = "s" + std::to_string(user) + "-" + std::to_string(session_of_[user]);
    if (unit_(rng_) < 0.1) ++session_of_[user];
    if (e.type == "purchase") {
      e.quantity = 1.0f;
      e.value = 9.99f;
    }
    if (++count_ % 50 == 0) ++time_;
    return e;
  }
  std::vector<aisle::LiveEvent> batch(std::size_t n) {
    std::vector<aisle::LiveEvent> out;
    out.reserve(n);
    for (std::size_t k = 0; k < n; ++k) out.push_back(next());
    return out;
  }

 private:
  static constexpr std::uint64_t kKnownUsers = 100000;
  static constexpr int kItems = 20000;
  std::mt19937_64 rng_{1};
  std::uniform_real_distribution<double> unit_{0.0, 1.0};
  std::vector<std::uint32_t> session_of_ = std::vector<std::uint32_t>(kKnownUsers, 0);
  aisle::Timestamp time_ = 1700000000;
  std::uint64_t count_ = 0;
};

double ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

void run_size(aisle::EventStore& store, EventSource& source, std::size_t size, double seconds) {
  std::vector<double> latency_ms;
  std::uint64_t events = 0, new_users = 0, new_items = 0;
  const auto t0 = Clock::now();
  while (std::chrono::duration<double>(Clock::now() - t0).count() < seconds) {
    const std::vector<aisle::LiveEvent> call = source.batch(size);
    const auto c0 = Clock::now();
    const aisle::AppendResult r = store.append(call);
    latency_ms.push_back(ms(Clock::now() - c0));
    events += r.events_added;
    new_users += r.new_users;
    new_items += r.new_items;
  }
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  double busy = 0;
  for (double l : latency_ms) busy += l;
  std::sort(latency_ms.begin(), latency_ms.end());
  const auto pct = [&](double p) {
    const auto k = static_cast<std::size_t>(p * static_cast<double>(latency_ms.size()));
    return latency_ms[std::min(latency_ms.size() - 1, k)];
  };
  std::printf(
      "calls of %3zu: %8.0f events/s  %7.0f calls/s  (in append: %8.0f events/s)  latency ms p50 %.3f  p99 %.3f  "
      "max %.3f  (%zu calls, %llu new users, %llu new items)\n",
      size, static_cast<double>(events) / wall, static_cast<double>(latency_ms.size()) / wall,
      static_cast<double>(events) / (busy / 1e3), pct(0.50), pct(0.99), latency_ms.back(), latency_ms.size(),
      static_cast<unsigned long long>(new_users), static_cast<unsigned long long>(new_items));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 5) {
    std::fprintf(stderr, "usage: bench_append URL [SECONDS_PER_SIZE=5] [PRELOAD_EVENTS=0] [SIZES=1,10,100]\n");
    return 2;
  }
  const double seconds = argc > 2 ? std::atof(argv[2]) : 5.0;
  const long preload = argc > 3 ? std::atol(argv[3]) : 0;
  auto store = aisle::open_store(argv[1]);
  EventSource source;
  const auto p0 = Clock::now();
  for (long done = 0; done < preload; done += 10000) store->append(source.batch(std::min(10000L, preload - done)));
  std::printf("store %s: append, one thread, %.0f s per call size", argv[1], seconds);
  if (preload > 0) std::printf(" (after %ld events preloaded in %.1f s)", preload, ms(Clock::now() - p0) / 1e3);
  std::printf("\n");
  std::vector<std::size_t> sizes;
  for (const char* p = argc > 4 ? argv[4] : "1,10,100"; *p != '\0';) {
    char* end = nullptr;
    sizes.push_back(std::strtoul(p, &end, 10));
    if (end == p || sizes.back() == 0) {
      std::fprintf(stderr, "bench_append: SIZES is a list of positive integers like 1,10,100\n");
      return 2;
    }
    p = *end == ',' ? end + 1 : end;
  }
  for (std::size_t size : sizes) run_size(*store, source, size, seconds);
  return 0;
}
