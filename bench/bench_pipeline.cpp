// The cost of a pipeline over its best member alone: batch and single-request top-10 for every
// user of an interaction log, answered by a route (or blend) and by the member that answers
// those users in it, alternated round by round so that drift hits both alike.
//   bench_pipeline FORMAT FILE... ; AISLE_THREADS (default 1), AISLE_BENCH_PIPELINE (default
//   "route:min_history=5(known=ease; few=item_knn; fallback=popularity)"), AISLE_BENCH_MEMBER
//   (default "ease"), AISLE_BENCH_ROUNDS (default 5), AISLE_BENCH_SINGLE (single requests per
//   round, default 2000).
// Prints per round the users/s of each and their ratio (pipeline / member), then the ranges.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "aisle/data/readers/reader.h"
#include "aisle/models/trained_model.h"
#include "bench_util.h"

namespace {

using aisle::bench::env_int;
using aisle::bench::env_text;
using aisle::bench::seconds_since;

struct Rates {
  double batch = 0, single = 0;  // users per second
};

// Every user in one batch call, then `single` users one call each.
Rates time_model(const aisle::TrainedModel& m, const std::vector<aisle::Query>& users, std::size_t single,
                 const aisle::RunContext& run) {
  using aisle::Filter;
  Rates r;
  auto start = std::chrono::steady_clock::now();
  const auto lists = m.recommend(users, Filter{}, 10, run);
  r.batch = static_cast<double>(lists.size()) / seconds_since(start);
  single = std::min(single, users.size());
  start = std::chrono::steady_clock::now();
  std::size_t answered = 0;
  for (std::size_t u = 0; u < single; ++u) answered += m.recommend(std::span(&users[u], 1), Filter{}, 10, run).size();
  r.single = static_cast<double>(answered) / seconds_since(start);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace aisle;
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_pipeline FORMAT FILE...\n");
    return 2;
  }
  const RunContext run(env_int("AISLE_THREADS", 1));
  const std::string pipeline_spec =
      env_text("AISLE_BENCH_PIPELINE", "route:min_history=5(known=ease; few=item_knn; fallback=popularity)");
  const std::string member_spec = env_text("AISLE_BENCH_MEMBER", "ease");
  const int rounds = env_int("AISLE_BENCH_ROUNDS", 5);
  const auto single = static_cast<std::size_t>(env_int("AISLE_BENCH_SINGLE", 2000));
  std::vector<std::string> files(argv + 2, argv + argc);
  EventLog log;
  const Interactions pairs = bench::read_pairs(argv[1], files, log);
  std::printf("matrix: %u users x %u items, %zu nonzeros; threads %d\n", pairs.num_users, pairs.num_items,
              pairs.num_pairs(), run.threads());
  FitContext context;
  context.run = run;
  auto start = std::chrono::steady_clock::now();
  const TrainedModel member = train_model(member_spec, pairs, log.catalog, log.users, log.items, context);
  std::printf("fit %s: %.2f s\n", member_spec.c_str(), seconds_since(start));
  start = std::chrono::steady_clock::now();
  const TrainedModel pipeline = train_model(pipeline_spec, pairs, log.catalog, log.users, log.items, context);
  std::printf("fit %s: %.2f s\n", pipeline_spec.c_str(), seconds_since(start));

  std::vector<Query> users(pairs.num_users);
  for (UserIdx u = 0; u < pairs.num_users; ++u) users[u].user = u;
  const QueryRoutes routes = pipeline.routes(users);
  if (!routes.names.empty()) {
    std::vector<std::size_t> count(routes.names.size(), 0);
    for (std::uint8_t r : routes.of_query) ++count[r];
    std::printf("routes:");
    for (std::size_t r = 0; r < count.size(); ++r) std::printf(" %s %zu", routes.names[r].c_str(), count[r]);
    std::printf("\n");
  }
  std::printf("%-6s %14s %14s %7s %14s %14s %7s\n", "round", "member batch", "pipeline batch", "ratio", "member single",
              "pipeline single", "ratio");
  std::vector<double> batch_ratios, single_ratios;
  for (int round = 1; round <= rounds; ++round) {
    // Alternate which goes first.
    Rates m, p;
    if (round % 2 == 1) {
      m = time_model(member, users, single, run);
      p = time_model(pipeline, users, single, run);
    } else {
      p = time_model(pipeline, users, single, run);
      m = time_model(member, users, single, run);
    }
    batch_ratios.push_back(p.batch / m.batch);
    single_ratios.push_back(p.single / m.single);
    std::printf("%-6d %14.0f %14.0f %7.3f %14.0f %14.0f %7.3f\n", round, m.batch, p.batch, batch_ratios.back(),
                m.single, p.single, single_ratios.back());
  }
  const auto [blo, bhi] = std::minmax_element(batch_ratios.begin(), batch_ratios.end());
  const auto [slo, shi] = std::minmax_element(single_ratios.begin(), single_ratios.end());
  std::printf("pipeline / member users/s: batch %.3f-%.3f, single requests %.3f-%.3f\n", *blo, *bhi, *slo, *shi);
  return 0;
}
