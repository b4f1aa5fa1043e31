#include "aisle/models/item_knn/item_knn.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <limits>
#include <span>

#include "aisle/core/parallel.h"
#include "aisle/core/top_k.h"
#include "aisle/data/sparse_matrix.h"
#include "aisle/linalg/kernels.h"
#include "aisle/models/item_score_model.h"
#include "aisle/models/transform.h"

namespace aisle {

const ParamSchema<ItemKnnParams>& ItemKnnParams::schema() {
  static const ParamSchema<ItemKnnParams> kSchema(
      "item_knn",
      {
          {"neighbors", &ItemKnnParams::neighbors, 1, 10000, true, {}, "neighbours kept per item (K)"},
          {"shrink", &ItemKnnParams::shrink, 0, 1e5, false, {}, "added to the cosine's denominator"},
          {"alpha",
           &ItemKnnParams::alpha,
           0,
           1,
           false,
           {},
           "asymmetry: 0.5 is the cosine, 1 the share of the history item's users who have the other item"},
          {"weighting",
           &ItemKnnParams::weighting,
           0,
           0,
           false,
           {"none", "log1p", "bm25", "tfidf"},
           "user-item values the similarity is computed on"},
      },
      {{"neighbors", 10, 1000}, {"shrink", 0, 100}, {"alpha", 0, 1}, {"weighting"}});
  return kSchema;
}

namespace {

// Far below any similarity a neighbour list holds, so it only orders unreached and tied items.
constexpr float kPriorScale = 1e-6f;

// Dense copies of the rows of heavy users (at least 64 items and 1/16 of the catalog). The fit's
// cost is the sum over users of items-per-user squared, and on power-law data a few heavy users
// make most of it: adding such a user's row as one dense vector replaces its scattered updates.
// Memory is at most 64 bytes per nonzero of those rows.
class DenseRows {
 public:
  explicit DenseRows(const CsrMatrix& x) : cols_(x.cols), index_(x.rows, kNoIndex) {
    for (UserIdx u = 0; u < x.rows; ++u) {
      const auto items = x.row_indices(u);
      if (items.size() < 64 || items.size() * 16 < x.cols) continue;
      index_[u] = static_cast<std::uint32_t>(rows_.size() / cols_);
      rows_.resize(rows_.size() + cols_, 0.0f);
      float* dense = rows_.data() + rows_.size() - cols_;
      const auto values = x.row_values(u);
      for (std::size_t b = 0; b < items.size(); ++b) dense[items[b]] = values[b];
    }
  }
  // The dense row of a heavy user, or null.
  const float* row(UserIdx u) const {
    return index_[u] == kNoIndex ? nullptr : rows_.data() + static_cast<std::size_t>(index_[u]) * cols_;
  }

 private:
  std::size_t cols_;
  std::vector<std::uint32_t> index_;
  std::vector<float> rows_;
};

// dots[j] += value(u, i) * value(u, j) over the users u of item i (`users`, `vals`). When the
// additions are few next to the catalog, the items reached through sparse rows are listed in
// `seen` when their sum is 0 before an addition: every item whose sum ends nonzero is listed,
// some maybe twice (a sum that returned to 0; the caller zeroes a sum when it first visits it).
// Testing the sum it loads anyway, instead of a mark per item, saves a load and a store per
// addition. `seen` only grows (its first `listed` entries are the list). With more additions
// than a quarter of the catalog nothing is listed (`dense`): the caller scans the catalog, which
// costs less than the listing would.
struct Reached {
  std::size_t listed = 0;
  bool dense = false;  // nothing listed: every item may be nonzero
};
AISLE_HOT_LOOP
Reached accumulate_dots(std::span<const std::uint32_t> users, std::span<const float> vals, const CsrMatrix& x,
                        const DenseRows& heavy, std::vector<float>& dots, std::vector<ItemIdx>& seen) {
  std::size_t additions = 0;
  for (const std::uint32_t u : users) additions += x.indptr[u + 1] - x.indptr[u];
  const bool dense = additions * 4 > dots.size();
  if (!dense && seen.size() < additions) seen.resize(additions);  // an entry per addition, written without a branch
  ItemIdx* listed = seen.data();
  std::size_t count = 0;
  for (std::size_t a = 0; a < users.size(); ++a) {
    const auto items = x.row_indices(users[a]);
    const auto values = x.row_values(users[a]);
    const float va = vals[a];
    if (dense) {
      if (const float* row = heavy.row(users[a])) {
        linalg::axpy(va, row, dots.data(), dots.size());
      } else {
        for (std::size_t b = 0; b < items.size(); ++b) dots[items[b]] += va * values[b];
      }
      continue;
    }
    for (std::size_t b = 0; b < items.size(); ++b) {
      float& d = dots[items[b]];
      listed[count] = items[b];
      count += d == 0.0f ? 1 : 0;
      d += va * values[b];
    }
  }
  return {count, dense};
}

// The k-th largest of the maxima of the blocks of kBlock scores score_at(0 .. n-1), which are 0
// or more (0 when fewer than k blocks hold a positive one): a lower bound of the k-th largest
// score, as k blocks each hold one at least as large. Leaves each block's maximum in `maxima`;
// `order` is scratch.
constexpr std::size_t kBlock = 32;
// Inlined, so that it is vectorized for the caller's target (a clone of AISLE_HOT_LOOP).
template <typename ScoreAt>
[[gnu::always_inline]] inline float kth_block_maximum(std::size_t n, ScoreAt score_at, std::size_t k,
                                                      std::vector<float>& maxima, std::vector<float>& order) {
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  maxima.assign(blocks, 0.0f);
  std::size_t positive = 0;
  for (std::size_t b = 0; b < blocks; ++b) {
    // Floats of 0 or more order as their bits do: an integer maximum, which vectorizes (a float
    // one does not without -ffast-math).
    std::uint32_t top = 0;
    const std::size_t end = std::min(n, (b + 1) * kBlock);
    for (std::size_t j = b * kBlock; j < end; ++j) top = std::max(top, std::bit_cast<std::uint32_t>(score_at(j)));
    maxima[b] = std::bit_cast<float>(top);
    positive += top != 0 ? 1 : 0;
  }
  if (positive < k) return 0.0f;
  order = maxima;
  std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k) - 1, order.end(), std::greater<>());
  return order[k - 1];
}

