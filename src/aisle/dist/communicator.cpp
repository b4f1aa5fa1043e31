#include "aisle/dist/communicator.h"

#include <algorithm>
#include <cstdint>

#include "aisle/core/error.h"

namespace aisle::dist {

namespace {

class SingleProcess final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::string describe() const override { return "single process"; }
  void all_gather(std::span<const float> mine, std::span<const std::size_t> counts, std::span<float> all) override {
    copy(mine, counts, all);
  }
  void all_gather(std::span<const double> mine, std::span<const std::size_t> counts, std::span<double> all) override {
    copy(mine, counts, all);
  }
  void all_gather(std::span<const std::byte> mine, std::span<const std::size_t> counts,
                  std::span<std::byte> all) override {
    copy(mine, counts, all);
  }
  void all_to_all(std::span<const std::byte> send, std::span<const std::size_t> send_counts,
                  std::span<const std::size_t> recv_counts, std::span<std::byte> recv) override {
    AISLE_CHECK(recv_counts.size() == 1 && recv_counts[0] == send_counts[0]);
    copy(send, send_counts, recv);
  }

 private:
  template <typename T>
  static void copy(std::span<const T> mine, std::span<const std::size_t> counts, std::span<T> all) {
    AISLE_CHECK(counts.size() == 1 && counts[0] == mine.size() && all.size() == mine.size());
    std::copy(mine.begin(), mine.end(), all.begin());
  }
};

}  // namespace

void all_reduce_sum(Communicator& comm, std::span<double> values) {
  const auto ranks = static_cast<std::size_t>(comm.size());
  std::vector<std::size_t> counts(ranks, values.size());
  std::vector<double> parts(values.size() * ranks);
  comm.all_gather(values, counts, parts);
  for (std::size_t j = 0; j < values.size(); ++j) {
    double sum = parts[j];
    for (std::size_t r = 1; r < ranks; ++r) sum += parts[r * values.size() + j];
    values[j] = sum;
  }
}

int count_failed(Communicator& comm, bool failed) {
  double count = failed ? 1.0 : 0.0;
  all_reduce_sum(comm, std::span(&count, 1));
  return static_cast<int>(count);
}

std::vector<std::size_t> exchange_counts(Communicator& comm, std::span<const std::size_t> send_counts) {
  const auto ranks = static_cast<std::size_t>(comm.size());
  AISLE_CHECK(send_counts.size() == ranks);
  std::vector<std::uint64_t> sizes(send_counts.begin(), send_counts.end()), got(ranks);
  const std::vector<std::size_t> eight(ranks, sizeof(std::uint64_t));
  comm.all_to_all(std::as_bytes(std::span<const std::uint64_t>(sizes)), eight, eight,
                  std::as_writable_bytes(std::span<std::uint64_t>(got)));
  return {got.begin(), got.end()};
}

std::vector<std::byte> exchange_bytes(Communicator& comm, std::span<const std::byte> send,
                                      std::span<const std::size_t> send_counts, std::vector<std::size_t>& recv_counts) {
  recv_counts = exchange_counts(comm, send_counts);
  std::size_t total = 0;
  for (const std::size_t n : recv_counts) total += n;
  std::vector<std::byte> recv(total);
  comm.all_to_all(send, send_counts, recv_counts, recv);
  return recv;
}

std::vector<std::byte> all_gather_bytes(Communicator& comm, std::span<const std::byte> mine,
                                        std::vector<std::size_t>& counts) {
  const auto ranks = static_cast<std::size_t>(comm.size());
  const std::uint64_t size = mine.size();
  std::vector<std::uint64_t> sizes(ranks);
  const std::vector<std::size_t> eight(ranks, sizeof(std::uint64_t));
  comm.all_gather(std::as_bytes(std::span<const std::uint64_t>(&size, 1)), eight,
                  std::as_writable_bytes(std::span<std::uint64_t>(sizes)));
  counts.assign(sizes.begin(), sizes.end());
  std::size_t total = 0;
  for (const std::size_t n : counts) total += n;
  std::vector<std::byte> all(total);
  comm.all_gather(mine, counts, all);
  return all;
}

std::unique_ptr<Communicator> single_process() {
  return std::make_unique<SingleProcess>();
}

}  // namespace aisle::dist
