// Store load throughput: reads FILES of FORMAT, then loads them into a fresh store at URL and
// times load() (one transaction: id maps, catalog, events), then read() back.
//   bench_store URL FORMAT FILES...
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "aisle/data/readers/reader.h"
#include "aisle/store/event_store.h"
#include "bench_util.h"

using aisle::bench::seconds_since;

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: bench_store URL FORMAT FILES...\n");
    return 2;
  }
  const std::vector<std::string> files(argv + 3, argv + argc);
  aisle::EventLog log;
  aisle::read_files(argv[2], files, aisle::ReadOptions{}, log);
  auto store = aisle::open_store(argv[1]);
  aisle::IngestionRun run;
  run.format = argv[2];
  run.files = files;
  const auto t0 = std::chrono::steady_clock::now();
  const aisle::LoadResult r = store->load(log, run);
  const double load_s = seconds_since(t0);
  const auto t1 = std::chrono::steady_clock::now();
  const aisle::EventLog back = store->read();
  const double read_s = seconds_since(t1);
  const auto t2 = std::chrono::steady_clock::now();
  const aisle::LoadResult again = store->load(log, run);
  const double reload_s = seconds_since(t2);
  const double n = static_cast<double>(log.events.size());
  std::printf("store %s: %zu events, %u users, %u items\n", argv[1], log.events.size(), log.users.size(),
              log.items.size());
  std::printf("load (empty store)   %.3f s  %.0f k rows/s  (%llu added)\n", load_s, n / load_s / 1e3,
              static_cast<unsigned long long>(r.events_added));
  std::printf("read back            %.3f s  %.0f k rows/s  (%zu events)\n", read_s, n / read_s / 1e3,
              back.events.size());
  std::printf("reload (all known)   %.3f s  %.0f k rows/s  (%llu added)\n", reload_s, n / reload_s / 1e3,
              static_cast<unsigned long long>(again.events_added));
  return 0;
}
