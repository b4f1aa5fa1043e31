#include "aisle/models/trained_model.h"

#include <algorithm>
#include <limits>

#include "aisle/core/error.h"
#include "aisle/core/parallel.h"
#include "aisle/models/registry.h"

namespace aisle {

namespace {

constexpr float kExcluded = -std::numeric_limits<float>::infinity();
constexpr std::size_t kQueriesPerBlock = 64;

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

// The k best finite scores of `row` among eligible items. Excluded items must already hold
// kExcluded. Scans 16 scores at a time against the current k-th best score, so the common case
// (nothing in the block can enter) is one vectorizable comparison per score.
std::vector<Scored> select_top(std::span<float> row, const Eligibility& e, std::size_t k) {
  TopK top(k);
  if (e.restrictive) {
    for (ItemIdx i : e.eligible) {
      if (row[i] > top.threshold()) top.push(i, row[i]);
    }
    return top.take_sorted();
  }
  for (ItemIdx i : e.blocked) row[i] = kExcluded;
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
        top.push(static_cast<ItemIdx>(t), row[t]);
        threshold = top.threshold();
      }
    }
  }
  for (; j < n; ++j) {
    if (row[j] > threshold) {
      top.push(static_cast<ItemIdx>(j), row[j]);
      threshold = top.threshold();
    }
  }
  return top.take_sorted();
}

// A Query made into what a model reads; merged histories live in the buffers.
struct QueryBuffers {
  std::vector<ItemIdx> items;
  std::vector<float> weights;
  std::vector<Timestamp> times;
};

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
  std::vector<std::vector<Scored>> results(queries.size());
  const std::size_t blocks = (queries.size() + kQueriesPerBlock - 1) / kQueriesPerBlock;
  parallel_for(blocks, threads, 1, [&](std::size_t b_begin, std::size_t b_end, int) {
    std::vector<QueryBuffers> buffers(kQueriesPerBlock);
    std::vector<UserQuery> resolved;
    std::vector<float> scores;
    for (std::size_t b = b_begin; b < b_end; ++b) {
      const std::size_t first = b * kQueriesPerBlock;
      const std::size_t count = std::min(kQueriesPerBlock, queries.size() - first);
      resolved.clear();
      for (std::size_t q = 0; q < count; ++q) resolved.push_back(resolve(queries[first + q], history_, n, buffers[q]));
      scores.resize(count * n);
      model_->score(resolved, scores, 1);
      for (std::size_t q = 0; q < count; ++q) {
        std::span<float> row(scores.data() + q * n, n);
        if (filter.exclude_seen) {
          for (ItemIdx i : resolved[q].items) row[i] = kExcluded;
        }
        results[first + q] = select_top(row, eligibility, k);
      }
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
  row[item] = kExcluded;
  return select_top(row, compile(filter, facts_, num_items()), k);
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
