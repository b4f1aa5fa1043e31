// aisle evaluate [--models SPEC,...] [--k 10,20] [--baseline SPEC] [--out DIR]
//                (--train F --test F | --store URL | --events F... [--protocol P])
//                --protocol next-item --train F --test F --format sessions (session files)
// Fits every model on the training half, ranks every evaluated user once per model and prints
// the table of docs EVALUATION.md section 7; --out writes report.json, report.md and a
// self-contained report.html. Without --models: popularity and the default recommender.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "aisle/app/training_data.h"
#include "aisle/cli/command.h"
#include "aisle/cli/eval_data.h"
#include "aisle/core/error.h"
#include "aisle/core/statistics.h"
#include "aisle/core/text.h"
#include "aisle/data/readers/reader.h"
#include "aisle/data/sequences.h"
#include "aisle/eval/evaluator.h"
#include "aisle/eval/next_item.h"
#include "aisle/eval/report.h"
#include "aisle/models/registry.h"
#include "aisle/models/trained_model.h"

namespace aisle::cli {

namespace {

struct EvaluateFlags {
  DataFlags data;
  std::vector<std::string> models;
  std::string ks = "10", baseline, out, segments = "3,10";
  bool sampled = false, repeats = false;
  int resamples = 1000;
};

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) throw InputError(path.string() + ": cannot write");
}

// Index of the baseline among the models: an exact spec, else the first of that kind.
std::size_t find_baseline(const EvaluationReport& report, const std::vector<std::string>& given,
                          const std::string& wanted) {
  const std::string name = wanted.empty() ? "popularity" : wanted;
  for (std::size_t i = 0; i < given.size(); ++i) {
    if (given[i] == name || report.models[i].spec == name) return i;
  }
  for (std::size_t i = 0; i < report.models.size(); ++i) {
    if (report.models[i].spec.substr(0, report.models[i].spec.find(':')) == name) return i;
  }
  if (!wanted.empty()) throw ConfigError("--baseline '" + wanted + "' is not one of the evaluated models");
  return 0;
}

std::string interval_text(const stats::Interval& i) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f [%.4f, %.4f]", i.mean, i.lo, i.hi);
  return buf;
}

