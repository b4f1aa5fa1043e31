#include "aisle/models/trained_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "aisle/core/error.h"
#include "aisle/core/parallel.h"
#include "aisle/models/registry.h"
#include "aisle/models/selection.h"

namespace aisle {

namespace {

// Queries scored together: many for models that score item ranges (the item side is read once
// per block), fewer for models that score whole rows (a block holds queries x items floats).
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
  item_users_.assign(items_.size(), 0.0f);
  for (const ItemIdx i : history_.item) item_users_[i] += 1.0f;
}

std::vector<Scored> TrainedModel::popular(const Filter& filter, std::size_t k) const {
  std::vector<float> row = item_users_;
  return select_top(row, {}, compile_filter(filter, facts_, num_items()), k);
}

std::vector<std::vector<Scored>> TrainedModel::recommend(std::span<const Query> queries, const Filter& filter,
                                                         std::size_t k, int threads) const {
  return recommend_with(*model_, history_, facts_, queries, filter, k, threads);
}

std::vector<std::vector<Scored>> recommend_with(const Recommender& model, const History& history,
                                                const ItemFacts& facts, std::span<const Query> queries,
                                                const Filter& filter, std::size_t k, int threads) {
  const std::uint32_t n = model.num_items();
  const Eligibility eligibility = compile_filter(filter, facts, n);
  const auto* ranged = capability<ItemRangeScorer>(model);
  // Norm bounds prune only what the filter leaves to a blocked list; restrictive filters scan.
  const auto* bounded = ranged != nullptr && !eligibility.restrictive ? capability<NormBoundedScorer>(model) : nullptr;
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
        w.resolved.push_back(resolve(queries[first + q], history, n, w.buffers[q]));
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
          model.score(w.resolved, w.scores, 1);
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
  return select_top(row, self, compile_filter(filter, facts_, num_items()), k);
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

namespace {

// A fitted model must score every item with a finite number (the Recommender contract): checked
// on the first users with a history and on an empty anonymous query, whatever the model, so that
// a fit that went wrong without a per-step check still cannot be saved as a success.
void check_scores_finite(const Recommender& model, const History& history, int threads) {
  constexpr UserIdx kUsersChecked = 16;
  std::vector<UserQuery> queries(1);  // the anonymous empty query
  for (UserIdx u = 0; u < history.num_users() && queries.size() <= kUsersChecked; ++u) {
    const std::uint64_t b = history.row_ptr[u], e = history.row_ptr[u + 1];
    if (b == e) continue;
    queries.push_back({u,
                       {history.item.data() + b, history.item.data() + e},
                       {history.weight.data() + b, history.weight.data() + e},
                       {history.last_time.data() + b, history.last_time.data() + e},
                       true});
  }
  std::vector<float> scores(queries.size() * static_cast<std::size_t>(model.num_items()));
  model.score(queries, scores, threads);
  const auto bad = std::find_if(scores.begin(), scores.end(), [](float v) { return !std::isfinite(v); });
  if (bad != scores.end()) {
    throw FitError(std::string(model.kind()) + ":" + model.params() +
                   ": the fitted model scores items with non-finite numbers; its parameters or the weights do not "
                   "suit this data (try a transform, --weights ...,transform=log1p, or smaller step sizes)");
  }
}

}  // namespace

TrainedModel train_model(std::string_view spec, const Interactions& pairs, const Catalog& catalog, IdMap users,
                         IdMap items, const FitContext& context) {
  AISLE_CHECK(pairs.num_users == users.size() && pairs.num_items == items.size());
  std::unique_ptr<Recommender> model = create_model(spec);
  ItemFacts facts = ItemFacts::from_catalog(catalog, pairs.num_items);
  model->fit(TrainSet{pairs, facts, catalog}, context);
  History history = History::from_pairs(pairs);
  check_scores_finite(*model, history, context.run.threads);
  return TrainedModel(std::move(model), std::move(users), std::move(items), std::move(history), std::move(facts));
}

void FitContext::end_step(const StepEnd& s) const {
  if (!s.finite || std::isinf(s.loss)) {
    throw FitError(std::string(s.label) + " " + std::to_string(s.step) + " of " + std::to_string(s.last) +
                   ": the fit diverged (its loss or parameters are no longer finite numbers); " +
                   std::string(s.remedy));
  }
  if (log != nullptr) log->push_back({s.step, s.loss, s.validation});
  if (run.progress != nullptr) {
    run.progress->step(s.label, static_cast<std::uint64_t>(s.step), static_cast<std::uint64_t>(s.last), s.loss);
  }
}

void Recommender::score(std::span<const UserQuery> queries, std::span<float> scores, int threads) const {
  const std::size_t n = num_items();
  AISLE_CHECK(scores.size() == queries.size() * n);
  parallel_for(queries.size(), threads, 1, [&](std::size_t begin, std::size_t end, int) {
    for (std::size_t q = begin; q < end; ++q) score_one(queries[q], scores.subspan(q * n, n));
  });
}

}  // namespace aisle
