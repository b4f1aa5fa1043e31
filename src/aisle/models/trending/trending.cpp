#include "aisle/models/trending/trending.h"

#include <algorithm>
#include <cmath>

namespace aisle {

const ParamSchema<TrendingParams>& TrendingParams::schema() {
  static const ParamSchema<TrendingParams> kSchema("trending",
                                                   {
                                                       {"half_life_days",
                                                        &TrendingParams::half_life_days,
                                                        0.01,
                                                        3650,
                                                        true,
                                                        {},
                                                        "days after which an interaction counts half"},
                                                   },
                                                   {{"half_life_days", 0.5, 365}});
  return kSchema;
}

void Trending::fit(const TrainSet& data, const FitContext&) {
  const Interactions& pairs = data.pairs;
  const Timestamp newest = reference_time(pairs.last_time);
  const double half_life = static_cast<double>(params_.half_life_days) * 86400.0;
  // Sum in double: decayed weights span many orders of magnitude.
  std::vector<double> sum(pairs.num_items, 0.0);
  for (std::size_t p = 0; p < pairs.num_pairs(); ++p) {
    if (pairs.weight[p] <= 0.0f) continue;
    // An outlier past the reference time counts as now, not as ever more recent.
    const double age = static_cast<double>(std::max<Timestamp>(0, newest - pairs.last_time[p]));
    sum[pairs.item[p]] += static_cast<double>(pairs.weight[p]) * std::exp2(-age / half_life);
  }
  item_scores_.assign(sum.begin(), sum.end());
}

}  // namespace aisle
