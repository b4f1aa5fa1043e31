#include "aisle/data/id_map.h"

#include <gtest/gtest.h>

#include <string>

namespace aisle {
namespace {

TEST(IdMap, IndicesAreDenseInOrderOfFirstAppearance) {
  IdMap m;
  EXPECT_EQ(m.intern("17850"), 0u);
  EXPECT_EQ(m.intern("13047"), 1u);
  EXPECT_EQ(m.intern("17850"), 0u);
  EXPECT_EQ(m.intern(""), 2u);
  EXPECT_EQ(m.size(), 3u);
  EXPECT_EQ(m.name(1), "13047");
  EXPECT_EQ(m.find("13047"), 1u);
  EXPECT_EQ(m.find("nope"), kNoIndex);
}

TEST(IdMap, SurvivesGrowthWithManyKeys) {
  IdMap m;
  constexpr std::uint32_t n = 200000;
  for (std::uint32_t i = 0; i < n; ++i) ASSERT_EQ(m.intern("user-" + std::to_string(i)), i);
  for (std::uint32_t i = 0; i < n; i += 997) {
    EXPECT_EQ(m.find("user-" + std::to_string(i)), i);
    EXPECT_EQ(m.name(i), "user-" + std::to_string(i));
  }
  EXPECT_EQ(m.find("user-" + std::to_string(n)), kNoIndex);
}

TEST(IdMap, SameInputGivesEqualMaps) {
  IdMap a, b;
  for (const char* k : {"x", "y", "x", "z"}) {
    a.intern(k);
    b.intern(k);
  }
  EXPECT_EQ(a, b);
  b.intern("w");
  EXPECT_FALSE(a == b);
}

}  // namespace
}  // namespace aisle
