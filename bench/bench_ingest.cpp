// Parse + map + aggregate throughput: reads FILES of FORMAT into an EventLog (parsing, id
// mapping, validation), then aggregates user-item pairs and builds the CSR confidence matrix.
// Prints one line per stage and the process's peak resident memory. Threads: AISLE_THREADS
// (default 1); with 2, files are read and decompressed on a second thread (read_ahead).
//   bench_ingest FORMAT FILES...        (e.g. bench_ingest online-retail online-retail.csv)
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "aisle/data/interactions.h"
#include "aisle/data/readers/reader.h"
#include "aisle/data/sparse_matrix.h"
#include "bench_util.h"

using aisle::bench::seconds_since;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_ingest FORMAT FILES...\n");
    return 2;
  }
  const std::vector<std::string> files(argv + 2, argv + argc);
  aisle::ReadOptions options;
  if (const char* t = std::getenv("AISLE_THREADS")) options.context = aisle::RunContext(std::atoi(t));
  aisle::EventLog log;
  const auto t0 = std::chrono::steady_clock::now();
  const aisle::ReadReport report = aisle::read_files(argv[1], files, options, log);
  const double parse_s = seconds_since(t0);
  const auto t1 = std::chrono::steady_clock::now();
  const aisle::Interactions pairs =
      aisle::aggregate(log.events, options.weighting.resolve(log.event_types), log.users.size(), log.items.size());
  const aisle::CsrMatrix m = aisle::confidence_matrix(pairs, aisle::Transform::kNone);
  const double agg_s = seconds_since(t1);
  const double total_s = parse_s + agg_s;
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  const double rows = static_cast<double>(report.rows_read);
  std::printf("threads %d; ", options.context.threads());
  std::printf("format %s: %llu rows, %.1f MB, %zu events, %u users, %u items, %zu pairs, %zu nonzeros\n", argv[1],
              static_cast<unsigned long long>(report.rows_read), static_cast<double>(report.bytes_read) / 1e6,
              log.events.size(), log.users.size(), log.items.size(), pairs.num_pairs(), m.nnz());
  std::printf("parse+map        %.3f s  %.2f M rows/s  %.0f MB/s\n", parse_s, rows / parse_s / 1e6,
              static_cast<double>(report.bytes_read) / parse_s / 1e6);
  std::printf("aggregate+csr    %.3f s\n", agg_s);
  std::printf("total            %.3f s  %.2f M rows/s\n", total_s, rows / total_s / 1e6);
  std::printf("peak rss         %.1f MB\n", static_cast<double>(ru.ru_maxrss) / 1024.0);
  return 0;
}
