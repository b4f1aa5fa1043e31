#include "aisle/models/transform.h"

#include <algorithm>
#include <functional>

#include "aisle/core/error.h"

namespace aisle {

Transform parse_transform(std::string_view name) {
  for (Transform t : {Transform::kNone, Transform::kLog1p, Transform::kBm25, Transform::kTfidf}) {
    if (name == transform_name(t)) return t;
  }
  AISLE_CHECK_MSG(false, "unknown transform " + std::string(name));
}

void recency_weights(std::span<const Timestamp> times, float half_life, std::vector<float>& out) {
  out.assign(times.size(), 1.0f);
  if (half_life <= 0 || times.empty()) return;
  std::vector<Timestamp> distinct(times.begin(), times.end());
  std::sort(distinct.begin(), distinct.end(), std::greater<>());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  for (std::size_t h = 0; h < times.size(); ++h) {
    const auto r = std::lower_bound(distinct.begin(), distinct.end(), times[h], std::greater<>()) - distinct.begin();
    out[h] = std::exp2(-static_cast<float>(r) / half_life);
  }
}

}  // namespace aisle
