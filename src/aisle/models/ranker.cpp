#include "aisle/models/ranker.h"

#include <algorithm>

#include "aisle/core/error.h"
#include "aisle/core/parallel.h"
#include "aisle/models/hnsw_index.h"
#include "aisle/models/selection.h"

namespace aisle {

namespace {

// Requests scored together: many for models that score item ranges (the item side is read once
// per block), fewer for models that score whole rows (a block holds requests x items floats).
constexpr std::size_t kQueriesPerBlock = 256;
constexpr std::size_t kQueriesPerFullRowBlock = 32;

// A Query made into what a model reads; merged histories live in the buffers.
struct QueryBuffers {
  std::vector<ItemIdx> items;
  std::vector<float> weights;
  std::vector<Timestamp> times;
  std::vector<ItemIdx> excluded;  // the history's items, ascending, when it is not already sorted
};

// The query's history items in ascending order (training rows already are).
std::span<const ItemIdx> sorted_history(const Query& q, const UserQuery& uq, QueryBuffers& buf) {
  if (q.items.empty()) return uq.items;
  buf.excluded.assign(uq.items.begin(), uq.items.end());
  std::sort(buf.excluded.begin(), buf.excluded.end());
  return buf.excluded;
}

UserQuery resolve(const Query& q, const History& h, std::uint32_t num_items, QueryBuffers& buf) {
  AISLE_CHECK_MSG(q.user == kNoIndex || q.user < h.num_users(), "query user out of range");
  AISLE_CHECK_MSG(q.times.empty() || q.times.size() == q.items.size(), "query times must match its items");
  UserQuery uq;
  uq.user = q.user;
  uq.session = q.session;
  const std::uint64_t begin = q.user == kNoIndex ? 0 : h.row_ptr[q.user];
  const std::uint64_t end = q.user == kNoIndex ? 0 : h.row_ptr[q.user + 1];
  if (q.items.empty()) {
    uq.items = {h.item.data() + begin, h.item.data() + end};
    uq.weights = {h.weight.data() + begin, h.weight.data() + end};
    uq.times = {h.last_time.data() + begin, h.last_time.data() + end};
    uq.only_training_history = q.user != kNoIndex;
    return uq;
  }
  buf.items.assign(h.item.begin() + static_cast<std::ptrdiff_t>(begin),
                   h.item.begin() + static_cast<std::ptrdiff_t>(end));
  buf.weights.assign(h.weight.begin() + static_cast<std::ptrdiff_t>(begin),
                     h.weight.begin() + static_cast<std::ptrdiff_t>(end));
  buf.times.assign(h.last_time.begin() + static_cast<std::ptrdiff_t>(begin),
                   h.last_time.begin() + static_cast<std::ptrdiff_t>(end));
  // Added items without times are one basket, newer than anything in training.
  const Timestamp now = buf.times.empty() ? 1 : *std::max_element(buf.times.begin(), buf.times.end()) + 1;
  for (std::size_t i = 0; i < q.items.size(); ++i) {
    AISLE_CHECK_MSG(q.items[i] < num_items, "query item out of range");
    buf.items.push_back(q.items[i]);
    buf.weights.push_back(1.0f);
    buf.times.push_back(q.times.empty() ? now : q.times[i]);
  }
  uq.items = buf.items;
  uq.weights = buf.weights;
  uq.times = buf.times;
  return uq;
}

// Consecutive requests with the same filter and k: one compiled filter for all of them.
struct Run {
  std::size_t first = 0, count = 0;
  Eligibility eligibility;
};

// A block of one run's requests, scored together.
struct Block {
  std::size_t run = 0, first = 0, count = 0;
};

// One worker's buffers, reused from block to block.
struct Scratch {
  std::vector<QueryBuffers> buffers{kQueriesPerBlock};
  std::vector<UserQuery> resolved;
  std::vector<std::span<const ItemIdx>> excluded;
  std::vector<TopK> tops;
  std::vector<float> state, scores, open_vectors;
  std::vector<Scored> candidates;  // CandidateScorer models
  std::vector<std::uint8_t> marks;
  // The queries the index hands back to the exact path, gathered.
  std::vector<std::size_t> pending;
  std::vector<UserQuery> pending_resolved;
  std::vector<std::span<const ItemIdx>> pending_excluded;
  std::vector<TopK> pending_tops;
  std::vector<float> pending_state;
};

// How a batch is scored: the model and the capabilities it has; a router's routes each have
// their own.
struct Scoring {
  const Recommender* model = nullptr;
  const ItemRangeScorer* ranged = nullptr;
  const NormBoundedScorer* norm_bounded = nullptr;
  const CandidateScorer* sparse = nullptr;
  const QueryRouter* router = nullptr;
  std::vector<Scoring> routes;  // router: one per route
  FillOrder fill;               // after a CandidateScorer's candidates (by index when empty)
  std::uint32_t n = 0, tile = 0;
};

Scoring scoring_of(const Recommender& model, FillOrder fill) {
  Scoring s;
  s.model = &model;
  s.n = model.num_items();
  s.fill = fill;
  s.router = capability<QueryRouter>(model);
  if (s.router != nullptr) {
    for (std::size_t r = 0; r < s.router->route_names().size(); ++r) {
      s.routes.push_back(scoring_of(s.router->route_model(r), {s.router->fill_order(), s.router->fill_scores()}));
    }
    s.tile = s.n;
    return s;
  }
  s.ranged = capability<ItemRangeScorer>(model);
  s.norm_bounded = s.ranged != nullptr ? capability<NormBoundedScorer>(model) : nullptr;
  s.sparse = capability<CandidateScorer>(model);
  // Items per tile for models that score item ranges: a block's tile of scores stays in cache.
  s.tile = s.ranged != nullptr ? std::min<std::uint32_t>(s.n, kItemsPerTile) : s.n;
  return s;
}

void select_exact(const Scoring& s, std::span<const UserQuery> resolved, const std::vector<float>& state,
                  std::span<const std::span<const ItemIdx>> excluded, const Eligibility& eligibility,
                  std::vector<TopK>& tops, Scratch& w);

// A router's queries, each selected by the model of its route: the queries of one route go
// through that model's path together.
void select_routed(const Scoring& s, std::span<const UserQuery> resolved,
                   std::span<const std::span<const ItemIdx>> excluded, const Eligibility& eligibility,
                   std::vector<TopK>& tops, Scratch& w) {
  std::vector<std::size_t> route(resolved.size());
  for (std::size_t q = 0; q < resolved.size(); ++q) route[q] = s.router->route_of(resolved[q]);
  std::vector<std::size_t> positions;
  std::vector<UserQuery> group;
  std::vector<std::span<const ItemIdx>> group_excluded;
  std::vector<TopK> group_tops;
  std::vector<float> group_state;
  for (std::size_t r = 0; r < s.routes.size(); ++r) {
    positions.clear();
    group.clear();
    group_excluded.clear();
    group_tops.clear();
    for (std::size_t q = 0; q < resolved.size(); ++q) {
      if (route[q] != r) continue;
      positions.push_back(q);
      group.push_back(resolved[q]);
      group_excluded.push_back(excluded[q]);
      group_tops.push_back(std::move(tops[q]));
    }
    if (group.empty()) continue;
    const Scoring& member = s.routes[r];
    if (member.ranged != nullptr) member.ranged->prepare(group, group_state);
    select_exact(member, group, group_state, group_excluded, eligibility, group_tops, w);
    for (std::size_t g = 0; g < positions.size(); ++g) tops[positions[g]] = std::move(group_tops[g]);
  }
}

// The exact top k of `resolved.size()` queries into `tops`: from the candidates of a
// CandidateScorer, else from scores; a router's through each query's route. `state` holds their
// prepared vectors when the model scores item ranges. Norm bounds prune only what the filter
// leaves to a blocked list; restrictive filters scan every tile.
void select_exact(const Scoring& s, std::span<const UserQuery> resolved, const std::vector<float>& state,
                  std::span<const std::span<const ItemIdx>> excluded, const Eligibility& eligibility,
                  std::vector<TopK>& tops, Scratch& w) {
  const std::size_t count = resolved.size();
  if (s.router != nullptr) {
    select_routed(s, resolved, excluded, eligibility, tops, w);
    return;
  }
  if (s.sparse != nullptr) {
    for (std::size_t q = 0; q < count; ++q) {
      w.candidates.clear();
      s.sparse->candidates(resolved[q], w.candidates);
      select_candidates(w.candidates, s.n, excluded[q], eligibility, tops[q], w.marks, s.fill);
    }
    return;
  }
  const NormBoundedScorer* bounded = eligibility.restrictive ? nullptr : s.norm_bounded;
  if (bounded != nullptr) {
    select_by_norm(*bounded, state, count, excluded, eligibility, tops, w.scores, w.open_vectors);
    return;
  }
  for (ItemIdx t0 = 0; t0 < s.n; t0 += s.tile) {
    const ItemIdx t1 = std::min<ItemIdx>(s.n, t0 + s.tile);
    const std::size_t width = t1 - t0;
    w.scores.resize(count * width);
    if (s.ranged != nullptr) {
      s.ranged->score_range(state, count, t0, t1, w.scores.data());
    } else {
      s.model->score(resolved, w.scores);
    }
    for (std::size_t q = 0; q < count; ++q) {
      offer({w.scores.data() + q * width, width}, t0, excluded[q], eligibility, tops[q]);
    }
  }
}

// The top k of a block's queries through the index; those it gives back are answered exactly.
void select_approximate(const Scoring& s, const HnswIndex& index, std::size_t k, const Eligibility& eligibility,
                        Scratch& w) {
  const std::size_t dim = index.dim();
  w.pending.clear();
  for (std::size_t q = 0; q < w.resolved.size(); ++q) {
    if (!index.select(w.state.data() + q * dim, k, w.excluded[q], eligibility, w.tops[q])) w.pending.push_back(q);
  }
  if (w.pending.empty()) return;
  w.pending_resolved.clear();
  w.pending_excluded.clear();
  w.pending_tops.assign(w.pending.size(), TopK(k));
  w.pending_state.resize(w.pending.size() * dim);
  for (std::size_t a = 0; a < w.pending.size(); ++a) {
    const std::size_t q = w.pending[a];
    w.pending_resolved.push_back(w.resolved[q]);
    w.pending_excluded.push_back(w.excluded[q]);
    std::copy_n(w.state.data() + q * dim, dim, w.pending_state.data() + a * dim);
  }
  select_exact(s, w.pending_resolved, w.pending_state, w.pending_excluded, eligibility, w.pending_tops, w);
  for (std::size_t a = 0; a < w.pending.size(); ++a) w.tops[w.pending[a]] = std::move(w.pending_tops[a]);
}

}  // namespace

std::vector<std::vector<Scored>> rank_requests(const Recommender& model, const History& history, const ItemFacts& facts,
                                               std::span<const Request> requests, const RunContext& run,
                                               const HnswIndex* approximate) {
  const std::uint32_t n = model.num_items();
  const Scoring scoring = scoring_of(model, {});
  const std::size_t per_block = scoring.ranged != nullptr ? kQueriesPerBlock : kQueriesPerFullRowBlock;
  AISLE_CHECK_MSG(approximate == nullptr || (scoring.norm_bounded != nullptr && approximate->num_items() == n &&
                                             approximate->dim() == scoring.norm_bounded->query_dim()),
                  "the approximate index was not built for this model");

  std::vector<Run> runs;
  std::vector<Block> blocks;
  for (std::size_t r = 0; r < requests.size();) {
    std::size_t end = r + 1;
    while (end < requests.size() && requests[end].k == requests[r].k && requests[end].filter == requests[r].filter) {
      ++end;
    }
    runs.push_back({r, end - r, {}});
    for (std::size_t b = r; b < end; b += per_block)
      blocks.push_back({runs.size() - 1, b, std::min(per_block, end - b)});
    r = end;
  }

  // O(items) each; many runs of one request (per-user candidate lists) compile on every thread.
  parallel_for(run, runs.size(), 1, [&](std::size_t begin, std::size_t end, int) {
    for (std::size_t r = begin; r < end; ++r)
      runs[r].eligibility = compile_filter(requests[runs[r].first].filter, facts, n);
  });

  std::vector<std::vector<Scored>> results(requests.size());
  std::vector<Scratch> scratch(static_cast<std::size_t>(run.threads()));
  parallel_for(run, blocks.size(), 1, [&](std::size_t b_begin, std::size_t b_end, int worker) {
    Scratch& w = scratch[static_cast<std::size_t>(worker)];
    for (std::size_t b = b_begin; b < b_end; ++b) {
      const Block& block = blocks[b];
      const Eligibility& eligibility = runs[block.run].eligibility;
      const Filter& filter = requests[block.first].filter;
      const std::size_t k = requests[block.first].k;
      w.resolved.clear();
      w.excluded.clear();
      w.tops.assign(block.count, TopK(k));
      for (std::size_t q = 0; q < block.count; ++q) {
        const Query& query = requests[block.first + q].query;
        w.resolved.push_back(resolve(query, history, n, w.buffers[q]));
        w.excluded.push_back(filter.exclude_seen ? sorted_history(query, w.resolved[q], w.buffers[q])
                                                 : std::span<const ItemIdx>{});
      }
      if (scoring.ranged != nullptr) scoring.ranged->prepare(w.resolved, w.state);
      if (approximate != nullptr) {
        select_approximate(scoring, *approximate, k, eligibility, w);
      } else {
        select_exact(scoring, w.resolved, w.state, w.excluded, eligibility, w.tops, w);
      }
      for (std::size_t q = 0; q < block.count; ++q) results[block.first + q] = w.tops[q].take_sorted();
    }
  });
  return results;
}

std::vector<std::vector<Scored>> Ranker::recommend(std::span<const Request> requests, const RunContext& run,
                                                   const HnswIndex* approximate) const {
  return rank_requests(model(), history(), facts(), requests, run, approximate);
}

std::vector<std::vector<Scored>> Ranker::recommend(std::span<const Query> queries, const Filter& filter, std::size_t k,
                                                   const RunContext& run, const HnswIndex* approximate) const {
  std::vector<Request> requests;
  requests.reserve(queries.size());
  for (const Query& q : queries) requests.push_back({q, filter, k});
  return recommend(requests, run, approximate);
}

QueryRoutes Ranker::routes(std::span<const Query> queries) const {
  QueryRoutes out;
  const auto* router = capability<QueryRouter>(model());
  if (router == nullptr) return out;
  out.names.assign(router->route_names().begin(), router->route_names().end());
  out.of_query.reserve(queries.size());
  QueryBuffers buffer;
  for (const Query& q : queries) {
    out.of_query.push_back(static_cast<std::uint8_t>(router->route_of(resolve(q, history(), num_items(), buffer))));
  }
  return out;
}

std::vector<float> Ranker::score_candidates(const Query& query, std::span<const ItemIdx> candidates) const {
  QueryBuffers buffer;
  const UserQuery uq = resolve(query, history(), num_items(), buffer);
  std::vector<float> row(num_items());
  model().score_one(uq, row);
  std::vector<float> out;
  out.reserve(candidates.size());
  for (ItemIdx i : candidates) {
    AISLE_CHECK(i < num_items());
    out.push_back(row[i]);
  }
  return out;
}

std::vector<std::vector<Scored>> Ranker::explain(const Query& query, std::span<const ItemIdx> items,
                                                 std::size_t n) const {
  std::vector<std::vector<Scored>> out(items.size());
  const Explainer* explainer = capability<Explainer>(model());
  if (explainer == nullptr || n == 0) return out;
  QueryBuffers buffer;
  const UserQuery uq = resolve(query, history(), num_items(), buffer);
  for (std::size_t i = 0; i < items.size(); ++i) {
    AISLE_CHECK(items[i] < num_items());
    explainer->explain(uq, items[i], n, out[i]);
  }
  return out;
}

std::vector<std::vector<float>> Ranker::score_candidates(std::span<const Query> queries,
                                                         std::span<const std::vector<ItemIdx>> candidates,
                                                         const RunContext& run) const {
  AISLE_CHECK(queries.size() == candidates.size());
  std::vector<std::vector<float>> out(queries.size());
  parallel_for(run, queries.size(), 1, [&](std::size_t begin, std::size_t end, int) {
    for (std::size_t q = begin; q < end; ++q) out[q] = score_candidates(queries[q], candidates[q]);
  });
  return out;
}

}  // namespace aisle
