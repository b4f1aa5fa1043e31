// popularity: the same list for everyone, items by their total training weight (or by their
// number of users), optionally counting only pairs whose last event is within a time window
// before the reference time (the newest training event, outliers left out: reference_time).
#pragma once

#include "aisle/models/item_score_model.h"
#include "aisle/models/params.h"

namespace aisle {

struct PopularityParams {
  std::string by = "weight";  // weight | users
  float window_days = 0;      // 0: all time
  static const ParamSchema<PopularityParams>& schema();
};

class Popularity final : public ItemScoreModel<PopularityParams> {
 public:
  using ItemScoreModel::ItemScoreModel;
  std::string_view kind() const override { return "popularity"; }
  void fit(const TrainSet& data, const FitContext& context) override;
};

}  // namespace aisle
