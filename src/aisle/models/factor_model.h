// The base of factor models (als, bpr, mf): a score is the dot product of a user vector and an
// item vector. Factors are row-major float, one row of `dim` floats per user or item; the first
// `latent` columns are the latent factors, any further columns carry biases (so that one matrix
// product scores a block of users). Batch scoring is one GEMM per block of queries.
// Item similarity is the cosine of the latent parts. Explanations (Explainer) weigh each history
// item's latent factors by its history weight: weight_j x dot(y_j, y_item), an approximation of
// what the user vector (a solve or a fit) makes of the history.
#pragma once

#include <vector>

#include "aisle/models/recommender.h"

namespace aisle {

class FactorScorer : public ItemEmbeddings, public SimilarItems, public NormBoundedScorer, public Explainer {
 public:
  std::size_t query_dim() const override { return dim_; }
  std::span<const ItemIdx> items_by_norm() const override { return by_norm_; }
  std::span<const float> sorted_item_norms() const override { return sorted_norms_; }
  void score_by_norm(const float* queries, std::size_t count, std::size_t first, std::size_t last,
                     float* out) const override;
  std::uint32_t embedding_dim() const override { return latent_; }
  std::span<const float> item_embedding(ItemIdx item) const override {
    return {item_factors_.data() + static_cast<std::size_t>(item) * dim_, latent_};
  }
  void similar_scores(ItemIdx item, std::span<float> scores) const override;
  void explain(const UserQuery& query, ItemIdx item, std::size_t n, std::vector<Scored>& out) const override;

  std::span<const float> user_factors() const { return user_factors_; }
  std::span<const float> item_factors() const { return item_factors_; }
  std::uint32_t dim() const { return dim_; }

 protected:
  // Scores `count` user vectors (row-major, count x dim) against every item.
  void score_vectors(const float* users, std::size_t count, float* scores) const;
  // The same for items [first, last): count x (last - first) scores.
  void score_vectors_range(const float* users, std::size_t count, ItemIdx first, ItemIdx last, float* scores) const;
  void save_factors(BinaryWriter& out) const;
  // Checks the shapes against dim; `what` names the model in errors.
  void load_factors(BinaryReader& in);
  std::uint32_t factor_items() const { return dim_ == 0 ? 0 : static_cast<std::uint32_t>(item_factors_.size() / dim_); }
  std::uint32_t factor_users() const { return dim_ == 0 ? 0 : static_cast<std::uint32_t>(user_factors_.size() / dim_); }
  const float* user_row(UserIdx u) const { return user_factors_.data() + static_cast<std::size_t>(u) * dim_; }

  // Builds the norm-ordered copy of the item factors; every fit and load_factors ends with it.
  void index_items_by_norm();

  std::uint32_t dim_ = 0, latent_ = 0;
  std::vector<float> user_factors_, item_factors_;
  std::vector<ItemIdx> by_norm_;       // items by decreasing norm of their full factor row
  std::vector<float> sorted_norms_;    // their norms
  std::vector<float> sorted_factors_;  // their rows, in that order
};

// Deterministic uniform floats in [-scale, scale) from a seed, the same on every platform.
void fill_uniform(std::vector<float>& v, std::uint64_t seed, float scale);

// A model whose queries are scored through user vectors: the trained vector of a known user
// with nothing added, otherwise the vector the model folds in from the query's history.
template <class P>
class FactorModel : public ParameterizedModel<P>, public FactorScorer, public FoldIn, public ItemRangeScorer {
 public:
  using ParameterizedModel<P>::ParameterizedModel;

  std::uint32_t num_items() const override { return factor_items(); }

  void score(std::span<const UserQuery> queries, std::span<float> scores) const override {
    std::vector<float> users(queries.size() * dim_);
    for (std::size_t q = 0; q < queries.size(); ++q) user_vector(queries[q], users.data() + q * dim_);
    score_vectors(users.data(), queries.size(), scores.data());
  }
  void score_one(const UserQuery& query, std::span<float> scores) const override {
    score(std::span<const UserQuery>(&query, 1), scores);
  }
  void prepare(std::span<const UserQuery> queries, std::vector<float>& state) const override {
    state.resize(queries.size() * dim_);
    for (std::size_t q = 0; q < queries.size(); ++q) user_vector(queries[q], state.data() + q * dim_);
  }
  void score_range(const std::vector<float>& state, std::size_t count, ItemIdx first, ItemIdx last,
                   float* out) const override {
    score_vectors_range(state.data(), count, first, last, out);
  }
  void save(BinaryWriter& out) const override { save_factors(out); }
  void load(BinaryReader& in) override { load_factors(in); }

 protected:
  void user_vector(const UserQuery& q, float* out) const {
    if (q.only_training_history && q.user < factor_users()) {
      std::copy(user_row(q.user), user_row(q.user) + dim_, out);
      return;
    }
    const std::vector<float> v = fold_in(q.items, q.weights);
    std::copy(v.begin(), v.end(), out);
  }
};

}  // namespace aisle
