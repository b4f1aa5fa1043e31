#include "aisle/models/als/als.h"

#include <cmath>
#include <limits>

#include "aisle/core/error.h"
#include "aisle/core/huge_pages.h"
#include "aisle/core/text.h"
#include "aisle/data/sparse_matrix.h"
#include "aisle/dist/communicator.h"
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
std::vector<float> penalized_gram(std::span<const float> y, std::size_t dim, float regularization,
                                  dist::Communicator& comm, const RunContext& run) {
  std::vector<float> g = als::gram(y, dim, comm, run);
  als::add_to_diagonal(g, dim, regularization);
  return g;
}

als::SparseRows rows_of(const std::vector<std::uint64_t>& indptr, const std::vector<std::uint32_t>& indices,
                        const std::vector<float>& values, std::size_t rows) {
  return {indptr.data(), indices.data(), values.data(), rows};
}

// The confidence rows of a part (data/pair_parts.h) as confidence_matrix makes them: pairs of
// weight <= 0 left out, `transform` applied to the others.
struct ConfidenceRows {
  std::vector<std::uint64_t> indptr{0};
  std::vector<std::uint32_t> indices;
  std::vector<float> values;
  ConfidenceRows(const RowPart& part, Transform transform) {
    indptr.reserve(part.rows() + 1);
    for (std::size_t r = 0; r < part.rows(); ++r) {
      for (std::uint64_t k = part.row_ptr[r]; k < part.row_ptr[r + 1]; ++k) {
        if (part.weight[k] <= 0.0f) continue;
        indices.push_back(part.col[k]);
        values.push_back(transform_weight(transform, part.weight[k]));
      }
      indptr.push_back(indices.size());
    }
  }
  als::SparseRows rows() const { return rows_of(indptr, indices, values, indptr.size() - 1); }
};

}  // namespace

// One side of the fit as this rank sees it: the rows it solves, and which rows every rank solves.
struct Als::Side {
  als::SparseRows mine;             // rows [bounds[rank], bounds[rank + 1])
  std::vector<std::size_t> bounds;  // ranks + 1 entries
};

namespace {

// Solves this rank's rows of `side` against `fixed`, then gathers every rank's rows into `solved`.
template <class Side>
void half_step(const Side& side, std::span<const float> fixed, const als::SolveSettings& settings, float regularization,
               dist::Communicator& comm, const RunContext& run, std::vector<float>& solved) {
  const std::size_t dim = settings.dim;
  const std::vector<float> gram = penalized_gram(fixed, dim, regularization, comm, run);
  const auto me = static_cast<std::size_t>(comm.rank());
  const std::size_t begin = side.bounds[me], end = side.bounds[me + 1];
  const std::span<float> mine = std::span<float>(solved).subspan(begin * dim, (end - begin) * dim);
  als::solve_rows(side.mine, fixed, gram, settings, run, mine);
  if (comm.size() == 1) return;
  const std::vector<float> part(mine.begin(), mine.end());  // a gather may not read what it writes
  std::vector<std::size_t> counts(side.bounds.size() - 1);
  for (std::size_t r = 0; r < counts.size(); ++r) counts[r] = (side.bounds[r + 1] - side.bounds[r]) * dim;
  comm.all_gather(part, counts, solved);
}

dist::Communicator& communicator_of(const FitContext& context, std::unique_ptr<dist::Communicator>& alone) {
  if (context.communicator != nullptr) return *context.communicator;
  alone = dist::single_process();
  return *alone;
}

}  // namespace

void Als::fit(const TrainSet& data, const FitContext& context) {
  std::unique_ptr<dist::Communicator> alone;
  dist::Communicator& comm = communicator_of(context, alone);
  const CsrMatrix c = confidence_matrix(data.pairs, parse_transform(params_.transform));
  const CscMatrix ct = to_csc(c);
  const als::SparseRows user_rows = rows_of(c.indptr, c.indices, c.values, c.rows);
  const als::SparseRows item_rows = rows_of(ct.indptr, ct.indices, ct.values, ct.cols);
  const auto me = static_cast<std::size_t>(comm.rank());
  const auto side = [&](const als::SparseRows& rows) {
    Side s{{}, als::split_rows(rows, dim_, comm.size())};
    s.mine = als::slice(rows, s.bounds[me], s.bounds[me + 1]);
    return s;
  };
  fit_sides(side(user_rows), side(item_rows), c.rows, c.cols, comm, context);
}

