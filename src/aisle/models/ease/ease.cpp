#include "aisle/models/ease/ease.h"

#include <algorithm>
#include <cmath>

#include "aisle/core/error.h"
#include "aisle/core/parallel.h"
#include "aisle/data/sparse_matrix.h"
#include "aisle/linalg/blas.h"
#include "aisle/linalg/kernels.h"
#include "aisle/models/transform.h"

namespace aisle {

const ParamSchema<EaseParams>& EaseParams::schema() {
  static const ParamSchema<EaseParams> kSchema(
      "ease",
      {
          {"regularization", &EaseParams::regularization, 1e-3, 1e7, true, {}, "L2 penalty (lambda)"},
          {"transform",
           &EaseParams::transform,
           0,
           0,
           false,
           {"binary", "none", "log1p"},
           "user-item values: 1 per pair, the weight, or log(1 + weight)"},
          {"max_items",
           &EaseParams::max_items,
           1,
           60000,
           false,
           {},
           "refuse catalogs larger than this (memory 12 n^2 bytes, time ~n^3/3 flops)"},
          {"recency",
           &EaseParams::recency,
           0,
           1000,
           false,
           {},
           "half-life, in baskets back from the newest, of history weights (0: all equal)"},
      },
      {{"regularization", 10, 1e5}, {"transform"}, {"recency", 0, 10}});
  return kSchema;
}

namespace {

float value_of(std::string_view transform, float w) {
  if (transform == "binary") return 1.0f;
  return transform == "log1p" ? std::log1p(w) : w;
}

}  // namespace

void Ease::fit(const TrainSet& data, const FitContext& context) {
  const Interactions& pairs = data.pairs;
  n_ = pairs.num_items;
  if (n_ > static_cast<std::uint32_t>(params_.max_items)) {
    throw ConfigError("model 'ease': " + std::to_string(n_) + " items exceed max_items=" +
                      std::to_string(params_.max_items) + " (a dense " + std::to_string(n_) + " x " +
                      std::to_string(n_) + " solve); use item_knn or als, or raise max_items if memory allows");
  }
  CsrMatrix x = confidence_matrix(pairs, Transform::kNone);
  for (float& v : x.values) v = value_of(params_.transform, v);
  const CscMatrix xt = to_csc(x);
  // G = X^T X + lambda I, row i from the users of item i: deterministic, parallel over rows.
  std::vector<double> g(static_cast<std::size_t>(n_) * n_, 0.0);
  parallel_for(context.run, n_, 64, [&](std::size_t begin, std::size_t end, int) {
    for (std::size_t i = begin; i < end; ++i) {
      double* gi = g.data() + i * n_;
      const auto users = xt.col_indices(static_cast<std::uint32_t>(i));
      const auto vals = xt.col_values(static_cast<std::uint32_t>(i));
      for (std::size_t a = 0; a < users.size(); ++a) {
        const auto items = x.row_indices(users[a]);
        const auto values = x.row_values(users[a]);
        for (std::size_t b = 0; b < items.size(); ++b) gi[items[b]] += static_cast<double>(vals[a]) * values[b];
      }
      gi[i] += params_.regularization;
    }
  });
  context.run.check_cancelled();  // the inverse that follows is one LAPACK call: it cannot stop midway
  bool ok = false;
  {
    const linalg::WholeBudgetBlas whole_budget(context.run);  // the one large call of the fit
    ok = linalg::invert_spd(g.data(), n_);
  }
  AISLE_CHECK_MSG(ok, "X^T X + lambda I must be positive definite for lambda > 0");
  context.run.check_cancelled();
  b_.assign(static_cast<std::size_t>(n_) * n_, 0.0f);
  for (std::size_t i = 0; i < n_; ++i) {
    for (std::size_t j = 0; j < n_; ++j) {
      b_[i * n_ + j] = i == j ? 0.0f : static_cast<float>(-g[i * n_ + j] / g[j * n_ + j]);
    }
  }
}

void Ease::score_one(const UserQuery& query, std::span<float> scores) const {
  std::fill(scores.begin(), scores.end(), 0.0f);
  std::vector<float> recent;
  recency_weights(query.times, params_.recency, recent);
  for (std::size_t h = 0; h < query.items.size(); ++h) {
    const float w = value_of(params_.transform, query.weights[h]) * recent[h];
    linalg::axpy(w, b_.data() + static_cast<std::size_t>(query.items[h]) * n_, scores.data(), n_);
  }
}

void Ease::explain(const UserQuery& query, ItemIdx item, std::size_t n, std::vector<Scored>& out) const {
  out.clear();
  std::vector<float> recent;
  recency_weights(query.times, params_.recency, recent);
  for (std::size_t h = 0; h < query.items.size(); ++h) {
    const float w = value_of(params_.transform, query.weights[h]) * recent[h];
    out.push_back({query.items[h], w * b_[static_cast<std::size_t>(query.items[h]) * n_ + item]});
  }
  keep_top_contributions(out, n);
}

void Ease::similar_scores(ItemIdx item, std::span<float> scores) const {
  std::copy_n(b_.data() + static_cast<std::size_t>(item) * n_, n_, scores.data());
}

void Ease::save(BinaryWriter& out) const {
  out.put<std::uint32_t>(n_);
  out.put_vector(b_);
}

void Ease::load(BinaryReader& in) {
  n_ = in.get<std::uint32_t>("item count");
  b_ = in.get_vector<float>("item weights");
  if (b_.size() != static_cast<std::size_t>(n_) * n_) in.fail("item weights", "size is not items x items");
}

}  // namespace aisle
