#include "aisle/models/als/als.h"

#include <cmath>
#include <limits>

#include "aisle/core/parallel.h"
#include "aisle/core/text.h"
#include "aisle/data/sparse_matrix.h"
#include "aisle/linalg/blas.h"
#include "aisle/linalg/kernels.h"
#include "aisle/models/transform.h"

namespace aisle {

const ParamSchema<AlsParams>& AlsParams::schema() {
  static const ParamSchema<AlsParams> kSchema(
      "als",
      {
          {"factors", &AlsParams::factors, 1, 1024, true, {}, "latent factors"},
          {"regularization", &AlsParams::regularization, 1e-6, 1e4, true, {}, "L2 penalty on all factors"},
          {"alpha", &AlsParams::alpha, 1e-3, 1e4, true, {}, "confidence = 1 + alpha * transformed weight"},
          {"iterations", &AlsParams::iterations, 1, 500, false, {}, "alternating iterations"},
          {"cg_steps", &AlsParams::cg_steps, 1, 1024, false, {}, "conjugate-gradient steps per solve"},
          {"transform",
           &AlsParams::transform,
           0,
           0,
           false,
           {"none", "log1p"},
           "transform of the aggregated weight before alpha"},
      },
      {{"factors", 16, 256}, {"regularization", 1e-3, 10}, {"alpha", 0.1, 100}, {"iterations", 5, 30}, {"transform"}});
  return kSchema;
}

Als::Als(AlsParams p) : FactorModel(std::move(p)) {
  dim_ = latent_ = static_cast<std::uint32_t>(params_.factors);
}

namespace {

constexpr std::uint64_t kPrefetchAhead = 8;

// Solves rows [begin, end) of `x` (each a row of `dim` floats) in place by `steps` CG steps on
//   (YtY + sum_i (c_i - 1) y_i y_i^T) x = sum_i c_i y_i,
// i is over the row's nonzeros, c_i = 1 + alpha * value. `yty` already includes the penalty.
AISLE_HOT_LOOP
void cg_solve_rows(std::size_t begin, std::size_t end, const std::uint64_t* indptr, const std::uint32_t* indices,
                   const float* values, const float* y, const float* yty, std::size_t dim, float alpha, int steps,
                   float* x) {
  std::vector<float> r(dim), p(dim), ap(dim);
  for (std::size_t row = begin; row < end; ++row) {
    float* xr = x + row * dim;
    // r = b - A x
    linalg::symv(yty, xr, r.data(), dim);
    for (std::size_t j = 0; j < dim; ++j) r[j] = -r[j];
    const std::uint64_t first = indptr[row], last = indptr[row + 1];
    for (std::uint64_t k = first; k < last; ++k) {
      // The rows of y are read in the order of the row's items: fetch a few ahead.
      if (k + kPrefetchAhead < last)
        linalg::prefetch(y + static_cast<std::size_t>(indices[k + kPrefetchAhead]) * dim, dim);
      const float* yi = y + static_cast<std::size_t>(indices[k]) * dim;
      const float c = 1.0f + alpha * values[k];
      linalg::axpy(c - (c - 1.0f) * linalg::dot(yi, xr, dim), yi, r.data(), dim);
    }
    p = r;
    float rs = linalg::dot(r.data(), r.data(), dim);
    for (int s = 0; s < steps && rs > 1e-20f; ++s) {
      linalg::symv(yty, p.data(), ap.data(), dim);
      for (std::uint64_t k = first; k < last; ++k) {
        if (k + kPrefetchAhead < last) {
          linalg::prefetch(y + static_cast<std::size_t>(indices[k + kPrefetchAhead]) * dim, dim);
        }
        const float* yi = y + static_cast<std::size_t>(indices[k]) * dim;
        linalg::axpy(alpha * values[k] * linalg::dot(yi, p.data(), dim), yi, ap.data(), dim);
      }
      const float a = rs / linalg::dot(p.data(), ap.data(), dim);
      linalg::axpy(a, p.data(), xr, dim);
      linalg::axpy(-a, ap.data(), r.data(), dim);
      const float rs_new = linalg::dot(r.data(), r.data(), dim);
      const float beta = rs_new / rs;
      for (std::size_t j = 0; j < dim; ++j) p[j] = r[j] + beta * p[j];
      rs = rs_new;
    }
  }
}

// YtY + regularization * I
std::vector<float> penalized_gram(const std::vector<float>& y, std::size_t dim, float regularization) {
  std::vector<float> g(dim * dim);
  linalg::gram(y.data(), static_cast<std::int64_t>(y.size() / dim), static_cast<std::int64_t>(dim), g.data());
  for (std::size_t j = 0; j < dim; ++j) g[j * dim + j] += regularization;
  return g;
}

// The implicit-ALS objective: sum over all (u, i) of c_ui (p_ui - x_u.y_i)^2 + penalty, per
// nonzero (c = 1 + alpha v, p = 1): c (1 - s)^2 replaces the zero-pair term s^2; the sum over
// all pairs of s^2 is sum_u x_u^T YtY x_u. Divided by users * items.
double objective(const CsrMatrix& c, const std::vector<float>& x, const std::vector<float>& y, std::size_t dim,
                 float alpha, float regularization, const RunContext& run) {
  const std::vector<float> yty = penalized_gram(y, dim, 0.0f);
  std::vector<double> per_user(c.rows, 0.0);
  parallel_for(run, c.rows, 1024, [&](std::size_t begin, std::size_t end, int) {
    std::vector<float> t(dim);
    for (std::size_t u = begin; u < end; ++u) {
      const float* xu = x.data() + u * dim;
      linalg::symv(yty.data(), xu, t.data(), dim);
      double l = linalg::dot(xu, t.data(), dim) + regularization * linalg::dot(xu, xu, dim);
      for (std::uint64_t k = c.indptr[u]; k < c.indptr[u + 1]; ++k) {
        const float s = linalg::dot(xu, y.data() + static_cast<std::size_t>(c.indices[k]) * dim, dim);
        const float conf = 1.0f + alpha * c.values[k];
        l += conf * (1.0 - s) * (1.0 - s) - static_cast<double>(s) * s;
      }
      per_user[u] = l;
    }
  });
  double total = 0;
  for (double l : per_user) total += l;
  for (float v : y) total += regularization * static_cast<double>(v) * v;
  return total / (static_cast<double>(c.rows) * std::max<std::uint32_t>(c.cols, 1));
}

}  // namespace

void Als::fit(const TrainSet& data, const FitContext& context) {
  const CsrMatrix c = confidence_matrix(data.pairs, parse_transform(params_.transform));
  const CscMatrix ct = to_csc(c);
  const std::size_t dim = dim_;
  user_factors_.assign(static_cast<std::size_t>(c.rows) * dim, 0.0f);
  item_factors_.assign(static_cast<std::size_t>(c.cols) * dim, 0.0f);
  fill_uniform(user_factors_, context.run.seed, 0.01f);
  fill_uniform(item_factors_, context.run.seed + 1, 0.01f);
  const auto half_step = [&](const std::vector<std::uint64_t>& indptr, const std::vector<std::uint32_t>& indices,
                             const std::vector<float>& values, std::size_t rows, const std::vector<float>& fixed,
                             std::vector<float>& solved) {
    const std::vector<float> gram = penalized_gram(fixed, dim, params_.regularization);
    parallel_for(context.run, rows, 256, [&](std::size_t begin, std::size_t end, int) {
      cg_solve_rows(begin, end, indptr.data(), indices.data(), values.data(), fixed.data(), gram.data(), dim,
                    params_.alpha, params_.cg_steps, solved.data());
    });
  };
  for (int it = 1; it <= params_.iterations; ++it) {
    half_step(ct.indptr, ct.indices, ct.values, ct.cols, user_factors_, item_factors_);
    half_step(c.indptr, c.indices, c.values, c.rows, item_factors_, user_factors_);
    // The objective costs about one CG step; it is computed only when someone reads it. The
    // factors are checked every iteration (one pass over them).
    const bool read = context.run.progress != nullptr || context.log != nullptr;
    const double loss =
        read ? objective(c, user_factors_, item_factors_, dim, params_.alpha, params_.regularization, context.run)
             : std::nan("");
    const std::string remedy = "raise regularization (now " + format_float(params_.regularization) +
                               ") or lower alpha (now " + format_float(params_.alpha) +
                               "), or transform the weights (--weights ...,transform=log1p)";
    context.end_step({.label = "als iteration",
                      .step = it,
                      .last = params_.iterations,
                      .loss = loss,
                      .finite = linalg::all_finite(user_factors_) && linalg::all_finite(item_factors_),
                      .remedy = remedy});
    if (context.at_checkpoint(it, params_.iterations)) {
      item_gram_ = penalized_gram(item_factors_, dim, params_.regularization);
      index_items_by_norm();
      if (!context.checkpoint(it, *this)) break;
    }
  }
  if (context.run.progress != nullptr) context.run.progress->finish();
  item_gram_ = penalized_gram(item_factors_, dim, params_.regularization);
  index_items_by_norm();
}

void Als::load(BinaryReader& in) {
  load_factors(in);
  item_gram_ = penalized_gram(item_factors_, dim_, params_.regularization);
}

std::vector<float> Als::fold_in(std::span<const ItemIdx> items, std::span<const float> weights) const {
  const std::size_t dim = dim_;
  std::vector<float> a = item_gram_;
  std::vector<float> b(dim, 0.0f);
  const Transform transform = parse_transform(params_.transform);
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (weights[k] <= 0.0f) continue;
    const float* yi = item_factors_.data() + static_cast<std::size_t>(items[k]) * dim;
    const float c = 1.0f + params_.alpha * transform_weight(transform, weights[k]);
    for (std::size_t r = 0; r < dim; ++r) {
      linalg::axpy((c - 1.0f) * yi[r], yi, a.data() + r * dim, dim);
      b[r] += c * yi[r];
    }
  }
  if (!linalg::solve_spd(a.data(), b.data(), static_cast<std::int64_t>(dim))) b.assign(dim, 0.0f);
  return b;
}

}  // namespace aisle
