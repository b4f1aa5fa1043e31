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
#include "aisle/models/pipeline/blend.h"
#include "aisle/models/pipeline/route.h"
#include "aisle/models/popularity/popularity.h"
#include "aisle/models/sasrec/sasrec_params.h"
#include "aisle/models/sequential_rules/sequential_rules.h"
#include "aisle/models/session_knn/session_knn.h"
#include "aisle/models/spec.h"
#include "aisle/models/torch_models.h"
#include "aisle/models/trending/trending.h"

namespace aisle {

namespace {

template <class M>
using ParamsOf = std::remove_cvref_t<decltype(std::declval<const M&>().parameters())>;

template <class M>
std::unique_ptr<Recommender> create(std::string_view args, std::vector<PipelineMember> members) {
  AISLE_CHECK_MSG(members.empty(), "create_model gives members to pipelines only");
  return std::make_unique<M>(ParamsOf<M>::schema().parse(args));
}

template <class M>
std::unique_ptr<Recommender> create_pipeline(std::string_view args, std::vector<PipelineMember> members) {
  return std::make_unique<M>(ParamsOf<M>::schema().parse(args), std::move(members));
}

std::unique_ptr<Recommender> create_sasrec(std::string_view args, std::vector<PipelineMember> members) {
  AISLE_CHECK_MSG(members.empty(), "create_model gives members to pipelines only");
  const SasrecParams params = SasrecParams::schema().parse(args);
  const TorchModels* torch = torch_models();
  if (torch == nullptr) throw ConfigError("model 'sasrec' needs aisle with libtorch (" + torch_status() + ")");
  return torch->create_sasrec(params);
}

template <class P>
std::vector<ParamInfo> describe() {
  return P::schema().describe();
}

}  // namespace

std::span<const ModelInfo> model_table() {
  static const std::array<ModelInfo, 14> kModels = {{
      {"popularity", "the most popular items for everyone, by weight or users, optionally in a recent window",
       describe<PopularityParams>, create<Popularity>, ""},
      {"trending", "popularity with exponential time decay (half-life)", describe<TrendingParams>, create<Trending>,
       ""},
      {"als", "implicit ALS (Hu, Koren, Volinsky) with conjugate gradient; fold-in for new histories",
       describe<AlsParams>, create<Als>, "iterations"},
      {"bpr", "Bayesian personalized ranking by multi-threaded SGD; fold-in for new histories", describe<BprParams>,
       create<Bpr>, "epochs"},
      {"item_knn",
       "item-item (asymmetric) cosine similarity with shrinkage (none, log1p, bm25 or tfidf weighting), top-K "
       "neighbours",
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
      {"sasrec",
       "SASRec (Kang & McAuley 2018): causal self-attention over a history's newest items, trained with a full or "
       "sampled softmax; needs libtorch",
       describe<SasrecParams>,
       create_sasrec,
       "epochs",
       false,
       {},
       true},
      {"blend", "pipeline: a weighted sum of its members' normalized scores, e.g. blend(0.6*als; 0.4*popularity)",
       describe<BlendParams>, create_pipeline<Blend>, "", true,
       "any models, each with a positive weight (`0.6*als`; 1 when none is given); scores normalized per query and "
       "member, then weighted and summed"},
      {"route",
       "pipeline: a member per query segment (known, few, session, none) and a fallback that fills lists, e.g. "
       "route(known=ease; few=item_knn; fallback=popularity)",
       describe<RouteParams>, create_pipeline<Route>, "", true,
       "one model per segment, named before it: `session=` (a visit's clicks in order, as the next-item protocol and "
       "`/api/session/recommend` ask), `known=` (a history of at least min_history items), `few=` (1 to "
       "min_history - 1), `none=` (no history), and the required `fallback=`, which answers the segments not listed "
       "and fills a candidate model's list (session_knn, sequential_rules) in its order for an empty history"},
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

bool model_available(const ModelInfo& info) {
  return !info.torch || torch_models() != nullptr;
}

std::unique_ptr<Recommender> create_model(std::string_view spec) {
  const ParsedSpec parsed = parse_spec(spec);
  const ModelInfo& info = find_model(parsed.name);
  if (info.pipeline && parsed.members.empty()) {
    throw ConfigError("model '" + parsed.name + "' is a pipeline and needs members, e.g. " + parsed.name +
                      (parsed.name == "blend" ? "(0.6*als; 0.4*popularity)" : "(known=ease; fallback=popularity)"));
  }
  if (!info.pipeline && parsed.has_members) {
    throw ConfigError("model '" + parsed.name + "' takes no members; pipelines that do: blend, route");
  }
  std::vector<PipelineMember> members;
  for (const SpecMember& m : parsed.members) members.push_back({m.role, m.separator, create_model(m.spec)});
  std::unique_ptr<Recommender> model = info.create(parsed.args, std::move(members));
  if (auto* pipeline = dynamic_cast<Pipeline*>(model.get())) share_identical_members(*pipeline);
  return model;
}

std::string default_model_spec(std::uint32_t num_items) {
  const std::string base = num_items <= static_cast<std::uint32_t>(EaseParams{}.max_items) ? "ease" : "als";
  return "route:min_history=2(known=" + base + "; few=blend(0.8*" + base +
         "; 0.2*popularity); session=session_knn:variant=vstan,neighbors=2000,sample_size=2500,lambda_spw=8,"
         "lambda_snh=10,lambda_inh=8,lambda_ipw=0.5,lambda_idf=2; fallback=popularity:by=users)";
}

std::string models_with_similar_items() {
  std::string out;
  for (const ModelInfo& m : model_table()) {
    if (!m.pipeline && model_available(m) && capability<SimilarItems>(*m.create({}, {})) != nullptr)
      out += (out.empty() ? "" : ", ") + std::string(m.name);
  }
  return out;
}

namespace {

// The created model's spec: every parameter, members included.
ParsedSpec canonical_spec(const Recommender& model) {
  return parse_spec(std::string(model.kind()) + ":" + model.params());
}

}  // namespace

std::string short_spec(std::string_view spec) {
  const std::unique_ptr<Recommender> model = create_model(spec);
  ParsedSpec parsed = canonical_spec(*model);
  const std::vector<ParamInfo> defaults = find_model(parsed.name).params();
  std::string args;
  for (std::string_view part : split(parsed.args, ",")) {
    if (part.empty()) continue;
    const std::size_t eq = part.find('=');
    const std::string_view name = part.substr(0, eq), value = part.substr(eq + 1);
    const auto field =
        std::find_if(defaults.begin(), defaults.end(), [&](const ParamInfo& p) { return p.name == name; });
    if (field != defaults.end() && field->default_value == value) continue;
    args += (args.empty() ? "" : ",") + std::string(part);
  }
  parsed.args = args;
  for (SpecMember& m : parsed.members) m.spec = short_spec(m.spec);
  return format_spec(parsed);
}

std::string spec_with(std::string_view spec, std::string_view key, std::string_view value) {
  const std::unique_ptr<Recommender> model = create_model(spec);
  ParsedSpec parsed = canonical_spec(*model);
  std::string args;
  bool found = false;
  for (std::string_view part : split(parsed.args, ",")) {
    if (part.empty()) continue;
    const std::string_view name = part.substr(0, part.find('='));
    found = found || name == key;
    args += (args.empty() ? "" : ",") + (name == key ? std::string(key) + "=" + std::string(value) : std::string(part));
  }
  if (!found)
    throw ConfigError("model '" + std::string(model->kind()) + "' has no parameter '" + std::string(key) + "'");
  parsed.args = args;
  const std::string out = format_spec(parsed);
  create_model(out);  // the value is checked like any spec's
  return out;
}

}  // namespace aisle
