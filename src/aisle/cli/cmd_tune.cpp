// aisle tune --model NAME [--trials 50] [--metric ndcg@10] [--time-budget 10m] [--study FILE]
//            (--train F | --store URL | --events F... [--protocol P])
// Tunes on training data only: with --train, that file; otherwise the training half of the
// split evaluate would make. A validation split is carved from it (leave-last-out, EVALUATION.md
// s. 2); every trial is fitted on the rest and scored on it. Prints the trial table and the best
// spec, which `aisle evaluate --models SPEC` then scores on the test split.
#include <cmath>
#include <cstdio>

#include "aisle/cli/command.h"
#include "aisle/cli/eval_data.h"
#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/eval/tuner.h"
#include "aisle/models/registry.h"

namespace aisle::cli {

namespace {

struct TuneFlags {
  DataFlags data;
  std::string model, metric = "ndcg@10", budget, study;
  int trials = 50, startup = 10;
  bool no_prune = false;
};

// "600", "600s", "10m", "1.5h" -> seconds.
double parse_duration(const std::string& text) {
  const std::string t(trim(text));
  double scale = 1;
  std::string number = t;
  if (!t.empty() && (t.back() == 's' || t.back() == 'm' || t.back() == 'h')) {
    scale = t.back() == 'h' ? 3600 : t.back() == 'm' ? 60 : 1;
    number = t.substr(0, t.size() - 1);
  }
  const auto v = parse_double(number);
  if (!v || *v <= 0)
    throw ConfigError("--time-budget: expected a duration such as 600, 90s, 10m or 1h, found '" + text + "'");
  return *v * scale;
}

void run_tune(const TuneFlags& flags, const GlobalOptions& global) {
  find_model(flags.model);  // an unknown model fails before any reading
  if (!flags.data.test.empty()) throw ConfigError("--test: tuning never reads a test split; give --train only");
  TuneOptions options;
  options.model = flags.model;
  options.metric = flags.metric;
  options.trials = flags.trials;
  options.startup = flags.startup;
  options.prune = !flags.no_prune;
  options.journal = flags.study;
  if (!flags.budget.empty()) options.time_budget = parse_duration(flags.budget);

  if (flags.data.protocol == "new-users" || flags.data.protocol == "next-item") {
    throw ConfigError("--protocol " + flags.data.protocol + " is one of aisle evaluate's");
  }
  const EvalData data = load_eval_data(flags.data, global.load());
  options.run = data.run;
  SplitOptions split_options;
  split_options.seed = options.run.seed;
  const Split validation = split_pairs(data.train, split_options);
  // What a journal is checked against on resume: the data by content (a file named differently
  // or from another folder is the same data), its size, and how validation was carved.
  std::string fingerprint;
  for (const auto& [file, hash] : data.info.file_sha256) fingerprint += (fingerprint.empty() ? "sha256 " : ", ") + hash;
  if (fingerprint.empty()) fingerprint = data.info.source;
  const std::string description = fingerprint + "; " + std::to_string(data.train.num_pairs()) +
                                  " training pairs; validation: " + validation.description;
  Study study(options, validation.train, validation.test, data.catalog, description);
  std::printf("tuning %s on %s (%s of the training data), %d trials, %s\n", flags.model.c_str(), options.metric.c_str(),
              validation.description.c_str(), options.trials,
              options.prune ? "pruning below the median at steps 4, 8, 16, ..." : "no pruning");
  if (!study.trials().empty())
    std::printf("resuming %s: %zu trials done\n", flags.study.c_str(), study.trials().size());
  std::printf("%5s  %-9s %10s %8s  %s\n", "trial", "state", options.metric.c_str(), "seconds", "spec");
  const auto print = [&](const TrialRecord& t) {
    const std::string score = std::isnan(t.score) ? "-" : std::to_string(t.score);
    std::string state(trial_state_name(t.state));
    if (t.state == TrialState::kPruned && !t.checkpoints.empty())
      state += "@" + std::to_string(t.checkpoints.back().first);
    std::printf("%5d  %-9s %10s %8.2f  %s%s\n", t.number, state.c_str(), score.c_str(), t.seconds, t.spec.c_str(),
                t.error.empty() ? "" : ("  (" + t.error + ")").c_str());
    std::fflush(stdout);
  };
  for (const TrialRecord& t : study.trials()) print(t);
  study.run(print);
  const TrialRecord* best = study.best();
  if (best == nullptr) throw InputError("no trial completed; see the errors above");
  std::printf("best: %s  (%s %.6f on the validation split, trial %d)\n", best->spec.c_str(), options.metric.c_str(),
              best->score, best->number);
}

}  // namespace

void add_tune_command(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<TuneFlags>();
  flags->data.train_only = true;
  add_data_flags(sub, flags->data, true);
  sub.add_option("--model", flags->model, "model to tune (aisle models lists them and what is searched)")->required();
  sub.add_option("--trials", flags->trials, "trials in the study, resumed ones included (default 50)");
  sub.add_option("--metric", flags->metric, "validation metric to maximize (default ndcg@10)");
  sub.add_option("--time-budget", flags->budget, "stop starting trials after this long, e.g. 10m");
  sub.add_option("--study", flags->study, "journal file: trials are appended to it, and a rerun resumes it");
  sub.add_option("--startup", flags->startup, "random trials before the TPE proposes (default 10)");
  sub.add_flag("--no-prune", flags->no_prune, "run every trial to its end");
  sub.callback([flags, &global] { run_tune(*flags, global); });
}

}  // namespace aisle::cli
