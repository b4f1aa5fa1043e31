#include "aisle/app/retraining.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

#include "aisle/eval/metrics.h"
#include "aisle/eval/split.h"
#include "aisle/models/registry.h"

namespace aisle {

namespace {

constexpr std::size_t kComparisonK = 10;
constexpr std::size_t kMinComparableUsers = 20;

double ndcg_of(std::span<const Scored> ranked, ItemIdx held_out) {
  std::vector<ItemIdx> items;
  for (const Scored& s : ranked) items.push_back(s.item);
  std::vector<std::uint8_t> relevant;
  const ItemIdx test[] = {held_out};
  metrics::mark_relevant(items, test, relevant);
  return metrics::ndcg(relevant, 1, kComparisonK);
}

ModelComparison compare(const TrainedModel& candidate, const TrainedModel& serving, const Interactions& test,
                        const IdMap& users, const IdMap& items, const RunContext& run) {
  std::vector<Query> candidate_queries, serving_queries;
  std::vector<ItemIdx> held_candidate, held_serving;
  for (UserIdx u = 0; u < test.num_users; ++u) {
    for (std::uint64_t p = test.row_ptr[u]; p < test.row_ptr[u + 1]; ++p) {
      const ItemIdx i = test.item[p];
      const UserIdx su = serving.users().find(users.name(u));
      const ItemIdx si = serving.items().find(items.name(i));
      if (su == kNoIndex || si == kNoIndex) continue;
      const auto seen = serving.history().items_of(su);
      if (std::binary_search(seen.begin(), seen.end(), si)) continue;  // the serving model had this pair
      candidate_queries.push_back({u, {}, {}});
      held_candidate.push_back(i);
      serving_queries.push_back({su, {}, {}});
      held_serving.push_back(si);
      break;  // one pair per user
    }
  }
  ModelComparison c;
  c.users = candidate_queries.size();
  if (c.users == 0) return c;
  const auto cand = candidate.recommend(candidate_queries, Filter{}, kComparisonK, run);
  const auto serv = serving.recommend(serving_queries, Filter{}, kComparisonK, run);
  for (std::size_t q = 0; q < c.users; ++q) {
    c.candidate_ndcg += ndcg_of(cand[q], held_candidate[q]);
    c.serving_ndcg += ndcg_of(serv[q], held_serving[q]);
  }
  c.candidate_ndcg /= static_cast<double>(c.users);
  c.serving_ndcg /= static_cast<double>(c.users);
  return c;
}

std::string fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

}  // namespace

Retrained retrain_from_store(const std::string& store_url, const Config& config, std::string spec,
                             const TrainedModel* serving, double max_drop, const RunContext& run) {
  const auto start = std::chrono::steady_clock::now();
  ReadOptions options = config.read_options();
  options.context = run;
  const DataSource source{store_url, {}, "csv"};
  LoadedEvents loaded = load_events(source, config, options);
  run.check_cancelled();
  EventLog& log = loaded.log;
  const Interactions pairs = pairs_of(log, config);
  if (spec.empty()) spec = serving != nullptr ? serving->spec() : default_spec(config, pairs.num_items);
  FitContext fit;
  fit.run = run;
  // Session models learn from the events' order: they get it (built once, before the id maps
  // move into the model); others never read it.
  SequenceOptions seq_options = sequence_options(source, config);
  seq_options.seed = run.seed;
  const std::optional<Sequences> sequences = sequences_for(spec, log, seq_options);
  run.check_cancelled();

  Retrained out;
  if (serving != nullptr) {
    SplitOptions split_options;
    split_options.seed = run.seed;
    const Split validation = split_pairs(pairs, split_options);
    // The candidate sees no event of a held-out pair, in its pairs or in its sequences.
    const std::optional<Sequences> train_sequences =
        sequences ? std::optional<Sequences>(without_pairs(*sequences, validation.test)) : std::nullopt;
    const TrainedModel candidate = train_model(spec, validation.train, log.catalog, log.users, log.items, fit, 0,
                                               train_sequences ? &*train_sequences : nullptr);
    out.comparison = compare(candidate, *serving, validation.test, log.users, log.items, run);
    ModelComparison& c = out.comparison;
    if (c.users < kMinComparableUsers) {
      c.summary = "accepted without comparison: " + std::to_string(c.users) +
                  " users have a newest pair the serving model has not seen (at least " +
                  std::to_string(kMinComparableUsers) + " are needed)";
    } else {
      out.accepted = c.candidate_ndcg >= c.serving_ndcg * (1.0 - max_drop);
      c.summary = std::string(out.accepted ? "accepted" : "refused") + ": NDCG@10 " + fixed(c.candidate_ndcg) +
                  " (new " + spec + ") vs " + fixed(c.serving_ndcg) + " (serving) on " + std::to_string(c.users) +
                  " users' newest unseen pairs; refused below " + fixed(c.serving_ndcg * (1.0 - max_drop));
    }
  } else {
    out.comparison.summary = "accepted: no model in service to compare with";
  }
  run.check_cancelled();
  if (out.accepted) {
    out.model =
        std::make_shared<TrainedModel>(train_model(spec, pairs, log.catalog, std::move(log.users), std::move(log.items),
                                                   fit, loaded.read_at, sequences ? &*sequences : nullptr));
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace aisle
