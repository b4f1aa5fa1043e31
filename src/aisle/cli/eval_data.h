// Where evaluate, split and tune get their data: a split given in the exchange format
// (--train/--test, docs EVALUATION.md section 6), or interactions from the store or event files
// that are split here (--protocol). One set of flags, one loader.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "aisle/config/config.h"
#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/data/catalog.h"
#include "aisle/data/id_map.h"
#include "aisle/data/interactions.h"
#include "aisle/data/sequences.h"
#include "aisle/eval/report.h"
#include "aisle/eval/split.h"

namespace aisle::cli {

struct DataFlags {
  std::string store, format = "csv", weights;
  std::vector<std::string> events;
  std::string train, test;  // exchange format
  std::string protocol = "leave-last-out", cutoff;
  double test_fraction = 0.2;
  int threads = -1;
  long long seed = -1;
  bool train_only = false;      // --train without --test is enough (tuning never reads a test split)
  std::string first = "1,3,5";  // new-users: lengths of the anonymous histories
  double holdout_share = 0.1;   // new-users: share of users held out whole
  bool sequences = false;       // also build EvalData::sequences (a model learns from order)
};

// --store, --events, --format, --train, --test, --protocol, --cutoff, --test-fraction, --weights,
// --threads, --seed. `with_given_split`: whether --train/--test are offered.
void add_data_flags(CLI::App& sub, DataFlags& flags, bool with_given_split);

// Train and test pairs in the training id maps' index space; the test half may index users and
// items past the training maps' end (those never seen in training).
struct EvalData {
  IdMap users, items;  // the training data's
  Catalog catalog;
  Interactions train, test;
  // The training side's events in time order (data/sequences.h), when DataFlags::sequences: the
  // events of held-out pairs left out, as their aggregates are.
  std::optional<Sequences> sequences;
  std::string split;  // how train and test were made
  // Users the split left without test pairs, by reason (left_out_users adds the test set's).
  LeftOutUsers without_test;
  // --protocol new-users only (test is then empty): one test set per history length, named
  // "first-N", with the anonymous histories (eval/new_users.h).
  std::vector<std::pair<std::string, TestSet>> new_user_tests;
  DatasetInfo info;
  RunContext run;
};

// "10,20" -> {10, 20}; throws ConfigError naming `flag` unless every part is a positive integer.
template <class T>
std::vector<T> parse_positive_list(const std::string& text, const char* flag) {
  std::vector<T> out;
  for (std::string_view part : split(text, ",")) {
    const auto v = parse_int(trim(part));
    if (!v || *v <= 0) {
      throw ConfigError(std::string(flag) + ": expected positive integers separated by commas, found '" + text + "'");
    }
    out.push_back(static_cast<T>(*v));
  }
  return out;
}

EvalData load_eval_data(const DataFlags& flags, const Config& config);

// "als:factors=8,iterations=3,popularity" -> {"als:factors=8,iterations=3", "popularity"}: a
// comma starts a new spec unless what follows is a key=value of the spec before; commas inside a
// pipeline's parentheses stay in it: "blend(0.6*als:factors=8,iterations=3; 0.4*popularity),ease".
std::vector<std::string> split_model_list(const std::vector<std::string>& flags);

}  // namespace aisle::cli
