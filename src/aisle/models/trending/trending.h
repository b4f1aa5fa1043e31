// trending: popularity with exponential time decay. A pair of weight w whose last event is
// `age` seconds before the reference time (the newest training event, outliers left out: see
// reference_time in data/interactions.h) counts w * 2^(-age / half_life); a later one counts w.
#pragma once

#include "aisle/models/item_score_model.h"
#include "aisle/models/params.h"

namespace aisle {

struct TrendingParams {
  float half_life_days = 7;
  static const ParamSchema<TrendingParams>& schema();
};

class Trending final : public ItemScoreModel<TrendingParams> {
 public:
  using ItemScoreModel::ItemScoreModel;
  std::string_view kind() const override { return "trending"; }
  void fit(const TrainSet& data, const FitContext& context) override;
};

}  // namespace aisle
