#include "aisle/models/mf/mf.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "aisle/core/text.h"
#include "aisle/linalg/blas.h"
#include "aisle/linalg/kernels.h"

namespace aisle {

const ParamSchema<MfParams>& MfParams::schema() {
  static const ParamSchema<MfParams> kSchema(
      "mf",
      {
          {"factors", &MfParams::factors, 1, 1024, true, {}, "latent factors"},
          {"learning_rate", &MfParams::learning_rate, 1e-5, 1, true, {}, "step size"},
          {"regularization", &MfParams::regularization, 1e-7, 10, true, {}, "L2 penalty on factors and biases"},
          {"epochs", &MfParams::epochs, 1, 1000, false, {}, "passes over the training pairs"},
          {"optimizer", &MfParams::optimizer, 0, 0, false, {"sgd", "adam"}, "update rule"},
          {"holdout",
           &MfParams::holdout,
           0,
           0.5,
           false,
           {},
           "fraction of pairs held out to report RMSE when no validation pairs are given"},
          {"target",
           &MfParams::target,
           0,
           0,
           false,
           {"auto", "raw", "log1p"},
           "what is fitted: raw weights (ratings), log1p (counts) or auto (log1p when a weight exceeds 100)"},
      },
      {{"factors", 4, 128},
       {"learning_rate", 1e-3, 0.1},
       {"regularization", 1e-3, 1},
       {"epochs", 5, 100},
       {"optimizer"}});
  return kSchema;
}

// Layout: user row [x_u, mean + b_u, 1], item row [y_i, 1, b_i], so a dot product is the rating.
Mf::Mf(MfParams p) : FactorModel(std::move(p)) {
  latent_ = static_cast<std::uint32_t>(params_.factors);
  dim_ = latent_ + 2;
  log_target_ = params_.target == "log1p";
}

namespace {

struct Rating {
  UserIdx user;
  ItemIdx item;
  float value;
};

// Adam state for one parameter vector row; first and second moments.
struct AdamRow {
  float* m;
  float* v;
};

}  // namespace

void Mf::fit(const TrainSet& data, const FitContext& context) {
  const Interactions& pairs = data.pairs;
  if (params_.target == "auto") {
    constexpr float kLargestRating = 100.0f;
    const bool counts =
        std::any_of(pairs.weight.begin(), pairs.weight.end(), [](float w) { return w > kLargestRating; });
    params_.target = counts ? "log1p" : "raw";
  }
  log_target_ = params_.target == "log1p";
  std::vector<Rating> train, held;
  std::mt19937_64 rng(context.run.seed);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  for (UserIdx u = 0; u < pairs.num_users; ++u) {
    for (std::uint64_t p = pairs.row_ptr[u]; p < pairs.row_ptr[u + 1]; ++p) {
      if (pairs.weight[p] <= 0.0f) continue;
      const Rating r{u, pairs.item[p], target(pairs.weight[p])};
      const bool hold = context.validation == nullptr && params_.holdout > 0 && coin(rng) < params_.holdout;
      (hold ? held : train).push_back(r);
    }
  }
  if (context.validation != nullptr) {
    const Interactions& v = *context.validation;
    for (UserIdx u = 0; u < v.num_users && u < pairs.num_users; ++u) {
      for (std::uint64_t p = v.row_ptr[u]; p < v.row_ptr[u + 1]; ++p) {
        if (v.weight[p] > 0.0f && v.item[p] < pairs.num_items) held.push_back({u, v.item[p], target(v.weight[p])});
      }
    }
  }
  double sum = 0;
  for (const Rating& r : train) sum += r.value;
  mean_ = train.empty() ? 0.0f : static_cast<float>(sum / static_cast<double>(train.size()));

  const std::size_t dim = dim_, k = latent_;
  user_factors_.assign(static_cast<std::size_t>(pairs.num_users) * dim, 0.0f);
  item_factors_.assign(static_cast<std::size_t>(pairs.num_items) * dim, 0.0f);
  fill_uniform(user_factors_, context.run.seed + 2, 0.1f);
  fill_uniform(item_factors_, context.run.seed + 3, 0.1f);
  for (UserIdx u = 0; u < pairs.num_users; ++u) {
    user_factors_[u * dim + k] = mean_;
    user_factors_[u * dim + k + 1] = 1.0f;
  }
  for (ItemIdx i = 0; i < pairs.num_items; ++i) {
    item_factors_[i * dim + k] = 1.0f;
    item_factors_[i * dim + k + 1] = 0.0f;
  }
  const bool adam = params_.optimizer == "adam";
  std::vector<float> um, uv, im, iv;  // Adam moments, laid out like the factors
  if (adam) {
    um.assign(user_factors_.size(), 0.0f), uv.assign(user_factors_.size(), 0.0f);
    im.assign(item_factors_.size(), 0.0f), iv.assign(item_factors_.size(), 0.0f);
  }
  const float lr = params_.learning_rate, reg = params_.regularization;
  constexpr float kBeta1 = 0.9f, kBeta2 = 0.999f, kEps = 1e-8f;
  // Updates the trainable entries of a row: latent columns and one bias column.
  float correct1 = 1.0f, correct2 = 1.0f;  // Adam's bias corrections 1 - beta^t, t = epoch
  const auto step = [&](float* w, const float* grad_source, float scale, std::size_t bias_col, float* m, float* v) {
    for (std::size_t f = 0; f <= k + 1; ++f) {
      if (f >= k && f != bias_col) continue;
      const float g = (f < k ? scale * grad_source[f] : scale) + reg * w[f];
      if (!adam) {
        w[f] -= lr * g;
        continue;
      }
      m[f] = kBeta1 * m[f] + (1 - kBeta1) * g;
      v[f] = kBeta2 * v[f] + (1 - kBeta2) * g * g;
      const float mh = m[f] / correct1;
      const float vh = v[f] / correct2;
      w[f] -= lr * mh / (std::sqrt(vh) + kEps);
    }
  };
  const auto rmse = [&](const std::vector<Rating>& rs) {  // after the epoch, for held-out pairs
    double se = 0;
    for (const Rating& r : rs) {
      const double e = predict(r.user, r.item) - r.value;
      se += e * e;
    }
    return rs.empty() ? std::nan("") : std::sqrt(se / static_cast<double>(rs.size()));
  };
  std::vector<float> xu(k);
  for (int epoch = 1; epoch <= params_.epochs; ++epoch) {
    std::shuffle(train.begin(), train.end(), rng);
    correct1 = 1.0f - std::pow(kBeta1, static_cast<float>(epoch));
    correct2 = 1.0f - std::pow(kBeta2, static_cast<float>(epoch));
    double squared_error = 0;  // of each pair just before its update: the epoch's training error
    for (const Rating& r : train) {
      float* x = user_factors_.data() + static_cast<std::size_t>(r.user) * dim;
      float* y = item_factors_.data() + static_cast<std::size_t>(r.item) * dim;
      const float err = linalg::dot(x, y, dim) - r.value;
      squared_error += static_cast<double>(err) * err;
      std::copy_n(x, k, xu.data());
      // The user's mean + b_u column: the mean is not trained, so the bias step is applied to it.
      x[k] -= mean_;
      step(x, y, err, k, adam ? um.data() + r.user * dim : nullptr, adam ? uv.data() + r.user * dim : nullptr);
      x[k] += mean_;
      step(y, xu.data(), err, k + 1, adam ? im.data() + r.item * dim : nullptr,
           adam ? iv.data() + r.item * dim : nullptr);
    }
    const double train_rmse =
        train.empty() ? std::nan("") : std::sqrt(squared_error / static_cast<double>(train.size()));
    const double held_rmse = rmse(held);
    context.end_step({.label = "mf epoch",
                      .step = epoch,
                      .last = params_.epochs,
                      .loss = train_rmse,
                      .validation = held_rmse,
                      .finite = train.empty() || std::isfinite(train_rmse),
                      .remedy = "lower learning_rate (now " + format_float(params_.learning_rate) + ")" +
                                (log_target_ ? std::string() : " or fit counts as target=log1p")});
    if (context.at_checkpoint(epoch, params_.epochs)) {
      index_items_by_norm();
      if (!context.checkpoint(epoch, *this)) break;
    }
  }
  if (context.run.progress != nullptr) context.run.progress->finish();
  index_items_by_norm();
}

float Mf::predict(UserIdx u, ItemIdx i) const {
  return linalg::dot(user_row(u), item_factors_.data() + static_cast<std::size_t>(i) * dim_, dim_);
}

std::vector<float> Mf::fold_in(std::span<const ItemIdx> items, std::span<const float> weights) const {
  // Unknowns z = [x (k), b_u]; item row a_i = [y_i, 1]; target r_i - mean - b_i.
  const std::size_t k = latent_, n = k + 1;
  std::vector<float> a(n * n, 0.0f), b(n, 0.0f), row(n);
  for (std::size_t d = 0; d < n; ++d) a[d * n + d] = params_.regularization;
  for (std::size_t h = 0; h < items.size(); ++h) {
    if (weights[h] <= 0.0f) continue;
    const float* y = item_factors_.data() + static_cast<std::size_t>(items[h]) * dim_;
    std::copy_n(y, k, row.data());
    row[k] = 1.0f;
    const float goal = target(weights[h]) - mean_ - y[k + 1];
    for (std::size_t r = 0; r < n; ++r) {
      linalg::axpy(row[r], row.data(), a.data() + r * n, n);
      b[r] += row[r] * goal;
    }
  }
  std::vector<float> user(dim_, 0.0f);
  const bool solved = linalg::solve_spd(a.data(), b.data(), static_cast<std::int64_t>(n));
  if (solved) std::copy_n(b.data(), k, user.data());
  user[k] = mean_ + (solved ? b[k] : 0.0f);
  user[k + 1] = 1.0f;
  return user;
}

void Mf::save(BinaryWriter& out) const {
  out.put<float>(mean_);
  save_factors(out);
}

void Mf::load(BinaryReader& in) {
  mean_ = in.get<float>("mean rating");
  load_factors(in);
}

}  // namespace aisle
