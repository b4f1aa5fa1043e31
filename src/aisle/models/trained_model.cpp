#include "aisle/models/trained_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "aisle/core/error.h"
#include "aisle/core/parallel.h"
#include "aisle/linalg/kernels.h"
#include "aisle/models/registry.h"

namespace aisle {

namespace {

constexpr float kExcluded = -std::numeric_limits<float>::infinity();
// Queries scored together: many for models that score item ranges (the item side is read once
// per block), fewer for models that score whole rows (a block holds queries x items floats).
constexpr std::size_t kQueriesPerBlock = 256;
constexpr std::size_t kQueriesPerFullRowBlock = 32;
constexpr std::uint32_t kItemsPerTile = 1024;  // 256 x 1024 floats = 1 MB of scores per worker

// The filter's query-independent part, compiled once per call. A restrictive filter (include
// list, categories, availability) lists its eligible items; otherwise the few blocked items are
// listed and every other item is eligible.
struct Eligibility {
  bool restrictive = false;
  std::vector<ItemIdx> eligible;  // restrictive: ascending
  std::vector<ItemIdx> blocked;   // otherwise
};

Eligibility compile(const Filter& filter, const ItemFacts& facts, std::uint32_t num_items) {
  std::vector<std::uint8_t> ok(num_items, 1);
  for (ItemIdx i : filter.exclude) {
    if (i < num_items) ok[i] = 0;
  }
  Eligibility e;
  e.restrictive = filter.include_only.has_value() || !filter.categories.empty() || filter.available_only;
  if (filter.include_only) {
    std::vector<std::uint8_t> listed(num_items, 0);
    for (ItemIdx i : *filter.include_only) {
      if (i < num_items) listed[i] = 1;
    }
    for (ItemIdx i = 0; i < num_items; ++i) ok[i] &= listed[i];
  }
  if (!filter.categories.empty()) {
    std::vector<bool> wanted(facts.parent.size(), false);
    for (CategoryIdx root : filter.categories) {
      const std::vector<bool> below = facts.subtree(root);
      for (std::size_t c = 0; c < below.size(); ++c) wanted[c] = wanted[c] || below[c];
    }
    for (ItemIdx i = 0; i < num_items; ++i) {
      bool in = false;
      for (CategoryIdx c : facts.categories_of(i)) in = in || wanted[c];
      if (!in) ok[i] = 0;
    }
  }
  if (filter.available_only) {
    for (ItemIdx i = 0; i < num_items; ++i) {
      if (facts.available[i] == static_cast<std::int8_t>(Availability::kNo)) ok[i] = 0;
    }
  }
  for (ItemIdx i = 0; i < num_items; ++i) {
    if (e.restrictive && ok[i]) e.eligible.push_back(i);
    if (!e.restrictive && !ok[i]) e.blocked.push_back(i);
  }
  return e;
}

// Offers the scores of items [first, first + row.size()) to `top`, leaving out the query's
// `excluded` items (ascending) and those the filter does not allow. Excluded scores are
// overwritten in `row`. Scans 16 scores at a time against the current k-th best score, so the
// common case (nothing in the block can enter) is one vectorizable comparison per score.
void offer(std::span<float> row, ItemIdx first, std::span<const ItemIdx> excluded, const Eligibility& e, TopK& top) {
  const auto last = static_cast<ItemIdx>(first + row.size());
  const auto in_range = [&](std::span<const ItemIdx> sorted) {
    const auto b = std::lower_bound(sorted.begin(), sorted.end(), first);
    return std::span<const ItemIdx>(b, std::lower_bound(b, sorted.end(), last));
  };
  for (ItemIdx i : in_range(excluded)) row[i - first] = kExcluded;
  if (e.restrictive) {
    for (ItemIdx i : in_range(e.eligible)) {
      if (row[i - first] > top.threshold()) top.push(i, row[i - first]);
    }
    return;
  }
  for (ItemIdx i : in_range(e.blocked)) row[i - first] = kExcluded;
  const std::size_t n = row.size();
  float threshold = top.threshold();
  std::size_t j = 0;
  constexpr std::size_t kLanes = 16;
  for (; j + kLanes <= n; j += kLanes) {
    bool any = false;
    for (std::size_t t = 0; t < kLanes; ++t) any |= row[j + t] > threshold;
    if (!any) continue;
    for (std::size_t t = j; t < j + kLanes; ++t) {
      if (row[t] > threshold) {
        top.push(first + static_cast<ItemIdx>(t), row[t]);
        threshold = top.threshold();
      }
    }
  }
  for (; j < n; ++j) {
    if (row[j] > threshold) {
      top.push(first + static_cast<ItemIdx>(j), row[j]);
      threshold = top.threshold();
    }
  }
}

std::vector<Scored> select_top(std::span<float> row, std::span<const ItemIdx> excluded, const Eligibility& e,
                               std::size_t k) {
  TopK top(k);
  offer(row, 0, excluded, e, top);
  return top.take_sorted();
}

// The top k of `count` queries whose scores are dot products (see NormBoundedScorer), without
// scoring every item: tiles of items in decreasing norm order, each scored for the queries still
// open; a query is closed once |query| * (norm of the next item), with a margin for rounding,
// is below its k-th best score. Filtered items are skipped by binary search in the ascending
// `excluded` lists and the filter's blocked items (non-restrictive filters only).
void select_by_norm(const NormBoundedScorer& m, const std::vector<float>& state, std::size_t count,
                    std::span<const std::span<const ItemIdx>> excluded, const Eligibility& e, std::vector<TopK>& tops,
                    std::vector<float>& scores, std::vector<float>& open_vectors) {
  const std::size_t dim = m.query_dim();
  const auto order = m.items_by_norm();
  const auto norms = m.sorted_item_norms();
  const std::size_t n = order.size();
  std::vector<float> query_norm(count);
  std::vector<std::uint32_t> open(count);
  for (std::size_t q = 0; q < count; ++q) {
    query_norm[q] = std::sqrt(linalg::dot(state.data() + q * dim, state.data() + q * dim, dim));
    open[q] = static_cast<std::uint32_t>(q);
  }
  const auto filtered = [&](std::size_t q, ItemIdx item) {
    return std::binary_search(excluded[q].begin(), excluded[q].end(), item) ||
           std::binary_search(e.blocked.begin(), e.blocked.end(), item);
  };
  for (std::size_t p0 = 0; p0 < n && !open.empty(); p0 += kItemsPerTile) {
    const std::size_t p1 = std::min<std::size_t>(n, p0 + kItemsPerTile), width = p1 - p0;
    open_vectors.resize(open.size() * dim);
    for (std::size_t a = 0; a < open.size(); ++a) {
      std::copy_n(state.data() + open[a] * dim, dim, open_vectors.data() + a * dim);
    }
    scores.resize(open.size() * width);
    m.score_by_norm(open_vectors.data(), open.size(), p0, p1, scores.data());
    const float next_norm = p1 < n ? norms[p1] : 0.0f;
    std::size_t still_open = 0;
    for (std::size_t a = 0; a < open.size(); ++a) {
      const std::size_t q = open[a];
      TopK& top = tops[q];
      const float* row = scores.data() + a * width;
      for (std::size_t t = 0; t < width; ++t) {
        if (row[t] >= top.threshold() && !filtered(q, order[p0 + t])) top.push(order[p0 + t], row[t]);
      }
      const float bound = query_norm[q] * next_norm * (1.0f + 1e-4f) + 1e-6f;
      if (p1 < n && !(top.full() && bound < top.threshold())) open[still_open++] = static_cast<std::uint32_t>(q);
    }
    open.resize(still_open);
  }
}

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
  Timestamp newest = buf.times.empty() ? 0 : *std::max_element(buf.times.begin(), buf.times.end());
  for (std::size_t i = 0; i < q.items.size(); ++i) {
    AISLE_CHECK_MSG(q.items[i] < num_items, "query item out of range");
    buf.items.push_back(q.items[i]);
    buf.weights.push_back(1.0f);
    newest = q.times.empty() ? newest : q.times[i];
    buf.times.push_back(newest);
  }
  uq.items = buf.items;
  uq.weights = buf.weights;
  uq.times = buf.times;
  return uq;
}

}  // namespace

