// How events become interaction strength: a weight per event type and a confidence transform.
// One spec string says it all, parsed here and nowhere else:
//   "cart=1,purchase=5,transform=log1p"
// Listed types override the defaults (view 1, cart 3, remove_from_cart -3, purchase 5,
// cancel -5, rating=value); unlisted types keep theirs; 0 ignores a type; "value" takes the
// event's value (a rating). New type names may be added (`wishlist=2`).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aisle/data/event.h"
#include "aisle/data/id_map.h"

namespace aisle {

enum class Transform { kNone, kLog1p, kBm25, kTfidf };
const char* transform_name(Transform t);

struct TypeWeight {
  std::string name;
  float weight = 1.0f;
  bool from_value = false;  // the weight is the event's value (ratings)
};

// Maps source spellings to canonical type names: "addtocart" -> "cart", "transaction" ->
// "purchase", "remove_from_cart", ... Lower-cases and trims; unknown names are returned lowered.
std::string canonical_event_type(std::string_view name);

class Weighting {
 public:
  Weighting();  // the defaults
  // Throws ConfigError naming the bad part of the spec.
  static Weighting parse(std::string_view spec);

  const std::vector<TypeWeight>& types() const { return types_; }
  Transform transform() const { return transform_; }
  const TypeWeight* find(std::string_view canonical_name) const;
  std::string to_string() const;

  // Per event type of a log: its rule. Throws ConfigError for a type this weighting lacks.
  std::vector<TypeWeight> resolve(const IdMap& event_types) const;

 private:
  std::vector<TypeWeight> types_;
  Transform transform_ = Transform::kNone;
};

// An event's weight under its type's rule: the explicit weight if present, else the rule's
// (value x weight for value-weighted types, 0 without a value).
inline float event_weight(float weight, float value, const TypeWeight& rule) {
  if (is_present(weight)) return weight;
  if (rule.from_value) return is_present(value) ? value * rule.weight : 0.0f;
  return rule.weight;
}
// The same under resolved rules (one per event type of the log).
inline float event_weight(const Event& e, const std::vector<TypeWeight>& rules) {
  return event_weight(e.weight, e.value, rules[e.type]);
}

}  // namespace aisle
