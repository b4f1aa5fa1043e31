#include "aisle/eval/tuner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "aisle/core/error.h"
#include "aisle/core/json_text.h"
#include "aisle/models/registry.h"

namespace aisle {

namespace {

// Steps 4, 8, 16, ...: the first iterations say little about where a fit ends (a small
// learning rate starts slow), so nothing is judged before step 4.
bool is_checkpoint_step(int step) {
  return step >= 4 && (step & (step - 1)) == 0;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

std::string_view trial_state_name(TrialState s) {
  switch (s) {
    case TrialState::kComplete:
      return "complete";
    case TrialState::kPruned:
      return "pruned";
    case TrialState::kFailed:
      return "failed";
  }
  return "?";
}

Study::Study(TuneOptions options, const Interactions& fit, const Interactions& validation, const Catalog& catalog,
             std::string data_description)
    : options_(std::move(options)),
      data_description_(std::move(data_description)),
      space_(search_space(find_model(options_.model).params())),
      score_(fit, validation, catalog, options_.metric, options_.run) {
  if (space_.empty()) throw ConfigError("model '" + options_.model + "' has no tuned parameters");
  if (options_.trials < 1) throw ConfigError("--trials must be at least 1");
  if (!options_.journal.empty()) load_journal();
}

const TrialRecord* Study::best() const {
  const TrialRecord* best = nullptr;
  for (const TrialRecord& t : trials_) {
    if (t.state == TrialState::kComplete && (best == nullptr || t.score > best->score)) best = &t;
  }
  return best;
}

bool Study::should_prune(int step, double value) const {
  if (!options_.prune || static_cast<int>(trials_.size()) < options_.startup) return false;
  std::vector<double> earlier;
  for (const TrialRecord& t : trials_) {
    for (const auto& [s, v] : t.checkpoints) {
      if (s == step) earlier.push_back(v);
    }
  }
  return static_cast<int>(earlier.size()) >= options_.prune_warmup && value < median(earlier);
}

TrialRecord Study::run_trial(int number) {
  std::vector<Observation> history;
  for (const TrialRecord& t : trials_) {
    Observation o;
    for (std::size_t k = 0; k < space_.size(); ++k) o.x.push_back(space_[k].internal(t.values[k]));
    o.score = t.state == TrialState::kComplete ? t.score : 0;
    o.good_candidate = t.state == TrialState::kComplete;
    history.push_back(std::move(o));
  }
  // A sampler per trial, seeded by the trial's number: a resumed study proposes what an
  // uninterrupted one would have.
  TpeSampler sampler(space_, options_.run.seed * 1000003u + static_cast<std::uint64_t>(number), options_.startup);
  const std::vector<double> x = sampler.suggest(history);
  TrialRecord t;
  t.number = number;
  t.spec = options_.model + ":";
  for (std::size_t k = 0; k < space_.size(); ++k) {
    t.values.push_back(space_[k].text(x[k]));
    t.spec += (k > 0 ? "," : "") + space_[k].name + "=" + t.values.back();
  }
  const auto start = std::chrono::steady_clock::now();
  try {
    std::unique_ptr<Recommender> model = create_model(t.spec);
    FitContext context;
    context.run = options_.run;
    context.checkpoint = [&](int step, const Recommender& m) {
      if (!is_checkpoint_step(step)) return true;
      const double value = score_(m);
      t.checkpoints.emplace_back(step, value);
      if (!should_prune(step, value)) return true;
      t.state = TrialState::kPruned;
      return false;
    };
    model->fit(score_.train_set(), context);
    if (t.state != TrialState::kPruned) {
      t.score = score_(*model);
    }
  } catch (const ConfigError& e) {
    t.state = TrialState::kFailed;
    t.error = e.what();
  } catch (const InputError& e) {
    t.state = TrialState::kFailed;
    t.error = e.what();
  }
  if (t.state != TrialState::kComplete) t.score = std::nan("");
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return t;
}

void Study::run(const std::function<void(const TrialRecord&)>& on_trial) {
  const auto start = std::chrono::steady_clock::now();
  while (static_cast<int>(trials_.size()) < options_.trials) {
    const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options_.time_budget > 0 && spent >= options_.time_budget) break;
    TrialRecord t = run_trial(static_cast<int>(trials_.size()));
    append_journal(t);
    trials_.push_back(std::move(t));
    on_trial(trials_.back());
  }
}

void Study::append_journal(const TrialRecord& t) const {
  if (options_.journal.empty()) return;
  const bool fresh = trials_.empty();
  std::ofstream out(options_.journal, fresh ? std::ios::trunc : std::ios::app);
  if (fresh) {
    out << json_text(nlohmann::json{{"study", "aisle tune"},
                                    {"model", options_.model},
                                    {"metric", options_.metric},
                                    {"data", data_description_},
                                    {"seed", options_.run.seed}})
        << '\n';
  }
  nlohmann::json params = nlohmann::json::object();
  for (std::size_t k = 0; k < space_.size(); ++k) params[space_[k].name] = t.values[k];
  nlohmann::json line = {{"number", t.number},
                         {"params", params},
                         {"spec", t.spec},
                         {"state", trial_state_name(t.state)},
                         {"score", std::isnan(t.score) ? nlohmann::json(nullptr) : nlohmann::json(t.score)},
                         {"seconds", t.seconds},
                         {"checkpoints", t.checkpoints}};
  if (!t.error.empty()) line["error"] = t.error;
  out << json_text(line) << '\n';
  if (!out.flush()) throw InputError(options_.journal + ": cannot write the study journal");
}

void Study::load_journal() {
  std::ifstream in(options_.journal);
  if (!in) return;  // a new study
  std::string text;
  int line_number = 0;
  const auto fail = [&](const std::string& why) {
    throw InputError(options_.journal + ":" + std::to_string(line_number) + ": " + why);
  };
  while (std::getline(in, text)) {
    ++line_number;
    if (text.empty()) continue;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
      fail(std::string("not a study journal line: ") + e.what());
    }
    if (line_number == 1) {
      const auto field = [&](const char* key) {
        return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
      };
      if (field("study") != "aisle tune") fail("not an aisle tune journal");
      if (field("model") != options_.model || field("metric") != options_.metric ||
          field("data") != data_description_) {
        fail("a study of " + field("model") + " on " + field("metric") + " over [" + field("data") + "], not of " +
             options_.model + " on " + options_.metric + " over [" + data_description_ +
             "]; give another --study file");
      }
      continue;
    }
    try {
      TrialRecord t;
      t.number = j.at("number").get<int>();
      if (t.number != static_cast<int>(trials_.size())) fail("trial numbers out of order");
      for (const SearchDimension& d : space_) {
        t.values.push_back(j.at("params").at(d.name).get<std::string>());
        d.internal(t.values.back());  // validates the value
      }
      t.spec = j.at("spec").get<std::string>();
      const std::string state = j.at("state").get<std::string>();
      t.state = state == "complete" ? TrialState::kComplete
                : state == "pruned" ? TrialState::kPruned
                                    : TrialState::kFailed;
      t.score = j.at("score").is_null() ? std::nan("") : j.at("score").get<double>();
      t.seconds = j.at("seconds").get<double>();
      t.checkpoints = j.at("checkpoints").get<std::vector<std::pair<int, double>>>();
      if (j.contains("error")) t.error = j.at("error").get<std::string>();
      trials_.push_back(std::move(t));
    } catch (const nlohmann::json::exception& e) {
      fail(std::string("bad trial: ") + e.what());
    } catch (const ConfigError& e) {
      fail(e.what());
    }
  }
}

}  // namespace aisle