History History::from_pairs(const Interactions& pairs) {
  History h;
  h.row_ptr.reserve(pairs.num_users + 1);
  for (UserIdx u = 0; u < pairs.num_users; ++u) {
    for (std::uint64_t p = pairs.row_ptr[u]; p < pairs.row_ptr[u + 1]; ++p) {
      if (pairs.weight[p] <= 0.0f) continue;
      h.item.push_back(pairs.item[p]);
      h.weight.push_back(pairs.weight[p]);
      h.last_time.push_back(pairs.last_time[p]);
    }
    h.row_ptr.push_back(h.item.size());
  }
  return h;
}

void History::save(BinaryWriter& out) const {
  out.put_vector(row_ptr);
  out.put_vector(item);
  out.put_vector(weight);
  out.put_vector(last_time);
}

void History::load(BinaryReader& in, std::uint32_t num_items) {
  row_ptr = in.get_vector<std::uint64_t>("history offsets");
  item = in.get_vector<ItemIdx>("history items");
  weight = in.get_vector<float>("history weights");
  last_time = in.get_vector<Timestamp>("history times");
  if (row_ptr.empty() || weight.size() != item.size() || last_time.size() != item.size()) {
    in.fail("history", "sizes do not match");
  }
  in.check_offsets(row_ptr, row_ptr.size() - 1, item.size(), "history offsets");
  for (ItemIdx i : item) {
    if (i >= num_items) in.fail("history items", "item index out of range");
  }
}

