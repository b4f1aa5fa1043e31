// Index types shared by every module. The data contract (stated once, here):
// - every entity kind (user, item, session, category, event type) has its own IdMap that turns
//   external string ids into dense uint32 indices 0..n-1, in order of first appearance;
// - kNoIndex marks an absent reference (an event without a session, a root category);
// - an absent optional float (quantity, value, price, explicit weight) is a quiet NaN: see kAbsent.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

namespace aisle {

using UserIdx = std::uint32_t;
using ItemIdx = std::uint32_t;
using SessionIdx = std::uint32_t;
using CategoryIdx = std::uint32_t;
using EventTypeIdx = std::uint32_t;

inline constexpr std::uint32_t kNoIndex = std::numeric_limits<std::uint32_t>::max();

// UTC seconds since 1970-01-01.
using Timestamp = std::int64_t;

inline constexpr float kAbsent = std::numeric_limits<float>::quiet_NaN();
inline bool is_present(float v) {
  return !std::isnan(v);
}

}  // namespace aisle
