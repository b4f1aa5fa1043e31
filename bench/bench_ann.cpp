// The approximate index (models/hnsw_index.h) against the exact path, on `aisle synth` data:
// build time, recall@10 against the exact top 10 over random users, and queries/s of both on one
// thread, for a few ef_search settings. Seen items are excluded (the default filter).
//   bench_ann [--users 100000] [--items 50000] [--events 8300000] [--seed 1] [--data DIR]
//             [--model als:factors=64] [--train-threads 2] [--queries 2000] [--k 10]
//             [--m 16] [--ef-construction 200] [--ef 50,100,200] [--repeats 5]
// The events are written to DIR (default bench-ann-data/USERSxITEMSxEVENTS) unless already there.
// Queries/s are measured two ways: the batch path (all queries in one recommend call, blocks of
// 256) and one query per call (how the server answers a request), each the median of --repeats.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "aisle/core/text.h"
#include "aisle/data/readers/reader.h"
#include "aisle/data/synth.h"
#include "aisle/models/hnsw_index.h"
#include "aisle/models/trained_model.h"
#include "bench_util.h"

namespace {

using aisle::bench::seconds_since;

using namespace aisle;
using Clock = std::chrono::steady_clock;

struct Options {
  SynthSpec synth{100'000, 50'000, 8'300'000, 1};
  std::string data, model = "als:factors=64";
  int train_threads = 2, repeats = 5;
  std::size_t queries = 2000, k = 10;
  HnswParams hnsw;
  std::vector<std::uint32_t> ef = {50, 100, 200};
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    const auto number = [&] { return std::stoull(value); };
    if (flag == "--users")
      o.synth.users = static_cast<std::uint32_t>(number());
    else if (flag == "--items")
      o.synth.items = static_cast<std::uint32_t>(number());
    else if (flag == "--events")
      o.synth.events = number();
    else if (flag == "--seed")
      o.synth.seed = number();
    else if (flag == "--data")
      o.data = value;
    else if (flag == "--model")
      o.model = value;
    else if (flag == "--train-threads")
      o.train_threads = static_cast<int>(number());
    else if (flag == "--queries")
      o.queries = number();
    else if (flag == "--k")
      o.k = number();
    else if (flag == "--m")
      o.hnsw.m = static_cast<std::uint32_t>(number());
    else if (flag == "--ef-construction")
      o.hnsw.ef_construction = static_cast<std::uint32_t>(number());
    else if (flag == "--repeats")
      o.repeats = static_cast<int>(number());
    else if (flag == "--ef") {
      o.ef.clear();
      for (std::string_view e : split(value, ","))
        o.ef.push_back(static_cast<std::uint32_t>(std::stoul(std::string(e))));
    } else {
      throw std::invalid_argument("unknown flag " + flag + " (see the comment at the top of bench/bench_ann.cpp)");
    }
  }
  if (o.data.empty()) {
    o.data = "bench-ann-data/" + std::to_string(o.synth.users) + "x" + std::to_string(o.synth.items) + "x" +
             std::to_string(o.synth.events);
  }
  return o;
}

// The median of `repeats` timings of fn, in seconds.
double median_seconds(int repeats, const std::function<void()>& fn) {
  std::vector<double> t;
  for (int r = 0; r < repeats; ++r) {
    const auto start = Clock::now();
    fn();
    t.push_back(seconds_since(start));
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

double recall(const std::vector<std::vector<Scored>>& got, const std::vector<std::vector<Scored>>& exact) {
  double hits = 0, total = 0;
  for (std::size_t q = 0; q < exact.size(); ++q) {
    for (const Scored& e : exact[q]) {
      hits += std::any_of(got[q].begin(), got[q].end(), [&](const Scored& g) { return g.item == e.item; }) ? 1 : 0;
    }
    total += static_cast<double>(exact[q].size());
  }
  return total == 0 ? 1.0 : hits / total;
}

}  // namespace

int main(int argc, char** argv) try {
  const Options o = parse(argc, argv);
  const std::string events = o.data + "/events.csv";
  if (!std::filesystem::exists(events)) {
    const auto start = Clock::now();
    write_synthetic_retailrocket(o.synth, o.data);
    std::printf("synth: wrote %s in %.1f s\n", events.c_str(), seconds_since(start));
  }
  ReadOptions read;
  EventLog log;
  const std::vector<std::string> files = {events};
  read_files("retailrocket", files, read, log);
  const Interactions pairs =
      aggregate(log.events, read.weighting.resolve(log.event_types), log.users.size(), log.items.size());
  log.events = {};
  std::printf("matrix: %u users x %u items, %zu nonzeros (%s)\n", pairs.num_users, pairs.num_items, pairs.num_pairs(),
              events.c_str());

  FitContext fit;
  fit.run = RunContext(o.train_threads);
  auto start = Clock::now();
  const TrainedModel model = train_model(o.model, pairs, log.catalog, log.users, log.items, fit);
  std::printf("fit %s: %.1f s on %d threads\n", model.spec().c_str(), seconds_since(start), o.train_threads);

  start = Clock::now();
  HnswIndex index(model.model(), o.hnsw);
  std::printf("hnsw build: %.2f s on 1 thread (m %u, ef_construction %u, %u items, dim %zu + 1)\n",
              seconds_since(start), o.hnsw.m, o.hnsw.ef_construction, index.num_items(), index.dim());

  std::mt19937_64 rng(7);
  std::vector<Query> queries(std::min<std::size_t>(o.queries, pairs.num_users));
  for (Query& q : queries) q.user = static_cast<UserIdx>(rng() % pairs.num_users);
  const RunContext one;  // one thread
  const Filter filter;   // seen items excluded
  std::vector<std::vector<Scored>> exact;
  const auto batch_qps = [&](const HnswIndex* ann, std::vector<std::vector<Scored>>& out) {
    const double s = median_seconds(o.repeats, [&] { out = model.recommend(queries, filter, o.k, one, ann); });
    return static_cast<double>(queries.size()) / s;
  };
  const auto single_qps = [&](const HnswIndex* ann) {
    const double s = median_seconds(o.repeats, [&] {
      for (const Query& q : queries) (void)model.recommend(std::span(&q, 1), filter, o.k, one, ann);
    });
    return static_cast<double>(queries.size()) / s;
  };
  std::printf("%zu random users, top %zu, seen items excluded, 1 thread, median of %d runs\n", queries.size(), o.k,
              o.repeats);
  std::printf("%-16s %12s %14s %10s %12s %12s\n", "path", "batch q/s", "one-by-one q/s", "recall@k", "searches/q",
              "fallbacks/q");
  const double exact_batch = batch_qps(nullptr, exact);
  std::printf("%-16s %12.0f %14.0f %10s %12s %12s\n", "exact", exact_batch, single_qps(nullptr), "1", "-", "-");
  for (std::uint32_t ef : o.ef) {
    index.set_ef_search(ef);
    std::vector<std::vector<Scored>> got;
    const HnswCounters before = index.counters();
    const double b = batch_qps(&index, got);
    const HnswCounters after = index.counters();
    const double s = single_qps(&index);
    const double queries_run = static_cast<double>(after.queries - before.queries);
    std::printf("%-16s %12.0f %14.0f %10.4f %12.2f %12.4f\n", ("hnsw ef " + std::to_string(ef)).c_str(), b, s,
                recall(got, exact), static_cast<double>(after.searches - before.searches) / queries_run,
                static_cast<double>(after.fallbacks - before.fallbacks) / queries_run);
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "bench_ann: %s\n", e.what());
  return 1;
}
