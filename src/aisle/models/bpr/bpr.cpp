#include "aisle/models/bpr/bpr.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>

#include "aisle/core/parallel.h"
#include "aisle/core/text.h"
#include "aisle/data/sparse_matrix.h"
#include "aisle/linalg/kernels.h"

namespace aisle {

const ParamSchema<BprParams>& BprParams::schema() {
  static const ParamSchema<BprParams> kSchema(
      "bpr",
      {
          {"factors", &BprParams::factors, 1, 1024, true, {}, "latent factors"},
          {"learning_rate", &BprParams::learning_rate, 1e-5, 1, true, {}, "SGD step size"},
          {"regularization", &BprParams::regularization, 1e-7, 1, true, {}, "L2 penalty per update"},
          {"epochs", &BprParams::epochs, 1, 5000, false, {}, "passes over the training pairs"},
      },
      {{"factors", 16, 256}, {"learning_rate", 1e-3, 0.3}, {"regularization", 1e-5, 0.1}, {"epochs", 20, 300}});
  return kSchema;
}

Bpr::Bpr(BprParams p) : FactorModel(std::move(p)) {
  latent_ = static_cast<std::uint32_t>(params_.factors);
  dim_ = latent_ + 1;
}

namespace {

// A uniform draw from [0, n) without a division (Lemire's multiply-shift).
inline std::uint64_t below(std::mt19937_64& rng, std::uint64_t n) {
  __extension__ using Uint128 = unsigned __int128;
  return static_cast<std::uint64_t>((static_cast<Uint128>(rng()) * n) >> 64);
}

struct SgdStats {
  double log_likelihood = 0;
  std::uint64_t samples = 0;
};

// One (u, i, j) update; the bias column of u is 1 and stays 1. Returns sigmoid(-x), x being
// the score difference of i over j.
inline float bpr_update(float* u, float* i, float* j, std::size_t latent, float lr, float reg) {
  const float x = linalg::dot(u, i, latent + 1) - linalg::dot(u, j, latent + 1);
  const float z = 1.0f / (1.0f + std::exp(x));  // sigmoid(-x)
  for (std::size_t f = 0; f < latent; ++f) {
    const float uf = u[f], itf = i[f], jf = j[f];
    u[f] += lr * (z * (itf - jf) - reg * uf);
    i[f] += lr * (z * uf - reg * itf);
    j[f] += lr * (-z * uf - reg * jf);
  }
  i[latent] += lr * (z - reg * i[latent]);
  j[latent] += lr * (-z - reg * j[latent]);
  return z;
}

// Whether item j is among user u's training items. Users with many items (32 per item of the
// catalog or more) get a bitmap, so a heavy user costs one load instead of a long binary search;
// the bitmaps take at most as many bytes as those users' rows.
class SeenItems {
 public:
  explicit SeenItems(const CsrMatrix& m) : m_(m), words_((m.cols + 63) / 64), bitmap_of_(m.rows, kNoIndex) {
    for (UserIdx u = 0; u < m.rows; ++u) {
      const auto row = m.row_indices(u);
      if (row.size() * 32 < m.cols) continue;
      bitmap_of_[u] = static_cast<std::uint32_t>(bits_.size() / words_);
      bits_.resize(bits_.size() + words_, 0);
      std::uint64_t* b = bits_.data() + static_cast<std::size_t>(bitmap_of_[u]) * words_;
      for (ItemIdx i : row) b[i / 64] |= std::uint64_t{1} << (i % 64);
    }
  }
  // Requests what contains(u, j) will read: the bitmap word, or the first 64 items of the row.
  void prefetch(UserIdx u, ItemIdx j) const {
    if (bitmap_of_[u] != kNoIndex) {
      __builtin_prefetch(&bits_[static_cast<std::size_t>(bitmap_of_[u]) * words_ + j / 64]);
      return;
    }
    const std::uint32_t* row = m_.indices.data() + m_.indptr[u];
    const std::uint64_t n = std::min<std::uint64_t>(m_.indptr[u + 1] - m_.indptr[u], 64);
    for (std::uint64_t k = 0; k < n; k += 16) __builtin_prefetch(row + k);
  }
  bool contains(UserIdx u, ItemIdx j) const {
    if (bitmap_of_[u] != kNoIndex) {
      return (bits_[static_cast<std::size_t>(bitmap_of_[u]) * words_ + j / 64] >> (j % 64)) & 1u;
    }
    const auto row = m_.row_indices(u);
    return std::binary_search(row.begin(), row.end(), j);
  }

