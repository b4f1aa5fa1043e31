// Run under mpirun (tests/CMakeLists.txt registers it with 1, 2 and 3 ranks over loopback TCP):
// checks the Open MPI communicator's collectives, then that an ALS fit across the ranks gives the
// same factors, bit for bit, on every rank as a fit in one process with the same seed.
// Exit status 0 when every check passed on this rank; each failure is printed with the rank.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "aisle/data/catalog.h"
#include "aisle/dist/communicator.h"
#include "aisle/models/als/als.h"
#include "aisle/models/item_facts.h"
#include "models/model_test_data.h"

namespace aisle {
namespace {

int g_failures = 0;

void expect(bool ok, int rank, const std::string& what) {
  if (ok) return;
  std::fprintf(stderr, "rank %d: FAILED: %s\n", rank, what.c_str());
  ++g_failures;
}

void check_collectives(dist::Communicator& comm) {
  const int rank = comm.rank(), size = comm.size();
  // Rank r contributes r + 1 values r, r + 0.5, ...: the gather is their concatenation.
  std::vector<std::size_t> counts;
  std::vector<float> expected;
  for (int r = 0; r < size; ++r) {
    counts.push_back(static_cast<std::size_t>(r) + 1);
    for (int k = 0; k <= r; ++k) expected.push_back(static_cast<float>(r) + 0.5f * static_cast<float>(k));
  }
  std::vector<float> mine(expected.begin() + static_cast<std::ptrdiff_t>(rank * (rank + 1) / 2),
                          expected.begin() + static_cast<std::ptrdiff_t>((rank + 1) * (rank + 2) / 2));
  std::vector<float> all(expected.size());
  comm.all_gather(mine, counts, all);
  expect(all == expected, rank, "all_gather concatenates the parts in rank order");
  // Sum of (r + 1) over the ranks, and of 0.1 (r + 1): summed in rank order on every rank.
  std::vector<double> values{static_cast<double>(rank + 1), 0.1 * (rank + 1)};
  dist::all_reduce_sum(comm, values);
  double ordered = 0.0;
  for (int r = 0; r < size; ++r) ordered += 0.1 * (r + 1);
  expect(values[0] == size * (size + 1) / 2.0, rank, "all_reduce_sum adds every rank's values");
  expect(values[1] == ordered, rank, "all_reduce_sum adds in rank order");
}

Als fit_als(const Interactions& pairs, dist::Communicator* comm) {
  Als model(AlsParams::schema().parse("factors=32,iterations=4,cg_steps=3,regularization=0.05,alpha=2"));
  Catalog catalog;
  const ItemFacts facts = ItemFacts::from_catalog(catalog, pairs.num_items);
  FitContext context;
  context.run = RunContext(1, 7);
  context.communicator = comm;
  model.fit(TrainSet{pairs, facts, catalog}, context);
  return model;
}

void check_als(dist::Communicator& comm) {
  const int rank = comm.rank();
  // 3,000 users x 800 items, skewed: the ranks' shares of rows differ in length.
  const Interactions pairs = testing::skewed_pairs(3000, 800, 11, 40, 2.0);
  const std::size_t before = comm.bytes_moved();
  const Als distributed = fit_als(pairs, &comm);
  const Als alone = fit_als(pairs, nullptr);
  const auto same = [](std::span<const float> a, std::span<const float> b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
  };
  expect(same(distributed.user_factors(), alone.user_factors()), rank, "user factors equal the one-process fit");
  expect(same(distributed.item_factors(), alone.item_factors()), rank, "item factors equal the one-process fit");
  const auto users = distributed.user_factors();
  expect(std::any_of(users.begin(), users.end(), [](float v) { return v != 0.0f; }), rank, "the fit moved");
  if (comm.size() > 1) expect(comm.bytes_moved() > before, rank, "factors went through the communicator");
  std::printf("rank %d of %d: %s; %zu bytes moved\n", rank, comm.size(), g_failures == 0 ? "ok" : "FAILED",
              comm.bytes_moved() - before);
}

}  // namespace
}  // namespace aisle

int main() {
  const std::unique_ptr<aisle::dist::Communicator> comm = aisle::dist::open_mpi();
  aisle::check_collectives(*comm);
  aisle::check_als(*comm);
  return aisle::g_failures == 0 ? 0 : 1;
}
