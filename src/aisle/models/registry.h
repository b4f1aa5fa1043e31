// The explicit list of every model aisle has (registry.cpp; no self-registration), and the one
// place models are made from specs: "name", "name:key=value,key=value", or a pipeline with its
// members, "blend:normalize=rank(0.6*als; 0.4*popularity)" (the grammar is in spec.h).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aisle/models/params.h"
#include "aisle/models/pipeline/pipeline.h"
#include "aisle/models/recommender.h"

namespace aisle {

struct ModelInfo {
  std::string_view name;
  std::string_view summary;
  std::vector<ParamInfo> (*params)();
  // Members are the created members of a pipeline; a plain model refuses any.
  std::unique_ptr<Recommender> (*create)(std::string_view args, std::vector<PipelineMember> members);
  // The parameter counting the fit's steps (iterations, epochs) for models that report
  // checkpoints and can be stopped early; empty for the others.
  std::string_view step_param;
  bool pipeline = false;          // made of member models (blend, route)
  std::string_view members = {};  // a pipeline's members: what they are and how the spec names them
  // Built into the torch plugin (torch_models.h): listed and parsed by every build, created only
  // where torch_models() has it.
  bool torch = false;
};

std::span<const ModelInfo> model_table();
// Whether create_model can make this model here (false for a torch model without the plugin).
bool model_available(const ModelInfo& info);
// Throws ConfigError "unknown model 'alss'; known: als, bpr, ..." for an unknown name.
const ModelInfo& find_model(std::string_view name);
// Creates an unfitted model from "als:factors=64,iterations=15" or a pipeline spec (its members
// created the same way); throws ConfigError.
std::unique_ptr<Recommender> create_model(std::string_view spec);
// `spec` with only the parameters that differ from the model's defaults, in schema order:
// "als:factors=128" for "als:factors=128,iterations=15,...", "als" when every one is a default;
// a pipeline's members shortened the same way.
// A spec for the same model as `spec`; throws ConfigError like create_model.
std::string short_spec(std::string_view spec);
// The canonical spec (every parameter) of `spec` with `key` set to `value`.
std::string spec_with(std::string_view spec, std::string_view key, std::string_view value);
// The default recommender for a catalog of `num_items` items: what `aisle train` and `aisle
// evaluate` fit when no model is named (and so what `aisle recommend` serves from the default
// model file). A route, chosen on validation splits of every shared data set (docs/RESULTS.md):
// EASE for histories of 2 items or more, EASE blended with popularity for a single item, session
// kNN (VSTAN) for a visit's clicks, popularity by users for no history and to fill lists. Above
// EASE's max_items, where its dense solve does not fit, ALS takes EASE's places.
std::string default_model_spec(std::uint32_t num_items);
// "als, bpr, ..." for error messages.
std::string models_with_similar_items();

}  // namespace aisle
