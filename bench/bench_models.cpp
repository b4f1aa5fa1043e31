// Fit and batch-recommend timings of the models on an interaction log read from files.
//   bench_models FORMAT FILE... ; AISLE_THREADS (default 2), AISLE_BENCH_MODELS (default
//   "als,bpr,item_knn"), AISLE_BENCH_ITERATIONS (default 4 ALS iterations / BPR epochs).
// AISLE_BENCH_USERS limits the users asked for recommendations (default: all).
// Prints the matrix shape, then per model: total fit seconds, seconds per iteration or epoch
// (from a second fit with one iteration: (T(n) - T(1)) / (n - 1)),
// batch top-10 recommendation with seen items excluded (users/s), and the
// process's peak RSS so far.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "aisle/core/text.h"
#include "aisle/data/readers/reader.h"
#include "aisle/models/trained_model.h"
#include "bench_util.h"

using aisle::bench::env_int;
using aisle::bench::peak_rss_mb;
using aisle::bench::seconds_since;

int main(int argc, char** argv) {
  using namespace aisle;
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_models FORMAT FILE...\n");
    return 2;
  }
  const RunContext run(env_int("AISLE_THREADS", 2));  // one pool for every fit and batch
  const int iterations = env_int("AISLE_BENCH_ITERATIONS", 4);
  const auto recommend_users =
      static_cast<std::uint32_t>(env_int("AISLE_BENCH_USERS", 1 << 30));  // users asked for top-10
  const char* models_env = std::getenv("AISLE_BENCH_MODELS");
  const std::string models = models_env != nullptr ? models_env : "als,bpr,item_knn";
  std::vector<std::string> files(argv + 2, argv + argc);
  EventLog log;
  const Interactions pairs = bench::read_pairs(argv[1], files, log);
  log.events = {};
  std::printf("matrix: %u users x %u items, %zu nonzeros; threads %d\n", pairs.num_users, pairs.num_items,
              pairs.num_pairs(), run.threads());
  std::fflush(stdout);

  const auto fit_seconds = [&](const std::string& spec, TrainedModel* keep) {
    FitContext context;
    context.run = run;
    const auto start = std::chrono::steady_clock::now();
    TrainedModel model = train_model(spec, pairs, log.catalog, log.users, log.items, context);
    const double secs = seconds_since(start);
    if (keep != nullptr) *keep = std::move(model);
    return secs;
  };
  for (std::string_view name : split(models, ",")) {
    // Iterative models: fitted with 1 and with `iterations` iterations; the difference over
    // (iterations - 1) is the time of one iteration without the set-up (matrices, init).
    std::string base(name), unit;
    if (name == "als") base = "als:factors=64,cg_steps=3,iterations=", unit = "iteration";
    if (name == "bpr") base = "bpr:factors=64,epochs=", unit = "epoch";
    if (name == "item_knn") base = "item_knn:neighbors=100";
    TrainedModel model;
    const double fit = fit_seconds(unit.empty() ? base : base + std::to_string(iterations), &model);
    std::printf("%-9s fit %.3f s", std::string(name).c_str(), fit);
    if (!unit.empty() && iterations > 1) {
      const double one = fit_seconds(base + "1", nullptr);
      std::printf(" (%d %ss; %.3f s per %s, set-up %.3f s)", iterations, unit.c_str(), (fit - one) / (iterations - 1),
                  unit.c_str(), one - (fit - one) / (iterations - 1));
    }
    std::vector<Query> queries(std::min<std::uint32_t>(pairs.num_users, recommend_users));
    for (UserIdx u = 0; u < queries.size(); ++u) queries[u].user = u;
    const auto rec_start = std::chrono::steady_clock::now();
    const auto lists = model.recommend(queries, Filter{}, 10, run);
    const double rec = seconds_since(rec_start);
    std::printf("  recommend top-10 for %zu users %.3f s = %.0f users/s  peak RSS %.0f MB\n", lists.size(), rec,
                static_cast<double>(lists.size()) / rec, peak_rss_mb());
    std::fflush(stdout);  // long runs: each line as soon as it is known
  }
  return 0;
}
