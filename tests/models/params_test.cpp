#include <gtest/gtest.h>

#include "aisle/core/error.h"
#include "aisle/models/als/als.h"
#include "aisle/models/registry.h"

namespace aisle {
namespace {

std::string error_of(std::string_view spec) {
  try {
    create_model(spec);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ModelSpec, ParsesTypedValuesAndFormatsThemCanonically) {
  const auto m = create_model("als:factors=32,regularization=0.1,iterations=10,alpha=40");
  EXPECT_EQ(m->kind(), "als");
  EXPECT_EQ(m->params(), "factors=32,regularization=0.1,alpha=40,iterations=10,cg_steps=3,transform=log1p");
  EXPECT_EQ(create_model("als")->params(), AlsParams::schema().format(AlsParams{}));
}

TEST(ModelSpec, ShortSpecKeepsOnlyWhatDiffersFromTheDefaults) {
  EXPECT_EQ(short_spec("als"), "als");
  EXPECT_EQ(short_spec("als:" + create_model("als")->params()), "als");
  EXPECT_EQ(short_spec("als:transform=none,factors=128,iterations=15"), "als:factors=128,transform=none");
  EXPECT_EQ(short_spec("item_knn:weighting=bm25"), "item_knn:weighting=bm25");
  EXPECT_EQ(short_spec("ease:regularization=500.0"), "ease");  // the value, not its spelling
  for (const char* spec : {"als:factors=128,transform=none", "bpr:epochs=7", "ease:recency=0"}) {
    EXPECT_EQ(create_model(short_spec(spec))->params(), create_model(spec)->params()) << spec;
  }
  EXPECT_THROW(short_spec("alss"), ConfigError);
}

TEST(ModelSpec, ErrorsNameTheModelTheKeyAndWhatIsAllowed) {
  EXPECT_EQ(error_of("alss"),
            "unknown model 'alss'; known: popularity, trending, als, bpr, item_knn, ease, category_cf, content, mf, "
            "session_knn, sequential_rules, sasrec, blend, route");
  EXPECT_EQ(error_of("als:factor=3"),
            "model 'als': unknown parameter 'factor'; known: factors, regularization, alpha, iterations, cg_steps, "
            "transform");
  EXPECT_EQ(error_of("als:factors=0"), "model 'als', parameter 'factors': 0 is out of range [1, 1024]");
  EXPECT_EQ(error_of("als:factors=2.5"), "model 'als', parameter 'factors': expected a whole number, found '2.5'");
  EXPECT_EQ(error_of("als:alpha=lots"), "model 'als', parameter 'alpha': expected a number, found 'lots'");
  EXPECT_EQ(error_of("als:transform=bm26"),
            "model 'als', parameter 'transform': unknown value 'bm26'; known: none, log1p");
  EXPECT_EQ(error_of("als:factors=3,factors=4"), "model 'als', parameter 'factors': given twice");
  EXPECT_EQ(error_of("als:factors"), "model 'als': expected key=value, found 'factors'");
}

TEST(ModelSpec, EveryModelDescribesItsParameters) {
  for (const ModelInfo& m : model_table()) {
    if (m.pipeline) continue;  // needs members: tests/models/pipeline_test.cpp
    const auto params = m.params();
    if (!model_available(m)) {  // a torch model in a binary without the torch code: listed, refused
      EXPECT_FALSE(params.empty()) << m.name;
      EXPECT_THROW(m.create({}, {}), ConfigError) << m.name;
      continue;
    }
    const auto model = m.create({}, {});
    EXPECT_EQ(model->kind(), m.name);
    std::string expected;
    for (const ParamInfo& p : params) {
      expected += (expected.empty() ? "" : ",") + p.name + "=" + p.default_value;
      EXPECT_FALSE(p.help.empty()) << m.name << "." << p.name;
    }
    EXPECT_EQ(model->params(), expected);
  }
}

}  // namespace
}  // namespace aisle

namespace aisle {
namespace {

TEST(SpecWith, SetsOneParameterOfTheCanonicalSpec) {
  const std::string spec = spec_with("als:factors=8", "iterations", "5");
  EXPECT_EQ(spec.rfind("als:factors=8,", 0), 0u);
  EXPECT_NE(spec.find(",iterations=5,"), std::string::npos);
  EXPECT_EQ(create_model(spec)->params(), spec.substr(4));
  EXPECT_THROW(spec_with("als", "epochs", "5"), ConfigError);      // als has iterations
  EXPECT_THROW(spec_with("als", "iterations", "0"), ConfigError);  // out of range
  for (const ModelInfo& m : model_table()) {
    if (m.step_param.empty() || !model_available(m)) continue;
    EXPECT_NO_THROW(spec_with(m.name, m.step_param, "2")) << m.name;  // the declared step parameter exists
  }
}

}  // namespace
}  // namespace aisle
