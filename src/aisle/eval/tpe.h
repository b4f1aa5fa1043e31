// Tree-structured Parzen estimator (Bergstra et al. 2011), univariate as in Optuna: after
// `startup` random trials, the finished trials are split into the best gamma share ("good") and
// the rest; per parameter, candidates are drawn from the good trials' Parzen density l(x) and
// the one with the largest l(x) / g(x) (g: the rest's density) is proposed.
//
// Parameters live in an internal space: log(value) for log-scale numbers, the value for others,
// the choice's index for choices. Each density is a mixture of Gaussians, one per observation
// (bandwidth: the larger distance to its neighbours, clipped) plus a flat-ish prior component,
// truncated to the search range; choices use smoothed counts.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "aisle/models/params.h"

namespace aisle {

// One searched parameter in the internal space.
struct SearchDimension {
  std::string name;
  ParamKind kind = ParamKind::kFloat;
  bool log_scale = false;
  double low = 0, high = 0;          // internal bounds (numbers)
  std::vector<std::string> choices;  // kChoice

  // The internal value of a spec value, and back ("64", "0.05", "log1p").
  double internal(const std::string& text) const;
  std::string text(double internal_value) const;
};

// The tuned parameters of a model's schema.
std::vector<SearchDimension> search_space(const std::vector<ParamInfo>& params);

struct Observation {
  std::vector<double> x;       // one internal value per dimension
  double score = 0;            // higher is better
  bool good_candidate = true;  // false for pruned or failed trials: they only count as bad
};

class TpeSampler {
 public:
  TpeSampler(std::vector<SearchDimension> space, std::uint64_t seed, int startup = 10, int candidates = 24);

  // The next point, given everything observed so far. Deterministic for a seed and history.
  std::vector<double> suggest(const std::vector<Observation>& history);

  const std::vector<SearchDimension>& space() const { return space_; }

 private:
  std::vector<double> random_point();

  std::vector<SearchDimension> space_;
  std::mt19937_64 rng_;
  int startup_, candidates_;
};

}  // namespace aisle
