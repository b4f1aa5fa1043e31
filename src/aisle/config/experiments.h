// Online experiments as configured: `[experiments.NAME]` tables in aisle.toml, or the same fields
// through the server's admin routes (docs/EXPERIMENTS.md). This is the definition only; the server
// assigns visitors (serve/experiments.h) and logs and measures what each arm served.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aisle/core/types.h"

namespace aisle {

struct ExperimentArm {
  std::string name;
  // What answers this arm's visitors: "serving" (the model in service), "file:PATH" (a model
  // file), or a recommender spec, which the server trains from its store.
  std::string model;
  double share = 1;  // relative: an arm's traffic is share / (sum of the arms' shares)
};

enum class ExperimentMode {
  kAb,          // each visitor sees one arm's list
  kInterleave,  // team-draft interleaving: one list drawn from two arms, clicks credit the contributor
};

struct ExperimentSpec {
  std::string name;    // [A-Za-z0-9_.-], 1 to 64 characters
  std::string salt;    // hashed with the visitor id; default: the name. A new salt reshuffles everyone.
  std::string layer;   // experiments of one layer never share a visitor; default: the name
  double traffic = 1;  // share of the layer's visitors in this experiment, (0, 1]
  ExperimentMode mode = ExperimentMode::kAb;
  std::optional<Timestamp> start, stop;      // unix seconds; absent: from now on, never stops
  std::int64_t attribution_seconds = 86400;  // feedback on a shown item this soon after the list counts
  std::string control;                       // an arm's name; default: the first arm
  std::vector<ExperimentArm> arms;
};

std::string_view mode_name(ExperimentMode mode);

// Fills the defaults (salt, layer, control) and checks one experiment: a valid name, two or more
// arms (exactly two to interleave) with distinct names and shares above 0, traffic in (0, 1],
// start before stop, a known control. Throws ConfigError naming the experiment and the field.
void check_experiment(ExperimentSpec& e);

// Checks a set: distinct names, and the traffic of one layer's experiments at most 1 in sum.
void check_experiments(std::vector<ExperimentSpec>& experiments);

}  // namespace aisle
