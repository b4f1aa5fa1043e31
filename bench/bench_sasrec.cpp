// sasrec's costs: training time per epoch, the latency of one query with a 50-item history on
// one thread, and batch throughput over every user.
//   bench_sasrec FORMAT FILE... ; AISLE_BENCH_SPEC (default "sasrec:epochs=5"), AISLE_THREADS
//   (fit and batch threads, default 2), AISLE_BENCH_ROUNDS (default 3), AISLE_BENCH_SINGLE (single
//   queries per round, default 2000).
// Prints the fit's seconds per epoch, then per round the single-query p50 / p99 / max in ms (one
// thread) and the batch users/s, then the ranges over rounds. Links the torch code itself, like
// its test binary.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "aisle/data/readers/reader.h"
#include "aisle/models/torch_models.h"
#include "aisle/models/trained_model.h"
#include "bench_util.h"

int main(int argc, char** argv) {
  using namespace aisle;
  using bench::env_int;
  using bench::seconds_since;
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_sasrec FORMAT FILE...\n");
    return 2;
  }
  provide_torch_models(linked_torch_models());
  const std::string spec = bench::env_text("AISLE_BENCH_SPEC", "sasrec:epochs=5");
  const RunContext run(env_int("AISLE_THREADS", 2));
  const int rounds = env_int("AISLE_BENCH_ROUNDS", 3);
  const auto single = static_cast<std::size_t>(env_int("AISLE_BENCH_SINGLE", 2000));
  std::vector<std::string> files(argv + 2, argv + argc);
  EventLog log;
  const Interactions pairs = bench::read_pairs(argv[1], files, log);
  const Sequences sequences = build_sequences(log);
  std::printf("data: %u users x %u items, %zu pairs, %zu events; threads %d (fit, batch), 1 (single)\n",
              pairs.num_users, pairs.num_items, pairs.num_pairs(), sequences.items.size(), run.threads());

  FitContext context;
  context.run = run;
  std::vector<double> epoch_ends;
  const auto fit_start = std::chrono::steady_clock::now();
  context.checkpoint = [&](int, const Recommender&) {
    epoch_ends.push_back(seconds_since(fit_start));
    return true;
  };
  const TrainedModel m = train_model(spec, pairs, log.catalog, log.users, log.items, context, 0, &sequences);
  const double fit_s = seconds_since(fit_start);
  epoch_ends.push_back(fit_s);
  std::vector<double> epochs;
  for (std::size_t e = 0; e < epoch_ends.size(); ++e)
    epochs.push_back(epoch_ends[e] - (e == 0 ? 0 : epoch_ends[e - 1]));
  std::printf("fit %s: %.2f s, %zu epochs, per epoch %.2f .. %.2f s\n", m.spec().c_str(), fit_s, epochs.size(),
              *std::min_element(epochs.begin(), epochs.end()), *std::max_element(epochs.begin(), epochs.end()));

  // Single queries: anonymous histories of 50 clicks, a user's first 50 events in order.
  std::vector<Query> histories;
  for (std::size_t s = 0; s < sequences.size() && histories.size() < single; ++s) {
    if (sequences.length(s) < 50) continue;
    Query q;
    const auto items = sequences.items_of(s);
    const auto times = sequences.times_of(s);
    q.items.assign(items.begin(), items.begin() + 50);
    q.times.assign(times.begin(), times.begin() + 50);
    histories.push_back(std::move(q));
  }
  std::vector<Query> users(pairs.num_users);
  for (UserIdx u = 0; u < pairs.num_users; ++u) users[u].user = u;
  std::printf("single: %zu histories of 50 events; batch: %zu known users, k = 10\n", histories.size(), users.size());
  const RunContext one(1);
  std::vector<double> p99s, rates;
  for (int r = 1; r <= rounds && !histories.empty(); ++r) {
    std::vector<double> ms;
    for (const Query& q : histories) {
      const auto start = std::chrono::steady_clock::now();
      const auto lists = m.recommend(std::span(&q, 1), Filter{}, 10, one);
      ms.push_back(seconds_since(start) * 1000.0);
      if (lists.front().size() != 10) return 1;
    }
    std::sort(ms.begin(), ms.end());
    const auto at = [&](double share) {
      return ms[std::min(ms.size() - 1, static_cast<std::size_t>(share * static_cast<double>(ms.size())))];
    };
    const auto start = std::chrono::steady_clock::now();
    const auto lists = m.recommend(users, Filter{}, 10, run);
    const double rate = static_cast<double>(lists.size()) / seconds_since(start);
    std::printf("round %d: single p50 %.3f ms, p99 %.3f ms, max %.3f ms; batch %.0f users/s\n", r, at(0.5), at(0.99),
                ms.back(), rate);
    p99s.push_back(at(0.99));
    rates.push_back(rate);
  }
  if (!p99s.empty()) {
    std::printf("ranges: single p99 %.3f .. %.3f ms; batch %.0f .. %.0f users/s; peak memory %.0f MiB\n",
                *std::min_element(p99s.begin(), p99s.end()), *std::max_element(p99s.begin(), p99s.end()),
                *std::min_element(rates.begin(), rates.end()), *std::max_element(rates.begin(), rates.end()),
                bench::peak_rss_mb());
  }
  return 0;
}
