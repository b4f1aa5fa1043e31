#include "aisle/models/item_score_model.h"

namespace aisle {

std::vector<float> popularity_prior(const Interactions& pairs, float scale) {
  std::vector<float> prior(pairs.num_items, 0.0f);
  for (std::size_t p = 0; p < pairs.num_pairs(); ++p) {
    if (pairs.weight[p] > 0.0f) prior[pairs.item[p]] += 1.0f;
  }
  const float top = prior.empty() ? 0.0f : *std::max_element(prior.begin(), prior.end());
  if (top > 0.0f) {
    for (float& v : prior) v = v / top * scale;
  }
  return prior;
}

}  // namespace aisle
