#include "aisle/models/item_knn/item_knn.h"

#include <algorithm>
#include <cmath>
#include <span>

#include "aisle/core/parallel.h"
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

// dots[j] += value(u, i) * value(u, j) over the users u of item i (`users`, `vals`). Items
// reached through sparse rows are listed in `seen` when their sum is 0 before an addition: every
// item whose sum ends nonzero is listed, some maybe twice (a sum that returned to 0; the caller
// zeroes a sum when it first visits it). Testing the sum it loads anyway, instead of a mark per
// item, saves a load and a store per addition. `seen` only grows (its first `listed` entries are
// the list).
struct Reached {
  std::size_t listed = 0;
  bool dense = false;  // a heavy user's dense row was added: every item may be nonzero
};
AISLE_HOT_LOOP
Reached accumulate_dots(std::span<const std::uint32_t> users, std::span<const float> vals, const CsrMatrix& x,
                        const DenseRows& heavy, std::vector<float>& dots, std::vector<ItemIdx>& seen) {
  std::size_t additions = 0;
  for (const std::uint32_t u : users) additions += x.indptr[u + 1] - x.indptr[u];
  if (seen.size() < additions) seen.resize(additions);  // an entry per addition, written without a branch
  ItemIdx* listed = seen.data();
  std::size_t count = 0;
  bool dense = false;
  for (std::size_t a = 0; a < users.size(); ++a) {
    if (const float* row = heavy.row(users[a])) {
      linalg::axpy(vals[a], row, dots.data(), dots.size());
      dense = true;
      continue;
    }
    const auto items = x.row_indices(users[a]);
    const auto values = x.row_values(users[a]);
    for (std::size_t b = 0; b < items.size(); ++b) {
      float& d = dots[items[b]];
      listed[count] = items[b];
      count += d == 0.0f ? 1 : 0;
      d += vals[a] * values[b];
    }
  }
  return {count, dense};
}

// Offers `top` every item j != i of [0, n) whose similarity dots[j] / (from * norm_to[j] + shrink)
// is positive (dots[j] > 0, denominator > 0), in increasing j, then zeroes `dots`. Blocks of items
// that cannot enter (below the current threshold; thresholds only rise) are passed over in one
// vector test, so the result equals offering every item one by one.
AISLE_HOT_LOOP
void offer_all(std::size_t i, float from, std::span<const float> norm_to, float shrink, std::span<float> dots,
               TopK& top) {
  constexpr std::size_t kBlock = 64;
  const std::size_t n = dots.size();
  const auto offer = [&](std::size_t begin, std::size_t end) {
    for (std::size_t j = begin; j < end; ++j) {
      const float denom = from * norm_to[j] + shrink;
      if (j != i && denom > 0.0f && dots[j] > 0.0f) top.push(static_cast<ItemIdx>(j), dots[j] / denom);
    }
  };
  std::size_t b = 0;
  for (; b + kBlock <= n; b += kBlock) {
    const float threshold = top.threshold();
    int any = 0;  // no short-circuit, so that the loop is vectorized
    for (std::size_t j = b; j < b + kBlock; ++j) {
      const float denom = from * norm_to[j] + shrink;
      const float d = dots[j];
      // Lowered a little: this vector test may round differently from offer()'s (contraction).
      any |= static_cast<int>(denom > 0.0f) & static_cast<int>(d > 0.0f) &
             static_cast<int>(d / denom >= threshold * 0.9999f);
    }
    if (any != 0) offer(b, b + kBlock);
  }
  offer(b, n);
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
    TopK top(k);
    const auto consider = [&](std::size_t i, ItemIdx j) {
      const float denom = norm_from[i] * norm_to[j] + params_.shrink;
      if (j != i && denom > 0.0f && dots[j] > 0.0f) top.push(j, dots[j] / denom);
      dots[j] = 0.0f;
    };
    for (std::size_t i = begin; i < end; ++i) {
      const auto users = xt.col_indices(static_cast<std::uint32_t>(i));
      const auto vals = xt.col_values(static_cast<std::uint32_t>(i));
      // Every item may be nonzero after a heavy user's row; a scan in order also beats random
      // access once many items are reached.
      const Reached reached = accumulate_dots(users, vals, x, heavy, dots, seen);
      if (reached.dense || reached.listed * 8 > n) {
        offer_all(i, norm_from[i], norm_to, params_.shrink, dots, top);
      } else {
        for (std::size_t s = 0; s < reached.listed; ++s) consider(i, seen[s]);
      }
      lists[i] = top.take_sorted();
    }
  });
  ptr_.assign(1, 0);
  neighbors_.clear();
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
