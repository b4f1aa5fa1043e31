#include "aisle/models/factor_model.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "aisle/linalg/blas.h"
#include "aisle/linalg/kernels.h"

namespace aisle {

void FactorScorer::score_vectors(const float* users, std::size_t count, float* scores) const {
  linalg::gemm_abt(users, static_cast<std::int64_t>(count), item_factors_.data(), factor_items(), dim_, scores);
}

void FactorScorer::score_vectors_range(const float* users, std::size_t count, ItemIdx first, ItemIdx last,
                                       float* scores) const {
  linalg::gemm_abt(users, static_cast<std::int64_t>(count),
                   item_factors_.data() + static_cast<std::size_t>(first) * dim_, last - first, dim_, scores);
}

void FactorScorer::score_by_norm(const float* queries, std::size_t count, std::size_t first, std::size_t last,
                                 float* out) const {
  linalg::gemm_abt(queries, static_cast<std::int64_t>(count), sorted_factors_.data() + first * dim_,
                   static_cast<std::int64_t>(last - first), dim_, out);
}

void FactorScorer::index_items_by_norm() {
  const std::uint32_t n = factor_items();
  std::vector<float> norm(n);
  for (ItemIdx i = 0; i < n; ++i) {
    const float* v = item_factors_.data() + static_cast<std::size_t>(i) * dim_;
    norm[i] = std::sqrt(linalg::dot(v, v, dim_));
  }
  by_norm_.resize(n);
  std::iota(by_norm_.begin(), by_norm_.end(), ItemIdx{0});
  std::stable_sort(by_norm_.begin(), by_norm_.end(), [&](ItemIdx a, ItemIdx b) { return norm[a] > norm[b]; });
  sorted_norms_.resize(n);
  sorted_factors_.resize(item_factors_.size());
  for (std::size_t p = 0; p < n; ++p) {
    sorted_norms_[p] = norm[by_norm_[p]];
    std::copy_n(item_factors_.data() + static_cast<std::size_t>(by_norm_[p]) * dim_, dim_,
                sorted_factors_.data() + p * dim_);
  }
}

void FactorScorer::similar_scores(ItemIdx item, std::span<float> scores) const {
  const float* v = item_factors_.data() + static_cast<std::size_t>(item) * dim_;
  const float vn = std::sqrt(linalg::dot(v, v, latent_));
  for (ItemIdx j = 0; j < factor_items(); ++j) {
    const float* w = item_factors_.data() + static_cast<std::size_t>(j) * dim_;
    const float wn = std::sqrt(linalg::dot(w, w, latent_));
    scores[j] = vn > 0 && wn > 0 ? linalg::dot(v, w, latent_) / (vn * wn) : 0.0f;
  }
}

void FactorScorer::explain(const UserQuery& query, ItemIdx item, std::size_t n, std::vector<Scored>& out) const {
  out.clear();
  const float* target = item_factors_.data() + static_cast<std::size_t>(item) * dim_;
  for (std::size_t h = 0; h < query.items.size(); ++h) {
    const float* v = item_factors_.data() + static_cast<std::size_t>(query.items[h]) * dim_;
    out.push_back({query.items[h], query.weights[h] * linalg::dot(v, target, latent_)});
  }
  keep_top_contributions(out, n);
}

void FactorScorer::save_factors(BinaryWriter& out) const {
  out.put<std::uint32_t>(dim_);
  out.put<std::uint32_t>(latent_);
  out.put_vector(user_factors_);
  out.put_vector(item_factors_);
}

void FactorScorer::load_factors(BinaryReader& in) {
  const auto dim = in.get<std::uint32_t>("factor dimension");
  const auto latent = in.get<std::uint32_t>("latent dimension");
  if (dim != dim_ || latent != latent_) in.fail("factor dimension", "does not match the model's parameters");
  user_factors_ = in.get_vector<float>("user factors");
  item_factors_ = in.get_vector<float>("item factors");
  if (user_factors_.size() % dim_ != 0 || item_factors_.size() % dim_ != 0) {
    in.fail("factors", "sizes are not a multiple of the dimension");
  }
  index_items_by_norm();
}

void fill_uniform(std::vector<float>& v, std::uint64_t seed, float scale) {
  std::mt19937_64 rng(seed);
  for (float& x : v) {
    const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;  // [0, 1)
    x = static_cast<float>((2.0 * u - 1.0) * scale);
  }
}

}  // namespace aisle
