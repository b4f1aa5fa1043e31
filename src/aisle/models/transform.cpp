#include "aisle/models/transform.h"

#include "aisle/core/error.h"

namespace aisle {

Transform parse_transform(std::string_view name) {
  for (Transform t : {Transform::kNone, Transform::kLog1p, Transform::kBm25, Transform::kTfidf}) {
    if (name == transform_name(t)) return t;
  }
  AISLE_CHECK_MSG(false, "unknown transform " + std::string(name));
}

}  // namespace aisle