// The k best of `candidates` (positive scores) by ranks_before, best first (k may exceed their
// number). Many candidates are first cut to those reaching kth_block_maximum.
AISLE_HOT_LOOP
void keep_best(std::vector<Scored>& candidates, std::size_t k, std::vector<float>& maxima, std::vector<float>& order) {
  if (candidates.size() > 8 * k) {
    const float floor = kth_block_maximum(
        candidates.size(), [&](std::size_t j) { return candidates[j].score; }, k, maxima, order);
    std::erase_if(candidates, [floor](const Scored& s) { return s.score < floor; });
  }
  if (candidates.size() > k) {
    std::nth_element(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(k) - 1, candidates.end(),
                     RanksBefore{});
    candidates.resize(k);
  }
  std::sort(candidates.begin(), candidates.end(), RanksBefore{});
}

// Appends to `candidates` every item j of [0, n) that may be among the k most similar to the
// item whose dot products are `dots` (dots[i] of the item itself already 0), with its similarity
// dots[j] / (from * norm_to[j] + shrink) (positive dots and denominators only), then zeroes
// `dots`. Three vectorized passes instead of a heap offer per item: the similarities in place,
// with each block's maximum; the k-th largest block maximum t, a lower bound of the k-th largest
// similarity (k blocks each hold one at least as large); the items of at least t.
AISLE_HOT_LOOP
void dense_candidates(float from, std::span<const float> norm_to, float shrink, std::span<float> dots, std::size_t k,
                      std::vector<float>& block_max, std::vector<float>& order, std::vector<Scored>& candidates) {
  const std::size_t n = dots.size();
  for (std::size_t j = 0; j < n; ++j) {
    const float denom = from * norm_to[j] + shrink;
    const float d = dots[j];
    const float q = d / denom;  // kept only where both are positive (no short-circuit: vectorized)
    dots[j] = static_cast<bool>(static_cast<int>(denom > 0.0f) & static_cast<int>(d > 0.0f)) ? q : 0.0f;
  }
  float floor = kth_block_maximum(
      n, [&](std::size_t j) { return dots[j]; }, k, block_max, order);
  floor = std::max(floor, std::numeric_limits<float>::min());  // the smallest positive
  for (std::size_t b = 0; b < block_max.size(); ++b) {
    if (block_max[b] < floor) continue;
    const std::size_t end = std::min(n, (b + 1) * kBlock);
    for (std::size_t j = b * kBlock; j < end; ++j) {
      if (dots[j] >= floor) candidates.push_back({static_cast<ItemIdx>(j), dots[j]});
    }
  }
  std::fill(dots.begin(), dots.end(), 0.0f);
}

// squared_norm^e, exactly the norm (a correctly rounded sqrt) for the cosine's e = 0.5.
double power_of_norm(double squared_norm, double e) {
  return e == 0.5 ? std::sqrt(squared_norm) : std::pow(squared_norm, e);
}

}  // namespace

