#include "aisle/data/weighting.h"

#include <gtest/gtest.h>

#include "aisle/core/error.h"

namespace aisle {
namespace {

TEST(Weighting, DefaultsFollowTheEvaluationProtocol) {
  const Weighting w;
  EXPECT_EQ(w.find("view")->weight, 1.0f);
  EXPECT_EQ(w.find("cart")->weight, 3.0f);
  EXPECT_EQ(w.find("purchase")->weight, 5.0f);
  EXPECT_TRUE(w.find("rating")->from_value);
  EXPECT_LT(w.find("remove_from_cart")->weight, 0.0f);
  EXPECT_LT(w.find("cancel")->weight, 0.0f);
  EXPECT_EQ(w.transform(), Transform::kNone);
}

TEST(Weighting, SeedConfigurationIsOneLine) {
  const Weighting w = Weighting::parse("cart=1, purchase=5, transform=log1p");
  EXPECT_EQ(w.find("cart")->weight, 1.0f);
  EXPECT_EQ(w.find("purchase")->weight, 5.0f);
  EXPECT_EQ(w.find("view")->weight, 1.0f);  // unlisted types keep their default
  EXPECT_EQ(w.transform(), Transform::kLog1p);
  EXPECT_EQ(Weighting::parse(w.to_string()).to_string(), w.to_string());
}

TEST(Weighting, AliasesNewTypesAndValueWeights) {
  const Weighting w = Weighting::parse("addtocart=2,wishlist=0.5,like=value");
  EXPECT_EQ(w.find("cart")->weight, 2.0f);
  EXPECT_EQ(w.find("wishlist")->weight, 0.5f);
  EXPECT_TRUE(w.find("like")->from_value);
  EXPECT_EQ(canonical_event_type(" Transaction "), "purchase");
}

TEST(Weighting, BadSpecsNameTheBadPart) {
  EXPECT_THROW(Weighting::parse("cart"), ConfigError);
  try {
    Weighting::parse("cart=lots");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("'lots'"), std::string::npos);
  }
  try {
    Weighting::parse("transform=sqrt");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("known: none, log1p, bm25, tfidf"), std::string::npos);
  }
}

TEST(Weighting, ResolveRejectsTypesWithoutWeight) {
  IdMap types;
  types.intern("view");
  types.intern("wishlist");
  EXPECT_THROW(Weighting().resolve(types), ConfigError);
  const auto rules = Weighting::parse("wishlist=2").resolve(types);
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[1].weight, 2.0f);
}

TEST(Weighting, EventWeightPrefersExplicitWeightThenTypeRule) {
  IdMap types;
  types.intern("rating");
  types.intern("view");
  const auto rules = Weighting().resolve(types);
  Event rating;
  rating.type = 0;
  rating.value = 4.0f;
  EXPECT_EQ(event_weight(rating, rules), 4.0f);
  Event view;
  view.type = 1;
  EXPECT_EQ(event_weight(view, rules), 1.0f);
  view.weight = 7.0f;
  EXPECT_EQ(event_weight(view, rules), 7.0f);
}

}  // namespace
}  // namespace aisle
