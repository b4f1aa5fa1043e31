#include "aisle/models/registry.h"

#include <algorithm>
#include <array>

#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/models/als/als.h"
#include "aisle/models/bpr/bpr.h"
#include "aisle/models/category_cf/category_cf.h"
#include "aisle/models/content/content.h"
#include "aisle/models/ease/ease.h"
#include "aisle/models/item_knn/item_knn.h"
#include "aisle/models/mf/mf.h"
#include "aisle/models/popularity/popularity.h"
#include "aisle/models/sequential_rules/sequential_rules.h"
#include "aisle/models/session_knn/session_knn.h"
#include "aisle/models/trending/trending.h"

namespace aisle {

namespace {

template <class M>
std::unique_ptr<Recommender> create(std::string_view args) {
  using Params = std::remove_cvref_t<decltype(std::declval<const M&>().parameters())>;
  return std::make_unique<M>(Params::schema().parse(args));
}

template <class P>
std::vector<ParamInfo> describe() {
  return P::schema().describe();
}

}  // namespace

std::span<const ModelInfo> model_table() {
  static const std::array<ModelInfo, 11> kModels = {{
      {"popularity", "the most popular items for everyone, by weight or users, optionally in a recent window",
       describe<PopularityParams>, create<Popularity>, ""},
      {"trending", "popularity with exponential time decay (half-life)", describe<TrendingParams>, create<Trending>,
       ""},
      {"als", "implicit ALS (Hu, Koren, Volinsky) with conjugate gradient; fold-in for new histories",
       describe<AlsParams>, create<Als>, "iterations"},
      {"bpr", "Bayesian personalized ranking by multi-threaded SGD; fold-in for new histories", describe<BprParams>,
       create<Bpr>, "epochs"},
      {"item_knn",
       "item-item cosine similarity with shrinkage (none, log1p, bm25 or tfidf weighting), top-K neighbours",
       describe<ItemKnnParams>, create<ItemKnn>, ""},
      {"ease", "EASE (Steck 2019), closed-form item-item model; catalogs up to max_items", describe<EaseParams>,
       create<Ease>, ""},
      {"category_cf", "user-category affinity over the category tree; top items of the strongest categories, mixed",
       describe<CategoryCfParams>, create<CategoryCf>, ""},
      {"content", "tf-idf of catalog attributes (categories, brand, price band, words); scores items without events",
       describe<ContentParams>, create<Content>, ""},
      {"mf", "explicit matrix factorization with biases (SGD or Adam) on ratings or quantities; held-out RMSE",
       describe<MfParams>, create<Mf>, "epochs"},
      {"session_knn",
       "session-based kNN (sknn, vsknn, stan, vstan): items of the training sessions most similar to the current one",
       describe<SessionKnnParams>, create<SessionKnn>, ""},
      {"sequential_rules", "what follows what: rules a -> b weighted 1 / distance within a session, from the last item",
       describe<SequentialRulesParams>, create<SequentialRules>, ""},
  }};
  return kModels;
}

const ModelInfo& find_model(std::string_view name) {
  std::string known;
  for (const ModelInfo& m : model_table()) {
    if (m.name == name) return m;
    known += (known.empty() ? "" : ", ") + std::string(m.name);
  }
  throw ConfigError("unknown model '" + std::string(name) + "'; known: " + known);
}

std::unique_ptr<Recommender> create_model(std::string_view spec) {
  const std::size_t colon = spec.find(':');
  const std::string_view name = spec.substr(0, colon);
  const std::string_view args = colon == std::string_view::npos ? std::string_view{} : spec.substr(colon + 1);
  return find_model(name).create(args);
}

std::string_view default_model_spec(std::uint32_t num_items) {
  return num_items <= static_cast<std::uint32_t>(EaseParams{}.max_items) ? "ease" : "als";
}

std::string models_with_similar_items() {
  std::string out;
  for (const ModelInfo& m : model_table()) {
    if (capability<SimilarItems>(*m.create({})) != nullptr) out += (out.empty() ? "" : ", ") + std::string(m.name);
  }
  return out;
}

std::string short_spec(std::string_view spec) {
  const std::unique_ptr<Recommender> model = create_model(spec);
  const std::vector<ParamInfo> defaults = find_model(model->kind()).params();
  std::string args;
  const std::string params = model->params();
  for (std::string_view part : split(params, ",")) {
    if (part.empty()) continue;
    const std::size_t eq = part.find('=');
    const std::string_view name = part.substr(0, eq), value = part.substr(eq + 1);
    const auto field =
        std::find_if(defaults.begin(), defaults.end(), [&](const ParamInfo& p) { return p.name == name; });
    if (field != defaults.end() && field->default_value == value) continue;
    args += (args.empty() ? "" : ",") + std::string(part);
  }
  return std::string(model->kind()) + (args.empty() ? "" : ":" + args);
}

std::string spec_with(std::string_view spec, std::string_view key, std::string_view value) {
  const std::unique_ptr<Recommender> model = create_model(spec);
  std::string args;
  bool found = false;
  const std::string params = model->params();
  for (std::string_view part : split(params, ",")) {
    const std::string_view name = part.substr(0, part.find('='));
    found = found || name == key;
    args += (args.empty() ? "" : ",") + (name == key ? std::string(key) + "=" + std::string(value) : std::string(part));
  }
  if (!found)
    throw ConfigError("model '" + std::string(model->kind()) + "' has no parameter '" + std::string(key) + "'");
  const std::string out = std::string(model->kind()) + ":" + args;
  create_model(out);  // the value is checked like any spec's
  return out;
}

}  // namespace aisle
