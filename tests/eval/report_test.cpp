// Model labels and what the report's renderers show for models whose specs are alike.
#include "aisle/eval/report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "aisle/eval/model_labels.h"
#include "aisle/models/registry.h"

namespace aisle {
namespace {

std::string canonical(const std::string& spec) {
  const auto m = create_model(spec);
  return std::string(m->kind()) + ":" + m->params();
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

void expect_distinct_and_short(const std::vector<std::string>& labels, std::size_t width = kMaxLabelWidth) {
  EXPECT_EQ(std::set<std::string>(labels.begin(), labels.end()).size(), labels.size());
  for (const std::string& l : labels) EXPECT_LE(l.size(), width) << l;
}

TEST(ModelLabels, OmitDefaultsAndKeepWhatDiffers) {
  const std::vector<std::string> labels =
      model_labels({canonical("popularity"), canonical("als:factors=128"), canonical("item_knn:weighting=bm25")});
  EXPECT_EQ(labels, (std::vector<std::string>{"popularity", "als:factors=128", "item_knn:weighting=bm25"}));
}

TEST(ModelLabels, ModelsThatDifferOnlyInALateParameterLookDifferent) {
  // Canonical specs agree on their first 70 characters; a column of 44 made them identical.
  const std::vector<std::string> specs = {canonical("als:factors=32,iterations=5"),
                                          canonical("als:factors=32,iterations=5,transform=none"),
                                          canonical("ease:recency=0"), canonical("ease:recency=0,transform=none")};
  ASSERT_EQ(specs[0].substr(0, 44), specs[1].substr(0, 44));
  const std::vector<std::string> labels = model_labels(specs);
  EXPECT_EQ(labels,
            (std::vector<std::string>{"als:factors=32,iterations=5", "als:factors=32,iterations=5,transform=none",
                                      "ease:recency=0", "ease:transform=none,recency=0"}));
  expect_distinct_and_short(labels);
}

TEST(ModelLabels, TheSameModelTwiceIsNumbered) {
  const std::vector<std::string> labels =
      model_labels({"popularity", "als", canonical("als"), "als:factors=64", "ease"});
  EXPECT_EQ(labels, (std::vector<std::string>{"popularity", "als #2", "als #3", "als #4", "ease"}));
}

TEST(ModelLabels, TooLongIsCutAfterAParameterAndNumbered) {
  const std::string a = "als:factors=128,regularization=0.5,alpha=10,iterations=20,cg_steps=4";
  const std::string b = "als:factors=128,regularization=0.5,alpha=10,iterations=20,cg_steps=5";
  const std::vector<std::string> labels = model_labels({"popularity", a, b});
  EXPECT_EQ(labels[1], "als:factors=128,regularization=0.5,... #2");
  EXPECT_EQ(labels[2], "als:factors=128,regularization=0.5,... #3");
  expect_distinct_and_short(labels);
  // A narrower column still tells them apart.
  expect_distinct_and_short(model_labels({a, b, a}, 16), 16);
}

TEST(ModelLabels, TextsThatAreNotSpecsAreShownAsGiven) {
  EXPECT_EQ(model_labels({"a", "b", "a"}), (std::vector<std::string>{"a #1", "b", "a #3"}));
  expect_distinct_and_short(model_labels({"x #2", "x", "x #2"}));
}

// A report of models with the given specs, one metric each, without statistics.
EvaluationReport report_of(const std::vector<std::string>& specs) {
  EvaluationReport r;
  r.split = "leave-last-out";
  r.ranking = "full ranking";
  r.ks = {10};
  r.segment_names = {"1+"};
  r.segment_users = {2};
  for (const std::string& spec : specs) {
    ModelReport m;
    m.spec = spec;
    m.per_user.names = {"hr@10", "ndcg@10"};
    m.per_user.values = {1, 0.5, 0, 0};
    m.metrics = {{"hr@10", 0.5, stats::Interval{0.5, 0.0, 1.0}}, {"ndcg@10", 0.25, stats::Interval{0.25, 0.0, 0.5}}};
    m.segment_means = {{0.5, 0.25}};
    r.models.push_back(std::move(m));
  }
  r.baseline = specs.front();
  return r;
}

TEST(Report, EveryRendererShowsLabelsAndTheFullSpecBesideThem) {
  const std::string plain = canonical("als:factors=32,iterations=5"),
                    other = canonical("als:factors=32,iterations=5,transform=none");
  const EvaluationReport r = report_of({canonical("popularity"), plain, other});
  const std::string table = to_table(r), md = to_markdown(r), html = to_html(r), json = to_json(r);
  for (const std::string& text : {table, md, html}) {
    EXPECT_TRUE(contains(text, "als:factors=32,iterations=5,transform=none")) << text;
    EXPECT_TRUE(contains(text, other)) << text;  // the legend
    EXPECT_TRUE(contains(text, plain)) << text;
  }
  // Table rows start with the label, not the spec cut to a column.
  EXPECT_TRUE(contains(table, "\nals:factors=32,iterations=5 ")) << table;
  EXPECT_TRUE(contains(table, "\nals:factors=32,iterations=5,transform=none ")) << table;
  EXPECT_TRUE(contains(table, "models (label, full spec):\n  popularity  ")) << table;
  EXPECT_TRUE(contains(md, "## Models")) << md;
  EXPECT_TRUE(contains(md, "| `als:factors=32,iterations=5,transform=none` | `" + other + "` |")) << md;
  EXPECT_TRUE(contains(html, "<td title='" + other + "'>als:factors=32,<wbr>iterations=5,<wbr>transform=none</td>"))
      << html;
  EXPECT_TRUE(contains(html, "<title>" + other + "</title>")) << html;
  EXPECT_TRUE(contains(json, "\"label\": \"als:factors=32,iterations=5,transform=none\"")) << json;
  EXPECT_TRUE(contains(json, "\"spec\": \"" + other + "\"")) << json;
}

TEST(Report, HtmlStaysSelfContained) {
  std::vector<std::string> specs;
  for (int i = 0; i < 10; ++i) specs.push_back(canonical("als:regularization=" + std::to_string(i + 1)));
  const std::string html = to_html(report_of(specs));
  EXPECT_FALSE(contains(html, "<script"));
  EXPECT_FALSE(contains(html, "href="));
  EXPECT_FALSE(contains(html, "src="));
  EXPECT_TRUE(contains(html, "viewBox="));    // charts scale down in narrow windows
  EXPECT_TRUE(contains(html, "class='c9'"));  // ten models, ten colours
}

}  // namespace
}  // namespace aisle
