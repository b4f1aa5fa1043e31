#include "aisle/dist/communicator.h"

#include <algorithm>

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

std::unique_ptr<Communicator> single_process() {
  return std::make_unique<SingleProcess>();
}

}  // namespace aisle::dist