TrainedModel::TrainedModel(std::unique_ptr<Recommender> model, IdMap users, IdMap items, History history,
                           ItemFacts facts)
    : model_(std::move(model)),
      users_(std::move(users)),
      items_(std::move(items)),
      history_(std::move(history)),
      facts_(std::move(facts)) {
  AISLE_CHECK(model_->num_items() == items_.size());
  AISLE_CHECK(history_.num_users() == users_.size());
  AISLE_CHECK(facts_.num_items() == items_.size());
}

std::vector<std::vector<Scored>> TrainedModel::recommend(std::span<const Query> queries, const Filter& filter,
                                                         std::size_t k, int threads) const {
  const std::uint32_t n = num_items();
  const Eligibility eligibility = compile(filter, facts_, n);
  const auto* ranged = capability<ItemRangeScorer>(*model_);
  // Norm bounds prune only what the filter leaves to a blocked list; restrictive filters scan.
  const auto* bounded =
      ranged != nullptr && !eligibility.restrictive ? capability<NormBoundedScorer>(*model_) : nullptr;
  // Items per tile for models that score item ranges: a block's tile of scores stays in cache.
  const std::uint32_t tile = ranged != nullptr ? std::min<std::uint32_t>(n, kItemsPerTile) : n;
  const std::size_t per_block = ranged != nullptr ? kQueriesPerBlock : kQueriesPerFullRowBlock;
  std::vector<std::vector<Scored>> results(queries.size());
  const std::size_t blocks = (queries.size() + per_block - 1) / per_block;
  struct Scratch {
    std::vector<QueryBuffers> buffers{kQueriesPerBlock};
    std::vector<UserQuery> resolved;
    std::vector<std::span<const ItemIdx>> excluded;
    std::vector<TopK> tops;
    std::vector<float> state, scores, open_vectors;
  };
  std::vector<Scratch> scratch(static_cast<std::size_t>(std::max(threads, 1)));
  parallel_for(blocks, threads, 1, [&](std::size_t b_begin, std::size_t b_end, int worker) {
    Scratch& w = scratch[static_cast<std::size_t>(worker)];
    for (std::size_t b = b_begin; b < b_end; ++b) {
      const std::size_t first = b * per_block;
      const std::size_t count = std::min(per_block, queries.size() - first);
      w.resolved.clear();
      w.excluded.clear();
      w.tops.assign(count, TopK(k));
      for (std::size_t q = 0; q < count; ++q) {
        w.resolved.push_back(resolve(queries[first + q], history_, n, w.buffers[q]));
        w.excluded.push_back(filter.exclude_seen ? sorted_history(queries[first + q], w.resolved[q], w.buffers[q])
                                                 : std::span<const ItemIdx>{});
      }
      if (ranged != nullptr) ranged->prepare(w.resolved, w.state);
      if (bounded != nullptr) {
        select_by_norm(*bounded, w.state, count, w.excluded, eligibility, w.tops, w.scores, w.open_vectors);
      }
      for (ItemIdx t0 = 0; bounded == nullptr && t0 < n; t0 += tile) {
        const ItemIdx t1 = std::min<ItemIdx>(n, t0 + tile);
        const std::size_t width = t1 - t0;
        w.scores.resize(count * width);
        if (ranged != nullptr) {
          ranged->score_range(w.state, count, t0, t1, w.scores.data());
        } else {
          model_->score(w.resolved, w.scores, 1);
        }
        for (std::size_t q = 0; q < count; ++q) {
          offer({w.scores.data() + q * width, width}, t0, w.excluded[q], eligibility, w.tops[q]);
        }
      }
      for (std::size_t q = 0; q < count; ++q) results[first + q] = w.tops[q].take_sorted();
    }
  });
  return results;
}

