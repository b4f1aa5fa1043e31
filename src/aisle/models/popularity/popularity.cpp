#include "aisle/models/popularity/popularity.h"

#include <algorithm>

namespace aisle {

const ParamSchema<PopularityParams>& PopularityParams::schema() {
  static const ParamSchema<PopularityParams> kSchema(
      "popularity",
      {
          {"by",
           &PopularityParams::by,
           0,
           0,
           false,
           {"weight", "users"},
           "what an item's popularity counts: the weight of its pairs, or its users"},
          {"window_days",
           &PopularityParams::window_days,
           0,
           36500,
           false,
           {},
           "count only pairs whose last event lies this many days before the newest (0: all)"},
      },
      {{"by"}, {"window_days", 0, 730}});
  return kSchema;
}

void Popularity::fit(const TrainSet& data, const FitContext&) {
  const Interactions& pairs = data.pairs;
  const Timestamp newest = reference_time(pairs.last_time);
  const auto window = static_cast<Timestamp>(static_cast<double>(params_.window_days) * 86400.0);
  const bool by_users = params_.by == "users";
  item_scores_.assign(pairs.num_items, 0.0f);
  for (std::size_t p = 0; p < pairs.num_pairs(); ++p) {
    if (pairs.weight[p] <= 0.0f) continue;
    if (window > 0 && pairs.last_time[p] < newest - window) continue;
    item_scores_[pairs.item[p]] += by_users ? 1.0f : pairs.weight[p];
  }
}

}  // namespace aisle
