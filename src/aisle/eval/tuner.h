// `aisle tune`: a study of one model's parameters on a validation split. Trials are proposed by
// the TPE sampler (tpe.h) over the parameters the model's schema marks as tuned, fitted on the
// training part and scored on the validation part (never on a test split). Iterative models
// report at checkpoints (steps 4, 8, 16, ...): a trial whose value there is below the median of
// earlier trials at the same step is pruned (the median rule), after a warm-up.
//
// A study can be journaled: one JSON line per finished trial, appended as it finishes. Running
// again with the same journal resumes it; the journal's first line names the model, metric and
// data, and a journal of another study is refused.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "aisle/data/catalog.h"
#include "aisle/data/interactions.h"
#include "aisle/eval/evaluator.h"
#include "aisle/eval/tpe.h"
#include "aisle/eval/validation.h"

namespace aisle {

struct TuneOptions {
  std::string model;  // a registered model name
  std::string metric = "ndcg@10";
  int trials = 50;         // the study's size, resumed trials included
  int startup = 10;        // random trials before TPE
  double time_budget = 0;  // seconds for this run; 0: no limit. No trial starts after it.
  bool prune = true;
  int prune_warmup = 5;  // trials that must have reached a checkpoint before it can prune
  RunContext run;        // threads and pool of every fit and evaluation; the seed of the study
  std::string journal;   // file; empty: none
};

enum class TrialState { kComplete, kPruned, kFailed };
std::string_view trial_state_name(TrialState s);

struct TrialRecord {
  int number = 0;
  std::vector<std::string> values;  // per search dimension, as written in a spec
  std::string spec;                 // model:tuned params (the others at their defaults)
  TrialState state = TrialState::kComplete;
  double score = 0;  // the metric on the validation split (complete trials), else NaN
  double seconds = 0;
  std::vector<std::pair<int, double>> checkpoints;  // (step, metric)
  std::string error;                                // failed trials
};

class Study {
 public:
  // `fit` and `validation` share indices (split_pairs of the training data); `fit` and
  // `catalog` must outlive the study.
  Study(TuneOptions options, const Interactions& fit, const Interactions& validation, const Catalog& catalog,
        std::string data_description);

  // Runs trials until the study has options.trials, or the time budget is spent. Calls
  // on_trial after each (resumed trials are not reported again).
  void run(const std::function<void(const TrialRecord&)>& on_trial);

  const std::vector<TrialRecord>& trials() const { return trials_; }
  const TrialRecord* best() const;  // null when no trial completed
  const std::vector<SearchDimension>& space() const { return space_; }

 private:
  TrialRecord run_trial(int number);
  bool should_prune(int step, double value) const;
  void load_journal();
  void append_journal(const TrialRecord& t) const;

  TuneOptions options_;
  std::string data_description_;
  std::vector<SearchDimension> space_;
  ValidationScore score_;
  std::vector<TrialRecord> trials_;
};

}  // namespace aisle
