#include "aisle/models/als/als.h"

#include <cmath>
#include <limits>

#include "aisle/core/huge_pages.h"
#include "aisle/core/text.h"
#include "aisle/data/sparse_matrix.h"
#include "aisle/linalg/blas.h"
#include "aisle/linalg/kernels.h"
#include "aisle/models/als/als_solver.h"
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

// YtY + regularization * I
std::vector<float> penalized_gram(const std::vector<float>& y, std::size_t dim, float regularization) {
  std::vector<float> g = als::gram(y, dim);
  als::add_to_diagonal(g, dim, regularization);
  return g;
}

als::SparseRows rows_of(const std::vector<std::uint64_t>& indptr, const std::vector<std::uint32_t>& indices,
                        const std::vector<float>& values, std::size_t rows) {
  return {indptr.data(), indices.data(), values.data(), rows};
}

}  // namespace

void Als::fit(const TrainSet& data, const FitContext& context) {
  const CsrMatrix c = confidence_matrix(data.pairs, parse_transform(params_.transform));
  const CscMatrix ct = to_csc(c);
  const std::size_t dim = dim_;
  // Every half-step reads the other side's factors at random: huge pages keep those reads out of
  // the TLB's misses.
  user_factors_.clear();
  item_factors_.clear();
  resize_on_huge_pages(user_factors_, static_cast<std::size_t>(c.rows) * dim);
  resize_on_huge_pages(item_factors_, static_cast<std::size_t>(c.cols) * dim);
  fill_uniform(user_factors_, context.run.seed, 0.01f);
  fill_uniform(item_factors_, context.run.seed + 1, 0.01f);
  const als::SolveSettings settings{dim, params_.alpha, params_.cg_steps};
  const als::SparseRows users = rows_of(c.indptr, c.indices, c.values, c.rows);
  const als::SparseRows items = rows_of(ct.indptr, ct.indices, ct.values, ct.cols);
  for (int it = 1; it <= params_.iterations; ++it) {
    als::solve_rows(items, user_factors_, penalized_gram(user_factors_, dim, params_.regularization), settings,
                    context.run, item_factors_);
    als::solve_rows(users, item_factors_, penalized_gram(item_factors_, dim, params_.regularization), settings,
                    context.run, user_factors_);
    // The objective costs about a CG step: it is computed only for a caller that keeps the
    // per-step log (aisle train --loss), never for a progress bar alone.
    const double loss = context.log != nullptr ? als::objective(users, c.cols, user_factors_, item_factors_, settings,
                                                                params_.regularization, context.run)
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