// --protocol next-item: session files given as --train and --test (docs/EVALUATION.md of the
// repository: the session-based protocol). Prints one row per model; --out writes report.md.
void run_next_item(const EvaluateFlags& flags, const Config& config, std::vector<std::string> specs,
                   const std::vector<std::size_t>& ks) {
  const DataFlags& d = flags.data;
  if (d.train.empty() || d.test.empty()) {
    throw ConfigError("--protocol next-item needs --train and --test (session files, e.g. --format sessions)");
  }
  if (!d.store.empty() || !d.events.empty())
    throw ConfigError("--protocol next-item reads --train/--test, not --store/--events");
  if (flags.sampled || flags.repeats) throw ConfigError("--sampled and --repeats do not apply to --protocol next-item");
  ReadOptions options = config.read_options();
  options.strict = true;  // an evaluation on part of the files would be a silent partial result
  RunContext run = options.context;
  if (d.threads >= 0) run = RunContext(d.threads, run.seed);
  if (d.seed >= 0) run.seed = static_cast<std::uint64_t>(d.seed);
  EventLog train_log, test_log;
  read_files(d.format, std::vector<std::string>{d.train}, options, train_log);
  read_files(d.format, std::vector<std::string>{d.test}, options, test_log);
  SequenceOptions sequence_options = config.sequence_options();  // interactions.session_gap_seconds
  sequence_options.seed = run.seed;
  sequence_options.ties_in_log_order = d.format == "sessions";  // sorted with sub-second times
  const Sequences train_sequences = build_sequences(train_log, sequence_options);
  const NextItemTest test =
      make_next_item_test(build_sequences(test_log, sequence_options), test_log.items, train_log.items);
  if (test.targets.empty()) throw InputError(d.test + ": no test sequence has two events: nothing to predict");
  const Interactions pairs = pairs_of(train_log, config);
  if (specs.empty()) specs = {"popularity", default_spec(config, pairs.num_items)};

  std::string table = "next-item on " + d.test + " (trained on " + d.train + "): " + std::to_string(test.sessions) +
                      " test sessions, " + std::to_string(test.targets.size()) + " predictions, " +
                      std::to_string(test.unknown_targets) +
                      " targets unknown to training (misses); items already in the session stay eligible; " +
                      std::to_string(run.threads()) + " threads; 95% bootstrap intervals over predictions\n\n";
  table += "| model |";
  for (std::size_t k : ks) table += " HR@" + std::to_string(k) + " | MRR@" + std::to_string(k) + " |";
  table += " fit s | predictions/s |\n|---|";
  for (std::size_t i = 0; i < ks.size(); ++i) table += "---|---|";
  table += "---|---|\n";
  for (const std::string& spec : specs) {
    FitContext context;
    context.run = run;
    const auto start = std::chrono::steady_clock::now();
    const TrainedModel model =
        train_model(spec, pairs, train_log.catalog, train_log.users, train_log.items, context, 0, &train_sequences);
    const double fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const NextItemResult r = evaluate_next_item(model, test, ks, run);
    const auto intervals =
        stats::bootstrap(r.per_prediction.values, r.per_prediction.names.size(), flags.resamples, 0.95, run.seed);
    table += "| " + model.spec() + " |";
    for (const stats::Interval& i : intervals) table += " " + interval_text(i) + " |";
    char tail[96];
    std::snprintf(tail, sizeof tail, " %.2f | %.0f |\n", fit_seconds,
                  static_cast<double>(test.targets.size()) / std::max(r.rank_seconds, 1e-9));
    table += tail;
    std::fprintf(stderr, "evaluated %s (fit %.2f s, ranking %.2f s)\n", spec.c_str(), fit_seconds, r.rank_seconds);
  }
  std::fputs(table.c_str(), stdout);
  if (!flags.out.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(flags.out, ec);
    if (ec) throw InputError(flags.out + ": cannot create the report folder: " + ec.message());
    write_file(std::filesystem::path(flags.out) / "report.md", "# aisle evaluate\n\n" + table);
    std::printf("wrote %s/report.md\n", flags.out.c_str());
  }
}

