#include "aisle/data/synth.h"

#include <gtest/gtest.h>

#include "aisle/data/readers/reader.h"
#include "test_util.h"

namespace aisle {
namespace {

TEST(Synth, SameSeedSameBytesOtherSeedOtherBytes) {
  test::TempDir dir;
  const SynthSpec spec{500, 100, 5000, 7};
  const SynthFiles a = write_synthetic_retailrocket(spec, dir.file("a"));
  const SynthFiles b = write_synthetic_retailrocket(spec, dir.file("b"));
  SynthSpec other = spec;
  other.seed = 8;
  const SynthFiles c = write_synthetic_retailrocket(other, dir.file("c"));
  EXPECT_EQ(test::read_file(a.events), test::read_file(b.events));
  EXPECT_EQ(test::read_file(a.item_properties), test::read_file(b.item_properties));
  EXPECT_NE(test::read_file(a.events), test::read_file(c.events));
}

TEST(Synth, EveryUserAndItemOccursAndTheMixIsRetailRocketLike) {
  test::TempDir dir;
  const SynthSpec spec{2000, 300, 40000, 1};
  const SynthFiles f = write_synthetic_retailrocket(spec, dir.file("s"));
  EventLog log;
  const std::vector<std::string> files = {f.category_tree, f.item_properties, f.events};
  const ReadReport r = read_files("retailrocket", files, ReadOptions{}, log);
  EXPECT_EQ(r.issues.rejected_rows(), 0u);
  EXPECT_EQ(log.events.size(), 40000u);
  EXPECT_EQ(log.users.size(), 2000u);
  EXPECT_EQ(log.items.size(), 300u);
  std::vector<std::size_t> by_type(log.event_types.size());
  for (const Event& e : log.events) ++by_type[e.type];
  const double views = static_cast<double>(by_type[log.event_types.find("view")]) / 40000.0;
  EXPECT_NEAR(views, 0.967, 0.01);
  EXPECT_NEAR(static_cast<double>(by_type[log.event_types.find("purchase")]) / 40000.0, 0.008, 0.003);
  // Power law: the most active user has far more than the mean of 20 events.
  std::vector<int> per_user(log.users.size());
  for (const Event& e : log.events) ++per_user[e.user];
  EXPECT_GT(*std::max_element(per_user.begin(), per_user.end()), 200);
  EXPECT_EQ(log.catalog.num_described_items(), 300u);
}

}  // namespace
}  // namespace aisle