 private:
  const CsrMatrix& m_;
  std::size_t words_;
  std::vector<std::uint32_t> bitmap_of_;  // per user: bitmap number, or kNoIndex
  std::vector<std::uint64_t> bits_;
};

// One epoch's updates for the users [first_user, last_user): every pair of theirs once, user by
// user in an order shuffled with `rng`, each user's pairs from a random place in their row on
// (cyclically), each with a negative drawn uniformly among the items the user has not seen.
// Returns the sum of log sigmoid(x) when `loss` (a log1p per update: only for a caller that keeps
// the per-step log).
// Why user by user: drawing pairs at random made every update miss the cache on the user's row and
// on the seen-item check, which was most of an epoch (docs/PERFORMANCE.md); a user's consecutive
// updates find both in cache. Reads are pipelined: the rows of the update kAhead ahead are
// requested, so that the memory reads of several updates overlap. The draws from `rng` are in a
// fixed order, so one thread gives the same result every run.
AISLE_HOT_LOOP
SgdStats run_users(UserIdx first_user, UserIdx last_user, std::mt19937_64& rng, const CsrMatrix& m,
                   const SeenItems& seen, float* users, float* items, std::size_t dim, float lr, float reg, bool loss) {
  constexpr std::uint64_t kAhead = 8;
  struct Draw {
    UserIdx user;
    ItemIdx positive, negative;
  };
  std::array<Draw, kAhead> ring{};
  std::vector<UserIdx> order;
  for (UserIdx u = first_user; u < last_user; ++u) {
    const std::uint64_t n = m.indptr[u + 1] - m.indptr[u];
    if (n > 0 && n < m.cols) order.push_back(u);  // a user who saw every item has no negative
  }
  // Fisher-Yates with our own index draw: std::shuffle's algorithm differs between libraries.
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[below(rng, i)]);
  // The cursor of the next update to draw: order[next_user], its k-th pair from `offset`.
  std::size_t next_user = 0;
  std::uint64_t k = 0, offset = 0;
  if (!order.empty()) offset = below(rng, m.indptr[order[0] + 1] - m.indptr[order[0]]);
  const auto draw = [&](Draw& d) {
    const UserIdx u = order[next_user];
    const std::uint64_t begin = m.indptr[u], n = m.indptr[u + 1] - begin;
    d.user = u;
    d.positive = m.indices[begin + (offset + k) % n];
    d.negative = static_cast<ItemIdx>(below(rng, m.cols));
    seen.prefetch(d.user, d.negative);
    linalg::prefetch(users + static_cast<std::size_t>(d.user) * dim, dim);
    linalg::prefetch(items + static_cast<std::size_t>(d.positive) * dim, dim);
    linalg::prefetch(items + static_cast<std::size_t>(d.negative) * dim, dim);
    if (++k == n) {
      k = 0;
      if (++next_user < order.size()) offset = below(rng, m.indptr[order[next_user] + 1] - m.indptr[order[next_user]]);
    }
  };
  std::uint64_t samples = 0;
  for (UserIdx u : order) samples += m.indptr[u + 1] - m.indptr[u];
  for (std::uint64_t s = 0; s < std::min(kAhead, samples); ++s) draw(ring[s]);

  SgdStats st;
  const std::size_t latent = dim - 1;
  for (std::uint64_t s = 0; s < samples; ++s) {
    const Draw d = ring[s % kAhead];
    if (s + kAhead < samples) draw(ring[s % kAhead]);
    ItemIdx j = d.negative;
    while (seen.contains(d.user, j)) j = static_cast<ItemIdx>(below(rng, m.cols));
    const float z =
        bpr_update(users + static_cast<std::size_t>(d.user) * dim, items + static_cast<std::size_t>(d.positive) * dim,
                   items + static_cast<std::size_t>(j) * dim, latent, lr, reg);
    if (loss) st.log_likelihood += std::log1p(-z);  // log sigmoid(x) = log(1 - sigmoid(-x))
    ++st.samples;
  }
  return st;
}

}  // namespace