std::vector<Scored> TrainedModel::similar(ItemIdx item, const Filter& filter, std::size_t k) const {
  AISLE_CHECK(item < num_items());
  const auto* sim = capability<SimilarItems>(*model_);
  if (sim == nullptr) {
    throw ConfigError("model '" + std::string(model_->kind()) +
                      "' cannot find similar items; models that can: " + models_with_similar_items());
  }
  std::vector<float> row(num_items());
  sim->similar_scores(item, row);
  const ItemIdx self[] = {item};
  return select_top(row, self, compile(filter, facts_, num_items()), k);
}

std::vector<float> TrainedModel::score_candidates(const Query& query, std::span<const ItemIdx> candidates) const {
  QueryBuffers buffer;
  const UserQuery uq = resolve(query, history_, num_items(), buffer);
  std::vector<float> row(num_items());
  model_->score_one(uq, row);
  std::vector<float> out;
  out.reserve(candidates.size());
  for (ItemIdx i : candidates) {
    AISLE_CHECK(i < num_items());
    out.push_back(row[i]);
  }
  return out;
}

TrainedModel train_model(std::string_view spec, const Interactions& pairs, const Catalog& catalog, IdMap users,
                         IdMap items, const FitContext& context) {
  AISLE_CHECK(pairs.num_users == users.size() && pairs.num_items == items.size());
  std::unique_ptr<Recommender> model = create_model(spec);
  ItemFacts facts = ItemFacts::from_catalog(catalog, pairs.num_items);
  model->fit(TrainSet{pairs, facts, catalog}, context);
  return TrainedModel(std::move(model), std::move(users), std::move(items), History::from_pairs(pairs),
                      std::move(facts));
}

void Recommender::score(std::span<const UserQuery> queries, std::span<float> scores, int threads) const {
  const std::size_t n = num_items();
  AISLE_CHECK(scores.size() == queries.size() * n);
  parallel_for(queries.size(), threads, 1, [&](std::size_t begin, std::size_t end, int) {
    for (std::size_t q = begin; q < end; ++q) score_one(queries[q], scores.subspan(q * n, n));
  });
}

}  // namespace aisle