void run_evaluate(const EvaluateFlags& flags, const GlobalOptions& global) {
  const Config config = global.load();
  std::vector<std::string> specs = split_model_list(flags.models);
  for (const std::string& spec : specs) create_model(spec);  // bad specs fail before any reading
  EvalOptions options;
  options.ks.clear();
  for (std::string_view k : split(flags.ks, ",")) options.ks.push_back(parse_k(k, "--k"));
  if (flags.resamples < 1) throw ConfigError("--resamples must be at least 1");
  if (flags.data.protocol == "next-item") return run_next_item(flags, config, std::move(specs), options.ks);
  options.sampled = flags.sampled;
  options.repeats_allowed = flags.repeats;
  const std::vector<std::uint32_t> bounds = parse_positive_list<std::uint32_t>(flags.segments, "--segments");

  if (flags.sampled && flags.data.protocol == "new-users") {
    throw ConfigError("--sampled does not apply to --protocol new-users");
  }
  DataFlags data_flags = flags.data;
  data_flags.sequences =
      std::any_of(specs.begin(), specs.end(), [](const std::string& s) { return learns_from_sequences(s); });
  EvalData data = load_eval_data(data_flags, config);
  // (report folder, test set): one, or one per history length of new-users.
  std::vector<std::pair<std::string, TestSet>> tests = std::move(data.new_user_tests);
  if (tests.empty()) {
    tests.emplace_back("", make_test_set(data.train, data.test));
    if (tests[0].second.size() == 0) {
      throw InputError("no user to evaluate: no test user has training pairs (" + data.split + ")");
    }
  }
  if (specs.empty()) specs = {"popularity", default_spec(config, data.train.num_items)};
  options.run = data.run;
  std::vector<Evaluator> evaluators;
  std::vector<EvaluationReport> reports(tests.size());
  std::vector<Segments> segments;
  for (std::size_t t = 0; t < tests.size(); ++t) {
    evaluators.emplace_back(data.train, std::move(tests[t].second), options);
    const Evaluator& evaluator = evaluators.back();
    EvaluationReport& report = reports[t];
    report.split = data.split + (tests[t].first.empty() ? "" : ", " + tests[t].first);
    report.ranking = options.protocol_label();
    report.ks = options.ks;
    report.seed = options.run.seed;
    report.threads = options.run.threads();
    report.bootstrap_resamples = flags.resamples;
    report.command = global.command_line;
    report.data = data.info;
    report.data.evaluated_users = evaluator.test().size();
    report.data.test_pairs = evaluator.test().test_pairs;
    report.data.unreachable_pairs = evaluator.test().unreachable_pairs;
    report.data.left_out = left_out_users(data.without_test, evaluator.test());
    report.data.catalog_items = evaluator.catalog_size();
    segments.push_back(segment_by_history(data.train, evaluator.test(), bounds));
    report.segment_names = segments.back().names;
    report.segment_users.assign(segments.back().names.size(), 0);
    for (std::uint8_t s : segments.back().of_user) ++report.segment_users[s];
  }

  // Each model is fitted once and evaluated on every test set.
  for (const std::string& spec : specs) {
    FitContext context;
    context.run = data.run;
    const auto start = std::chrono::steady_clock::now();
    const Sequences* sequences = data.sequences && learns_from_sequences(spec) ? &*data.sequences : nullptr;
    const TrainedModel model =
        train_model(spec, data.train, data.catalog, data.users, data.items, context, 0, sequences);
    const double fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (std::size_t t = 0; t < evaluators.size(); ++t) {
      const Evaluation evaluation = evaluators[t].evaluate(model);
      reports[t].models.push_back(
          summarize(model.spec(), fit_seconds, evaluation, segments[t], flags.resamples, options.run.seed));
      std::fprintf(stderr, "evaluated %s%s (fit %.2f s, ranking %.2f s)\n", spec.c_str(),
                   tests[t].first.empty() ? "" : (" on " + tests[t].first).c_str(), fit_seconds,
                   evaluation.rank_seconds);
    }
  }
  for (std::size_t t = 0; t < reports.size(); ++t) {
    EvaluationReport& report = reports[t];
    compare_with_baseline(report, find_baseline(report, specs, flags.baseline), flags.resamples, options.run.seed);
    std::fputs(to_table(report).c_str(), stdout);
    if (flags.out.empty()) continue;
    const std::filesystem::path dir = std::filesystem::path(flags.out) / tests[t].first;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw InputError(dir.string() + ": cannot create the report folder: " + ec.message());
    write_file(dir / "report.json", to_json(report));
    write_file(dir / "report.md", to_markdown(report));
    write_file(dir / "report.html", to_html(report));
    std::printf("wrote %s/report.{json,md,html}\n", dir.string().c_str());
  }
}

}  // namespace

void add_evaluate_command(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<EvaluateFlags>();
  add_data_flags(sub, flags->data, true);
  sub.add_option("--models", flags->models,
                 "model specs separated by commas (default: popularity and the default recommender)");
  sub.add_option("--k", flags->ks, "cut-offs, e.g. 10,20 (default 10)");
  sub.add_option("--baseline", flags->baseline,
                 "model the others are compared with (default: popularity, else the first model)");
  sub.add_option("--out", flags->out, "folder for report.json, report.md and report.html");
  sub.add_option("--segments", flags->segments, "user segments by training pairs: bounds, e.g. 3,10 (default)");
  sub.add_option("--resamples", flags->resamples, "bootstrap and permutation resamples (default 1000)");
  sub.add_flag("--sampled", flags->sampled, "rank test items among 100 sampled unseen items (labelled sampled-100)");
  sub.add_flag("--repeats", flags->repeats, "rank the user's training items too (repeats allowed)");
  sub.callback([flags, &global] { run_evaluate(*flags, global); });
}

}  // namespace aisle::cli
