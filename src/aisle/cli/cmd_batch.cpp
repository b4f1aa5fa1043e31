// aisle batch [--model model.bin] [--store URL] [--k 20] [--batch-version V] [--available-only]
//             [--threads N] [--distributed]
// Recommends for every user of a model and writes the lists to the store as one batch
// (app/batch_recommendations.h), which servers answer from once it is complete
// (GET /api/users/{id}/recommendations?source=batch). The batch's version is the model file's
// CRC-32 unless --batch-version names it; writing a version again replaces that batch.
//
// Under mpirun with --distributed, rank r of N takes the r-th contiguous block of the users
// (app/batch_recommendations.h: user_share), computes its lists on its own threads and writes
// them to the store over its own connection. Rank 0 begins the batch before any rank writes and
// completes it after every rank has written its share; the ranks agree on each step
// (dist::count_failed), so a failure on any rank leaves the batch incomplete, never served, and
// every rank exits with an error.
#include <chrono>
#include <cstdio>
#include <exception>

#include "aisle/app/batch_recommendations.h"
#include "aisle/app/training_data.h"
#include "aisle/cli/command.h"
#include "aisle/cli/progress_bar.h"
#include "aisle/core/error.h"
#include "aisle/dist/communicator.h"
#include "aisle/models/model_file.h"

namespace aisle::cli {

namespace {

struct BatchFlags {
  std::string model, store, version, k = "20";
  bool available_only = false, distributed = false;
  int threads = -1;
};

// Under --distributed: the job's communicator, with standard output silenced on ranks other than
// 0 (rank 0 alone reports). Otherwise the one-rank communicator.
std::unique_ptr<dist::Communicator> join_ranks(bool distributed) {
  if (!distributed) return dist::single_process();
  std::unique_ptr<dist::Communicator> comm = dist::open_mpi();
  if (comm->rank() != 0 && std::freopen("/dev/null", "w", stdout) == nullptr) {
    throw Error("rank " + std::to_string(comm->rank()) + ": cannot silence standard output");
  }
  std::printf("distributed batch: %s\n", comm->describe().c_str());
  return comm;
}

// Runs `step` on this rank (when `mine`), then waits for every rank: a rank whose step threw
// rethrows it; the others throw an Error naming how many ranks failed and what was left undone.
template <typename Step>
void on_every_rank(dist::Communicator& comm, bool mine, const char* what, const std::string& version, Step step) {
  std::exception_ptr failure;
  if (mine) {
    try {
      step();
    } catch (...) {
      failure = std::current_exception();
    }
  }
  const int failed = dist::count_failed(comm, failure != nullptr);
  if (failure) std::rethrow_exception(failure);
  if (failed > 0) {
    throw Error(std::to_string(failed) + " of " + std::to_string(comm.size()) + " ranks failed to " + what +
                "; batch '" + version + "' is not complete and is not served");
  }
}

void run_batch(const BatchFlags& flags, const GlobalOptions& global) {
  const Config config = global.load();
  ItemRequest shared;
  shared.k = parse_k(flags.k, "--k");  // a bad --k fails before MPI starts or the model is read
  shared.available_only = flags.available_only;
  RunContext run = config.read_options().context;
  if (flags.threads >= 0) run = RunContext(flags.threads, run.seed);
  const std::string path = flags.model.empty() ? config.model_path : flags.model;
  const std::string url = store_url(flags.store, config);

  const std::unique_ptr<dist::Communicator> comm = join_ranks(flags.distributed);
  const bool lead = comm->rank() == 0;
  const auto start = std::chrono::steady_clock::now();
  const TrainedModel model = load_model(path);
  const std::string version = flags.version.empty() ? model_file_version(path) : flags.version;
  const std::unique_ptr<EventStore> store = open_store(url, OpenMode::kExisting);

  on_every_rank(*comm, lead, "begin the batch", version, [&] {
    RecommendationBatch batch;
    batch.version = version;
    batch.model = model.spec();
    batch.k = static_cast<std::uint32_t>(shared.k);
    store->begin_recommendations(batch);
  });
  ProgressBar progress;
  if (lead) run.progress = &progress;
  const UserRange share = user_share(model.users().size(), comm->rank(), comm->size());
  BatchWritten written;
  on_every_rank(*comm, true, "write their lists", version,
                [&] { written = write_batch_share(model, *store, version, share, shared, run); });
  progress.finish();
  RecommendationBatch done;
  on_every_rank(*comm, lead, "complete the batch", version, [&] { done = store->complete_recommendations(version); });
  if (!lead) return;
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "batch %s: %llu users' lists, %llu rows (k = %zu, %s) in %.2f s: %.0f users/s, %.0f rows/s (%d "
      "rank%s, %d thread%s each); complete in %s\n",
      version.c_str(), static_cast<unsigned long long>(done.users), static_cast<unsigned long long>(done.row_count),
      shared.k, done.model.c_str(), secs, static_cast<double>(model.users().size()) / secs,
      static_cast<double>(done.row_count) / secs, comm->size(), comm->size() == 1 ? "" : "s", run.threads(),
      run.threads() == 1 ? "" : "s", url.c_str());
}

}  // namespace

void add_batch_command(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<BatchFlags>();
  sub.add_option("--model", flags->model, "model file written by aisle train (default: model.path of the config)");
  sub.add_option("--store", flags->store, "store URL to write the batch to (default: store.url of the config)");
  sub.add_option("--k", flags->k, "items per user, 1 to 10000 (default 20)");
  sub.add_option("--batch-version", flags->version,
                 "the batch's version (default: the model file's CRC-32 in hex); an existing batch of that "
                 "version is replaced");
  sub.add_flag("--available-only", flags->available_only, "leave out items the catalog marks unavailable");
  sub.add_option("--threads", flags->threads,
                 "threads per process (default: run.threads of the config; 0 = one per core)");
  sub.add_flag("--distributed", flags->distributed,
               "split the users across the ranks of an MPI job: mpirun -np N aisle batch --distributed ...; "
               "each rank writes its share, rank 0 completes the batch");
  sub.callback([flags, &global] { run_batch(*flags, global); });
}

}  // namespace aisle::cli
