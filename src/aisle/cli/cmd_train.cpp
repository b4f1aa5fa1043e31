// aisle train [--model SPEC] [--store URL | --events FILE... [--format F]] [--out model.bin] [--loss]
// Reads the interactions (from the store, or from files of any known format; the default format
// `csv` reads the exchange format user,item,weight,timestamp as is), aggregates them into pairs
// with the configured weights, fits the model and writes the model file. Without --model it
// fits the default recommender (registry.h); without --out it writes model.path of the config.
// A model that learns from the order of events (session_knn, sequential_rules) also gets the
// events as sequences (sessions by id, else split at interactions.session_gap_seconds).
// --early-stop METRIC chooses an iterative model's step count on a validation split first.
// --distributed fits als across the ranks of an MPI job (mpirun); rank 0 writes the model.
// --loss computes and prints the training loss of every iteration or epoch (not done otherwise: it costs).
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "aisle/app/distributed_data.h"
#include "aisle/app/training_data.h"
#include "aisle/cli/command.h"
#include "aisle/cli/progress_bar.h"
#include "aisle/cli/publishing.h"
#include "aisle/core/error.h"
#include "aisle/dist/communicator.h"
#include "aisle/eval/early_stop.h"
#include "aisle/eval/split.h"
#include "aisle/models/model_file.h"
#include "aisle/models/registry.h"
#include "aisle/models/trained_model.h"

