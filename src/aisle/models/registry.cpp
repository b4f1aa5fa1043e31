#include "aisle/models/registry.h"

#include <array>

#include "aisle/core/error.h"
#include "aisle/models/als/als.h"
#include "aisle/models/popularity/popularity.h"
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
  static const std::array<ModelInfo, 3> kModels = {{
      {"popularity", "the most popular items for everyone, by weight or users, optionally in a recent window",
       describe<PopularityParams>, create<Popularity>},
      {"trending", "popularity with exponential time decay (half-life)", describe<TrendingParams>, create<Trending>},
      {"als", "implicit ALS (Hu, Koren, Volinsky) with conjugate gradient; fold-in for new histories",
       describe<AlsParams>, create<Als>},
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

std::string models_with_similar_items() {
  std::string out;
  for (const ModelInfo& m : model_table()) {
    if (capability<SimilarItems>(*m.create({})) != nullptr) out += (out.empty() ? "" : ", ") + std::string(m.name);
  }
  return out;
}

}  // namespace aisle
