// One interaction event, as stored and as read back. Indices refer to the IdMaps of the EventLog
// that holds the event; optional floats are kAbsent (NaN) when the source had no value.
#pragma once

#include <cmath>
#include <cstring>
#include <tuple>

#include "aisle/core/types.h"

namespace aisle {

struct Event {
  UserIdx user = kNoIndex;
  ItemIdx item = kNoIndex;
  Timestamp time = 0;        // UTC seconds
  float quantity = kAbsent;  // units bought/returned (negative for a return)
  float value = kAbsent;     // unit price, or the rating of a rating event
  float weight = kAbsent;    // an explicit weight from the input; wins over the type's
  SessionIdx session = kNoIndex;
  EventTypeIdx type = kNoIndex;
};

// Bitwise equality: NaN equals NaN (absent == absent), -0 differs from +0.
inline bool same_bits(float a, float b) {
  return std::memcmp(&a, &b, sizeof a) == 0;  // NOLINT(bugprone-suspicious-memory-comparison): bits wanted
}
inline bool operator==(const Event& a, const Event& b) {
  return a.user == b.user && a.item == b.item && a.time == b.time && same_bits(a.quantity, b.quantity) &&
         same_bits(a.value, b.value) && same_bits(a.weight, b.weight) && a.session == b.session && a.type == b.type;
}

// The canonical order of a stored log: time, then user, item, type (reading back uses it).
inline bool canonical_less(const Event& a, const Event& b) {
  return std::tie(a.time, a.user, a.item, a.type) < std::tie(b.time, b.user, b.item, b.type);
}

}  // namespace aisle
