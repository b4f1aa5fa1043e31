#include "aisle/models/selection.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "aisle/linalg/kernels.h"

namespace aisle {

namespace {
constexpr float kExcluded = -std::numeric_limits<float>::infinity();
}  // namespace

Eligibility compile_filter(const Filter& filter, const ItemFacts& facts, std::uint32_t num_items) {
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

void select_candidates(std::span<const Scored> candidates, std::uint32_t num_items, std::span<const ItemIdx> excluded,
                       const Eligibility& e, TopK& top, std::vector<std::uint8_t>& marks, const FillOrder& fill) {
  const auto contains = [](std::span<const ItemIdx> sorted, ItemIdx i) {
    return std::binary_search(sorted.begin(), sorted.end(), i);
  };
  const auto allowed = [&](ItemIdx i) {
    if (contains(excluded, i)) return false;
    return e.restrictive ? contains(e.eligible, i) : !contains(e.blocked, i);
  };
  marks.resize(num_items, 0);
  for (const Scored& c : candidates) {
    marks[c.item] = 1;
    if (allowed(c.item)) top.push(c.item, c.score);
  }
  if (!top.full()) {
    const bool by_index = fill.items.empty();
    const auto score_of = [&](ItemIdx i) { return by_index ? 0.0f : fill.scores[i]; };
    if (e.restrictive) {
      // The filter lists its eligible items already; the top k keeps the best of them.
      for (auto it = e.eligible.begin(); it != e.eligible.end() && !(by_index && top.full()); ++it) {
        if (marks[*it] == 0 && !contains(excluded, *it)) top.push(*it, score_of(*it));
      }
    } else if (by_index) {
      for (ItemIdx i = 0; i < num_items && !top.full(); ++i) {
        if (marks[i] == 0 && allowed(i)) top.push(i, 0.0f);
      }
    } else {
      for (auto it = fill.items.begin(); it != fill.items.end() && !top.full(); ++it) {
        if (marks[*it] == 0 && allowed(*it)) top.push(*it, fill.scores[*it]);
      }
    }
  }
  for (const Scored& c : candidates) marks[c.item] = 0;
}

}  // namespace aisle