void Als::fit_parts(const PairParts& parts, const FitContext& context) {
  std::unique_ptr<dist::Communicator> alone;
  dist::Communicator& comm = communicator_of(context, alone);
  const auto ranks = static_cast<std::size_t>(comm.size()), me = static_cast<std::size_t>(comm.rank());
  AISLE_CHECK(parts.user_bounds.size() == ranks + 1 && parts.item_bounds.size() == ranks + 1);
  AISLE_CHECK(parts.users.first == parts.user_bounds[me] && parts.items.first == parts.item_bounds[me]);
  AISLE_CHECK(parts.users.rows() == parts.user_bounds[me + 1] - parts.user_bounds[me]);
  AISLE_CHECK(parts.items.rows() == parts.item_bounds[me + 1] - parts.item_bounds[me]);
  const Transform transform = parse_transform(params_.transform);
  const ConfidenceRows user_rows(parts.users, transform), item_rows(parts.items, transform);
  const Side users{user_rows.rows(), {parts.user_bounds.begin(), parts.user_bounds.end()}};
  const Side items{item_rows.rows(), {parts.item_bounds.begin(), parts.item_bounds.end()}};
  fit_sides(users, items, parts.num_users, parts.num_items, comm, context);
}

void Als::fit_sides(const Side& users, const Side& items, std::size_t num_users, std::size_t num_items,
                    dist::Communicator& comm, const FitContext& context) {
  const std::size_t dim = dim_;
  // Every half-step reads the other side's factors at random: huge pages keep those reads out of
  // the TLB's misses.
  user_factors_.clear();
  item_factors_.clear();
  resize_on_huge_pages(user_factors_, num_users * dim);
  resize_on_huge_pages(item_factors_, num_items * dim);
  // Every rank draws the same initial factors from the same seed.
  fill_uniform(user_factors_, context.run.seed, 0.01f);
  fill_uniform(item_factors_, context.run.seed + 1, 0.01f);
  const als::SolveSettings settings{dim, params_.alpha, params_.cg_steps};
  const float reg = params_.regularization;
  const auto me = static_cast<std::size_t>(comm.rank());
  for (int it = 1; it <= params_.iterations; ++it) {
    half_step(items, user_factors_, settings, reg, comm, context.run, item_factors_);
    half_step(users, item_factors_, settings, reg, comm, context.run, user_factors_);
    // The objective costs about a CG step: it is computed only for a caller that keeps the
    // per-step log (aisle train --loss), never for a progress bar alone. Each rank sums its
    // users' terms; the sums are added in rank order.
    double loss = std::nan("");
    if (context.log != nullptr) {
      const std::span<const float> mine =
          std::span<const float>(user_factors_).subspan(users.bounds[me] * dim, users.mine.rows * dim);
      double sum = als::objective_users(users.mine, mine, item_factors_, settings, reg, context.run);
      if (comm.size() > 1) dist::all_reduce_sum(comm, std::span<double>(&sum, 1));
      loss = als::objective_from(sum, num_users, num_items, item_factors_, reg);
    }
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
      item_gram_ = penalized_gram(item_factors_, dim, reg, comm, context.run);
      index_items_by_norm();
      if (!context.checkpoint(it, *this)) break;
    }
  }
  if (context.run.progress != nullptr) context.run.progress->finish();
  item_gram_ = penalized_gram(item_factors_, dim, reg, comm, context.run);
  index_items_by_norm();
}

void Als::load(BinaryReader& in) {
  load_factors(in);
  const RunContext one_thread(1);
  item_gram_ = als::gram(item_factors_, dim_, one_thread);
  als::add_to_diagonal(item_gram_, dim_, params_.regularization);
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