void Bpr::fit(const TrainSet& data, const FitContext& context) {
  const int threads = context.run.threads();
  const CsrMatrix m = confidence_matrix(data.pairs, Transform::kNone);
  const std::size_t dim = dim_;
  user_factors_.assign(static_cast<std::size_t>(m.rows) * dim, 0.0f);
  item_factors_.assign(static_cast<std::size_t>(m.cols) * dim, 0.0f);
  fill_uniform(user_factors_, context.run.seed, 0.5f / static_cast<float>(latent_));
  fill_uniform(item_factors_, context.run.seed + 1, 0.5f / static_cast<float>(latent_));
  for (UserIdx u = 0; u < m.rows; ++u) user_factors_[u * dim + latent_] = 1.0f;
  for (ItemIdx i = 0; i < m.cols; ++i) item_factors_[i * dim + latent_] = 0.0f;
  if (m.nnz() == 0) {
    index_items_by_norm();
    return;
  }

  const SeenItems seen(m);
  std::vector<std::mt19937_64> rngs;
  for (int t = 0; t < threads; ++t) rngs.emplace_back(context.run.seed * 1000003u + static_cast<std::uint64_t>(t));
  // Each thread updates its own users (ranges of about equal pairs), so no two threads write one
  // user's row; item rows are shared (Hogwild).
  std::vector<UserIdx> bounds{0};
  for (int t = 1; t < threads; ++t) {
    const std::uint64_t target = m.nnz() * static_cast<std::uint64_t>(t) / static_cast<std::uint64_t>(threads);
    bounds.push_back(
        static_cast<UserIdx>(std::lower_bound(m.indptr.begin(), m.indptr.end(), target) - m.indptr.begin()));
  }
  bounds.push_back(m.rows);
  std::vector<SgdStats> stats(static_cast<std::size_t>(threads));
  // The loss costs a log1p per sample: computed only for a caller that keeps the per-step log
  // (aisle train --loss); otherwise a diverged fit shows in the factors.
  const bool with_loss = context.log != nullptr;
  for (int epoch = 1; epoch <= params_.epochs; ++epoch) {
    parallel_for(context.run, static_cast<std::size_t>(threads), 1, [&](std::size_t begin, std::size_t end, int) {
      for (std::size_t t = begin; t < end; ++t) {
        stats[t] = run_users(bounds[t], bounds[t + 1], rngs[t], m, seen, user_factors_.data(), item_factors_.data(),
                             dim, params_.learning_rate, params_.regularization, with_loss);
      }
    });
    double loss = std::nan("");
    if (with_loss) {
      double ll = 0;
      std::uint64_t n = 0;
      for (const SgdStats& s : stats) ll += s.log_likelihood, n += s.samples;
      loss = n > 0 ? -ll / static_cast<double>(n) : 0.0;
    }
    context.end_step({.label = "bpr epoch",
                      .step = epoch,
                      .last = params_.epochs,
                      .loss = loss,
                      .finite = with_loss ? std::isfinite(loss)
                                          : linalg::all_finite(user_factors_) && linalg::all_finite(item_factors_),
                      .remedy = "lower learning_rate (now " + format_float(params_.learning_rate) + ")"});
    if (context.at_checkpoint(epoch, params_.epochs)) {
      index_items_by_norm();
      if (!context.checkpoint(epoch, *this)) break;
    }
  }
  if (context.run.progress != nullptr) context.run.progress->finish();
  index_items_by_norm();
}

std::vector<float> Bpr::fold_in(std::span<const ItemIdx> items, std::span<const float> weights) const {
  const std::size_t dim = dim_;
  std::vector<float> u(dim, 0.0f);
  u[latent_] = 1.0f;
  std::vector<ItemIdx> positives;
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (weights[k] > 0.0f) positives.push_back(items[k]);
  }
  std::sort(positives.begin(), positives.end());
  positives.erase(std::unique(positives.begin(), positives.end()), positives.end());
  const std::uint32_t n = factor_items();
  if (positives.empty() || positives.size() >= n) return u;
  std::uint64_t seed = 1469598103934665603ull;
  for (ItemIdx i : positives) seed = (seed ^ i) * 1099511628211ull;
  std::mt19937_64 rng(seed);
  // The item side stays fixed: updates go to copies of the two item rows.
  std::vector<float> yi(dim), yj(dim);
  const std::size_t samples = std::max<std::size_t>(200, 50 * positives.size());
  for (std::size_t s = 0; s < samples; ++s) {
    const ItemIdx i = positives[rng() % positives.size()];
    ItemIdx j = 0;
    do {
      j = static_cast<ItemIdx>(rng() % n);
    } while (std::binary_search(positives.begin(), positives.end(), j));
    std::copy_n(item_factors_.data() + static_cast<std::size_t>(i) * dim, dim, yi.data());
    std::copy_n(item_factors_.data() + static_cast<std::size_t>(j) * dim, dim, yj.data());
    bpr_update(u.data(), yi.data(), yj.data(), latent_, params_.learning_rate, params_.regularization);
  }
  return u;
}

}  // namespace aisle