void ItemKnn::fit(const TrainSet& data, const FitContext& context) {
  const CsrMatrix x = confidence_matrix(data.pairs, parse_transform(params_.weighting));
  const CscMatrix xt = to_csc(x);
  const std::uint32_t n = x.cols;
  // sim(i, j) = dot(i, j) / (|i|^(2 alpha) |j|^(2 (1 - alpha)) + shrink): the two factors per item.
  std::vector<float> norm_from(n, 0.0f);
  std::vector<float> norm_to(n, 0.0f);
  for (ItemIdx i = 0; i < n; ++i) {
    double s = 0;
    for (float v : xt.col_values(i)) s += static_cast<double>(v) * v;
    norm_from[i] = static_cast<float>(power_of_norm(s, params_.alpha));
    norm_to[i] = static_cast<float>(power_of_norm(s, 1.0 - params_.alpha));
  }
  const auto k = static_cast<std::size_t>(params_.neighbors);
  const DenseRows heavy(x);
  std::vector<std::vector<Scored>> lists(n);
  const int threads = context.run.threads();
  std::vector<std::vector<float>> acc(static_cast<std::size_t>(threads), std::vector<float>(n, 0.0f));
  std::vector<std::vector<ItemIdx>> touched(static_cast<std::size_t>(threads));
  parallel_for(context.run, n, 64, [&](std::size_t begin, std::size_t end, int worker) {
    std::vector<float>& dots = acc[static_cast<std::size_t>(worker)];
    std::vector<ItemIdx>& seen = touched[static_cast<std::size_t>(worker)];
    std::vector<float> block_max, order;
    std::vector<Scored> candidates;
    for (std::size_t i = begin; i < end; ++i) {
      const auto users = xt.col_indices(static_cast<std::uint32_t>(i));
      const auto vals = xt.col_values(static_cast<std::uint32_t>(i));
      const Reached reached = accumulate_dots(users, vals, x, heavy, dots, seen);
      dots[i] = 0.0f;
      candidates.clear();
      // A scan in order also beats random access once many items are reached.
      if (reached.dense || reached.listed * 8 > n) {
        dense_candidates(norm_from[i], norm_to, params_.shrink, dots, k, block_max, order, candidates);
      } else {
        for (std::size_t s = 0; s < reached.listed; ++s) {
          const ItemIdx j = seen[s];
          const float denom = norm_from[i] * norm_to[j] + params_.shrink;
          if (denom > 0.0f && dots[j] > 0.0f) candidates.push_back({j, dots[j] / denom});
          dots[j] = 0.0f;  // a second listing of j finds 0
        }
      }
      keep_best(candidates, k, block_max, order);
      lists[i] = candidates;
    }
  });
  ptr_.assign(1, 0);
  ptr_.reserve(n + 1);
  neighbors_.clear();
  std::size_t total = 0;
  for (const auto& l : lists) total += l.size();
  neighbors_.reserve(total);
  for (const auto& l : lists) {
    neighbors_.insert(neighbors_.end(), l.begin(), l.end());
    ptr_.push_back(neighbors_.size());
  }
  prior_ = popularity_prior(data.pairs, kPriorScale);
}

void ItemKnn::score_one(const UserQuery& query, std::span<float> scores) const {
  std::copy(prior_.begin(), prior_.end(), scores.begin());
  for (std::size_t h = 0; h < query.items.size(); ++h) {
    const float w = std::log1p(std::max(query.weights[h], 0.0f));
    for (const Scored& s : neighbors_of(query.items[h])) scores[s.item] += w * s.score;
  }
}

void ItemKnn::explain(const UserQuery& query, ItemIdx item, std::size_t n, std::vector<Scored>& out) const {
  out.clear();
  for (std::size_t h = 0; h < query.items.size(); ++h) {
    const float w = std::log1p(std::max(query.weights[h], 0.0f));
    for (const Scored& s : neighbors_of(query.items[h])) {
      if (s.item == item) out.push_back({query.items[h], w * s.score});
    }
  }
  keep_top_contributions(out, n);
}

void ItemKnn::similar_scores(ItemIdx item, std::span<float> scores) const {
  std::copy(prior_.begin(), prior_.end(), scores.begin());
  for (const Scored& s : neighbors_of(item)) scores[s.item] += s.score;
}

void ItemKnn::save(BinaryWriter& out) const {
  out.put_vector(ptr_);
  out.put_vector(neighbors_);
  out.put_vector(prior_);
}

void ItemKnn::load(BinaryReader& in) {
  ptr_ = in.get_vector<std::uint64_t>("neighbour offsets");
  neighbors_ = in.get_vector<Scored>("neighbours");
  prior_ = in.get_vector<float>("popularity prior");
  in.check_offsets(ptr_, prior_.size(), neighbors_.size(), "neighbours");
  for (const Scored& s : neighbors_) {
    if (s.item >= prior_.size()) in.fail("neighbours", "item index out of range");
  }
}

}  // namespace aisle