namespace aisle::cli {

namespace {

struct TrainFlags {
  std::string model, store, format = "csv", out, weights, early_stop;
  int patience = 3;
  bool loss = false;
  bool distributed = false;
  bool publish = false;
  std::vector<std::string> events;
  int threads = -1;
  long long seed = -1;
};

// Early stopping: the step count is chosen on a validation split of the training pairs
// (eval/early_stop.h), then the model is fitted on all of them with that count.
std::string choose_steps(const std::string& spec, const Interactions& pairs, const Catalog& catalog,
                         const TrainFlags& flags, const RunContext& run) {
  SplitOptions split_options;
  split_options.seed = run.seed;
  const Split validation = split_pairs(pairs, split_options);
  std::printf("early stopping on %s, validation: %s of the training pairs\nstep  %s\n", flags.early_stop.c_str(),
              validation.description.c_str(), flags.early_stop.c_str());
  std::fflush(stdout);
  const EarlyStop stop = find_best_step(spec, validation.train, validation.test, catalog, flags.early_stop,
                                        flags.patience, run, [](int step, double value) {
                                          std::printf("%4d  %.6f\n", step, value);
                                          std::fflush(stdout);
                                        });
  std::printf("best: step %d, %s %.6f\n", stop.best_step, flags.early_stop.c_str(), stop.best_value);
  std::fflush(stdout);  // before the fit on all the pairs, which may take as long again
  const std::unique_ptr<Recommender> model = create_model(spec);
  return spec_with(spec, find_model(model->kind()).step_param, std::to_string(stop.best_step));
}

// The log as sequences when the model learns from order (session models), else nothing; says
// what they cost.
std::optional<Sequences> sequences_of(const std::string& spec, const EventLog& log, const DataSource& source,
                                      const Config& config, std::uint64_t seed) {
  SequenceOptions seq_options = sequence_options(source, config);
  seq_options.seed = seed;
  const auto start = std::chrono::steady_clock::now();
  std::optional<Sequences> sequences = sequences_for(spec, log, seq_options);
  if (!sequences) return sequences;
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double mib =
      static_cast<double>(sequences->items.size() * (sizeof(ItemIdx) + sizeof(Timestamp) + sizeof(EventTypeIdx)) +
                          sequences->size() * (sizeof(std::uint64_t) + sizeof(UserIdx))) /
      (1 << 20);
  std::printf("sequences: %zu sessions of %zu events (%.1f MiB, built in %.2f s; session gap %llds)\n",
              sequences->size(), sequences->items.size(), mib, secs,
              static_cast<long long>(seq_options.session_gap_seconds));
  return sequences;
}

// Under mpirun, --distributed: the communicator of the job's ranks. Each rank reads its part of the
// input and solves its rows (app/distributed_data.h, dist/communicator.h); rank 0 alone prints
// and writes the model file, the other ranks' standard output is discarded.
std::unique_ptr<dist::Communicator> join_ranks(const TrainFlags& flags, const std::string& spec) {
  if (!flags.distributed) return nullptr;
  if (create_model(spec)->kind() != "als") {
    throw ConfigError("--distributed: only als fits across ranks (asked for " + spec + ")");
  }
  if (!flags.early_stop.empty()) throw ConfigError("--distributed does not combine with --early-stop");
  std::unique_ptr<dist::Communicator> comm = dist::open_mpi();
  if (comm->rank() != 0 && std::freopen("/dev/null", "w", stdout) == nullptr) {
    throw Error("rank " + std::to_string(comm->rank()) + ": cannot silence standard output");
  }
  std::printf("distributed fit: %s\n", comm->describe().c_str());
  return comm;
}

// Peak resident memory of this process so far, in bytes.
std::uint64_t peak_rss() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // Linux: kilobytes
}

// "rank 0 12.3, rank 1 10.1" from one value per rank, scaled by 1 / unit.
std::string per_rank(const std::vector<std::uint64_t>& values, double unit) {
  std::string text;
  for (std::size_t r = 0; r < values.size(); ++r) {
    char part[64];
    std::snprintf(part, sizeof part, "%srank %zu %.1f", r == 0 ? "" : ", ", r, static_cast<double>(values[r]) / unit);
    text += part;
  }
  return text;
}

// --distributed: each rank reads its part of the input (app/distributed_data.h) and fits its rows;
// rank 0 writes the model file, which equals a one-process fit's.
void train_distributed(const TrainFlags& flags, const Config& config, const ReadOptions& options,
                       const std::string& out) {
  const std::string spec = flags.model.empty() ? config.model_spec : flags.model;
  if (spec.empty()) throw ConfigError("--distributed: name the model (--model als:...); only als fits across ranks");
  const std::unique_ptr<dist::Communicator> comm = join_ranks(flags, spec);
  const bool root = comm->rank() == 0;
  DistributedData data = load_distributed(*comm, DataSource{flags.store, flags.events, flags.format}, config, options);
  for (const std::string& note : data.notes) std::printf("note: %s\n", note.c_str());
  if (root && data.rejected_rows > 0) {
    std::fprintf(stderr, "warning: %llu rows rejected while reading (aisle ingest shows why)\n",
                 static_cast<unsigned long long>(data.rejected_rows));
  }
  std::printf(
      "input read in parts, MB per rank: %s; rank 0 read its part in %.2f s, sent ids and pairs to their "
      "owners in %.2f s\n",
      per_rank(data.rank_bytes, 1e6).c_str(), data.read_seconds, data.exchange_seconds);
  std::printf("training %s on %u users, %u items, %zu pairs (weights %s)\n", spec.c_str(), data.parts.num_users,
              data.parts.num_items, data.all_pairs.num_pairs(), config.weighting.to_string().c_str());
  ProgressBar progress;
  FitContext context;
  context.run = options.context;
  if (root) context.run.progress = &progress;
  context.communicator = comm.get();
  std::vector<FitStep> fit_log;
  if (flags.loss) context.log = &fit_log;
  const auto start = std::chrono::steady_clock::now();
  const std::optional<TrainedModel> model =
      train_model_parts(spec, data.parts, root ? &data.all_pairs : nullptr, data.catalog, std::move(data.users),
                        std::move(data.items), context, data.read_at);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  progress.finish();
  for (const FitStep& s : fit_log) {
    if (&s == fit_log.data()) std::printf("step  loss\n");
    std::printf("%4d  %-12.6g\n", s.step, s.loss);
  }
  const std::uint64_t rss = peak_rss();
  std::vector<std::uint64_t> all_rss(static_cast<std::size_t>(comm->size()));
  const std::vector<std::size_t> eight(all_rss.size(), sizeof rss);
  comm->all_gather(std::as_bytes(std::span(&rss, 1)), eight, std::as_writable_bytes(std::span(all_rss)));
  if (!root) return;
  save_model(*model, out);
  std::printf("fitted %s:%s in %.2f s (%d threads per rank, %d ranks); wrote %s\n",
              std::string(model->model().kind()).c_str(), model->model().params().c_str(), secs, context.run.threads(),
              comm->size(), out.c_str());
  std::printf("communication: %.1f MB sent and received by rank 0\n", static_cast<double>(comm->bytes_moved()) / 1e6);
  std::printf("peak memory, MiB per rank: %s\n", per_rank(all_rss, 1 << 20).c_str());
  if (flags.publish) {
    std::printf("published as version %lld\n",
                static_cast<long long>(publish_model_file(out, store_url(flags.store, config))));
  }
}

void run_train(const TrainFlags& flags, const GlobalOptions& global) {
  Config config = global.load();
  if (!flags.weights.empty()) config.weighting = Weighting::parse(flags.weights);
  ReadOptions options = config.read_options();
  if (flags.threads >= 0) options.context = RunContext(flags.threads, options.context.seed);
  if (flags.seed >= 0) options.context.seed = static_cast<std::uint64_t>(flags.seed);
  if (!flags.model.empty()) create_model(flags.model);  // a bad spec fails before any reading
  const std::string out = flags.out.empty() ? config.model_path : flags.out;
  if (flags.distributed) return train_distributed(flags, config, options, out);

  const DataSource source{flags.store, flags.events, flags.format};
  LoadedEvents loaded = load_events(source, config, options);
  if (loaded.rejected_rows > 0) {
    std::fprintf(stderr, "warning: %llu rows rejected while reading (aisle ingest shows why)\n",
                 static_cast<unsigned long long>(loaded.rejected_rows));
  }
  EventLog& log = loaded.log;
  const Interactions pairs = pairs_of(log, config);
  std::string spec = flags.model.empty() ? default_spec(config, pairs.num_items) : flags.model;
  if (!flags.early_stop.empty()) spec = choose_steps(spec, pairs, log.catalog, flags, options.context);
  std::printf("training %s on %u users, %u items, %zu pairs (weights %s)\n", spec.c_str(), pairs.num_users,
              pairs.num_items, pairs.num_pairs(), config.weighting.to_string().c_str());

  ProgressBar progress;
  FitContext context;
  context.run = options.context;
  context.run.progress = &progress;
  // The per-step loss costs time (about one CG step per ALS iteration): only when asked for.
  std::vector<FitStep> fit_log;
  if (flags.loss) context.log = &fit_log;
  const std::optional<Sequences> sequences = sequences_of(spec, log, source, config, options.context.seed);
  const auto start = std::chrono::steady_clock::now();
  const TrainedModel model = train_model(spec, pairs, log.catalog, std::move(log.users), std::move(log.items), context,
                                         loaded.read_at, sequences ? &*sequences : nullptr);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  progress.finish();
  if (!fit_log.empty()) {
    std::printf("step  loss         held-out\n");
    for (const FitStep& s : fit_log) {
      const std::string held = std::isnan(s.validation) ? "-" : std::to_string(s.validation);
      std::printf("%4d  %-12.6g %s\n", s.step, s.loss, held.c_str());
    }
  }
  save_model(model, out);
  std::printf("fitted %s:%s in %.2f s (%d threads); wrote %s\n", std::string(model.model().kind()).c_str(),
              model.model().params().c_str(), secs, context.run.threads(), out.c_str());
  if (flags.publish) {
    std::printf("published as version %lld\n",
                static_cast<long long>(publish_model_file(out, store_url(flags.store, config))));
  }
}

}  // namespace

