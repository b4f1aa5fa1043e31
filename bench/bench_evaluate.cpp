// The evaluation of every registered model at its defaults on a split in the exchange format:
// read, fit, rank every evaluated user, bootstrap intervals (1,000 resamples), paired tests
// against popularity. What `aisle evaluate --models <all>` does, timed stage by stage.
//   bench_evaluate TRAIN.csv[.zst] TEST.csv[.zst] ; AISLE_THREADS (default 2)
// Prints per model its fit, ranking and summary seconds and NDCG@10, then the total wall time.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "aisle/data/exchange.h"
#include "aisle/eval/evaluator.h"
#include "aisle/eval/report.h"
#include "aisle/models/registry.h"
#include "aisle/models/trained_model.h"
#include "bench_util.h"

using aisle::bench::seconds_since;

int main(int argc, char** argv) {
  using namespace aisle;
  if (argc != 3) {
    std::fprintf(stderr, "usage: bench_evaluate TRAIN TEST\n");
    return 2;
  }
  const char* t = std::getenv("AISLE_THREADS");
  const RunContext run(t != nullptr ? std::atoi(t) : 2);  // one pool for reading, fits and ranking
  const auto start = std::chrono::steady_clock::now();
  ReadOptions options;
  options.context = run;
  const ExchangeSplit given = read_exchange_split("csv", argv[1], argv[2], options);
  const Interactions& train_pairs = given.train_pairs;
  const EventLog& train = given.train;
  EvalOptions eval;
  eval.run = run;
  const Evaluator evaluator(train_pairs, make_test_set(train_pairs, given.test_pairs), eval);
  const std::uint32_t bounds[] = {3, 10};
  const Segments segments = segment_by_history(train_pairs, evaluator.test(), bounds);
  std::printf("read + split: %.2f s; %u users, %u items, %zu training pairs, %zu evaluated users; %d threads\n",
              seconds_since(start), train_pairs.num_users, train_pairs.num_items, train_pairs.num_pairs(),
              evaluator.test().size(), run.threads());
  std::printf("%-12s %8s %8s %8s %9s\n", "model", "fit s", "rank s", "stats s", "ndcg@10");
  EvaluationReport report;
  report.ks = eval.ks;
  for (const ModelInfo& info : model_table()) {
    FitContext context;
    context.run = run;
    auto t0 = std::chrono::steady_clock::now();
    const TrainedModel model = train_model(info.name, train_pairs, train.catalog, train.users, train.items, context);
    const double fit = seconds_since(t0);
    const Evaluation e = evaluator.evaluate(model);
    t0 = std::chrono::steady_clock::now();
    report.models.push_back(summarize(std::string(info.name), fit, e, segments, 1000, 42));
    const double stats = seconds_since(t0);
    std::printf("%-12.*s %8.2f %8.2f %8.2f %9.4f\n", static_cast<int>(info.name.size()), info.name.data(), fit,
                e.rank_seconds, stats, report.models.back().find("ndcg@10")->value);
  }
  const auto t0 = std::chrono::steady_clock::now();
  compare_with_baseline(report, 0, 1000, 42);
  std::printf("paired tests against %s: %.2f s\n", report.baseline.c_str(), seconds_since(t0));
  std::printf("total: %.2f s wall\n", seconds_since(start));
  return 0;
}
