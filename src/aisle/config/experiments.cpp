#include "aisle/config/experiments.h"

#include <cmath>
#include <map>

#include "aisle/core/error.h"
#include "aisle/core/timestamp.h"

namespace aisle {

std::string_view mode_name(ExperimentMode mode) {
  return mode == ExperimentMode::kAb ? "ab" : "interleave";
}

namespace {

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

void check_experiment(ExperimentSpec& e) {
  if (!valid_name(e.name)) {
    throw ConfigError("experiment '" + e.name + "': a name is 1 to 64 characters of letters, digits, '_', '-' and '.'");
  }
  const std::string where = "experiments." + e.name;
  if (e.salt.empty()) e.salt = e.name;
  if (e.layer.empty()) e.layer = e.name;
  if (!(e.traffic > 0 && e.traffic <= 1)) throw ConfigError(where + ".traffic must be above 0 and at most 1");
  if (e.attribution_seconds < 1) throw ConfigError(where + ".attribution_seconds must be 1 or more");
  if (e.start && e.stop && *e.stop <= *e.start) {
    throw ConfigError(where + ".stop (" + format_timestamp(*e.stop) + ") must be after start (" +
                      format_timestamp(*e.start) + ")");
  }
  if (e.arms.size() < 2) throw ConfigError(where + ".arms: an experiment needs two arms or more");
  if (e.mode == ExperimentMode::kInterleave && e.arms.size() != 2) {
    throw ConfigError(where + ".arms: interleaving merges exactly two arms, found " + std::to_string(e.arms.size()));
  }
  for (std::size_t i = 0; i < e.arms.size(); ++i) {
    const ExperimentArm& arm = e.arms[i];
    const std::string at = where + ".arms[" + std::to_string(i) + "]";
    if (!valid_name(arm.name)) {
      throw ConfigError(at + ".name: 1 to 64 characters of letters, digits, '_', '-' and '.'");
    }
    if (arm.model.empty()) throw ConfigError(at + ".model is required: \"serving\", \"file:PATH\" or a spec");
    if (!(arm.share > 0) || !std::isfinite(arm.share)) throw ConfigError(at + ".share must be a number above 0");
    for (std::size_t j = 0; j < i; ++j) {
      if (e.arms[j].name == arm.name) throw ConfigError(at + ".name: '" + arm.name + "' names two arms");
    }
  }
  if (e.control.empty()) e.control = e.arms.front().name;
  bool known = false;
  for (const ExperimentArm& arm : e.arms) known |= arm.name == e.control;
  if (!known) throw ConfigError(where + ".control: '" + e.control + "' is not one of the arms");
}

void check_experiments(std::vector<ExperimentSpec>& experiments) {
  std::map<std::string, double> layer_traffic;
  for (std::size_t i = 0; i < experiments.size(); ++i) {
    check_experiment(experiments[i]);
    for (std::size_t j = 0; j < i; ++j) {
      if (experiments[j].name == experiments[i].name) {
        throw ConfigError("experiments." + experiments[i].name + ": the name is taken");
      }
    }
    double& sum = layer_traffic[experiments[i].layer];
    sum += experiments[i].traffic;
    if (sum > 1 + 1e-9) {
      throw ConfigError("experiments." + experiments[i].name + ".traffic: the experiments of layer '" +
                        experiments[i].layer + "' would take more than all of its visitors (traffic sums to " +
                        std::to_string(sum) + ")");
    }
  }
}

}  // namespace aisle