void add_train_command(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<TrainFlags>();
  sub.add_option("--model", flags->model,
                 "model spec, e.g. als:factors=64,iterations=15 (aisle models lists them; default: the default "
                 "recommender)");
  sub.add_option("--store", flags->store, "store URL to train on (default: store.url of the config)");
  sub.add_option("--events", flags->events, "train on these files instead of the store");
  sub.add_option("--format", flags->format, "format of --events files (default csv: user,item,weight,timestamp)");
  sub.add_flag("--publish", flags->publish,
               "also store the model file in the store (--store) as its next version, for servers with "
               "serve.model_source = \"store\"");
  sub.add_option("--out", flags->out, "model file to write (default: model.path of the config)");
  sub.add_option("--weights", flags->weights, "event type weights (default: interactions.weights of the config)");
  sub.add_option("--threads", flags->threads, "threads (default: run.threads of the config; 0 = one per core)");
  sub.add_option("--seed", flags->seed, "seed (default: run.seed of the config)");
  sub.add_option("--early-stop", flags->early_stop,
                 "choose the iterations/epochs on a validation split of the training data by this metric "
                 "(e.g. ndcg@10), then fit on all of it (als, bpr, mf)");
  sub.add_flag("--loss", flags->loss,
               "compute and print the training loss after every iteration or epoch (als: costs about a "
               "conjugate-gradient step each)");
  sub.add_flag("--distributed", flags->distributed,
               "fit across the ranks of an MPI job (als only): mpirun -np N aisle train --distributed ...; "
               "rank 0 writes the model");
  sub.add_option("--patience", flags->patience, "early stopping: steps without a new best before stopping (3)");
  sub.callback([flags, &global] { run_train(*flags, global); });
}

}  // namespace aisle::cli
