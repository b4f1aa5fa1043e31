// The Open MPI communicator (built when CMake finds MPI; see dist/CMakeLists.txt).
#include <mpi.h>

#include <atomic>
#include <climits>
#include <vector>

#include "aisle/core/error.h"
#include "aisle/dist/communicator.h"

namespace aisle::dist {

namespace {

std::atomic<int> g_open{0};  // live communicators; MPI is finalized when it drops to zero

void check(int code, const char* what) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  throw Error(std::string("MPI: ") + what + " failed: " + std::string(text, static_cast<std::size_t>(length)));
}

class OpenMpi final : public Communicator {
 public:
  OpenMpi() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (initialized == 0) {
      int provided = 0;
      check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    }
    ++g_open;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  ~OpenMpi() override {
    if (--g_open == 0) MPI_Finalize();
  }
  OpenMpi(const OpenMpi&) = delete;
  OpenMpi& operator=(const OpenMpi&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::string describe() const override {
    char version[MPI_MAX_LIBRARY_VERSION_STRING];
    int length = 0;
    MPI_Get_library_version(version, &length);
    std::string text(version, static_cast<std::size_t>(length));
    text = text.substr(0, text.find(','));
    return text + ", " + std::to_string(size_) + " ranks";
  }
  void all_gather(std::span<const float> mine, std::span<const std::size_t> counts, std::span<float> all) override {
    gather(mine, counts, all, MPI_FLOAT);
  }
  void all_gather(std::span<const double> mine, std::span<const std::size_t> counts, std::span<double> all) override {
    gather(mine, counts, all, MPI_DOUBLE);
  }
  void all_gather(std::span<const std::byte> mine, std::span<const std::size_t> counts,
                  std::span<std::byte> all) override {
    gather(mine, counts, all, MPI_BYTE);
  }
  void all_to_all(std::span<const std::byte> send, std::span<const std::size_t> send_counts,
                  std::span<const std::size_t> recv_counts, std::span<std::byte> recv) override {
    const std::vector<int> send_offsets = offsets_of(send_counts, send.size());
    const std::vector<int> recv_offsets = offsets_of(recv_counts, recv.size());
    const std::vector<int> send_sizes = ints(send_counts), recv_sizes = ints(recv_counts);
    check(MPI_Alltoallv(send.data(), send_sizes.data(), send_offsets.data(), MPI_BYTE, recv.data(), recv_sizes.data(),
                        recv_offsets.data(), MPI_BYTE, MPI_COMM_WORLD),
          "MPI_Alltoallv");
    const auto me = static_cast<std::size_t>(rank_);
    bytes_moved_ += (send.size() - send_counts[me]) + (recv.size() - recv_counts[me]);
  }

 private:
  template <typename T>
  void gather(std::span<const T> mine, std::span<const std::size_t> counts, std::span<T> all, MPI_Datatype type) {
    AISLE_CHECK(counts.size() == static_cast<std::size_t>(size_) &&
                counts[static_cast<std::size_t>(rank_)] == mine.size());
    std::vector<int> sizes(counts.size()), offsets(counts.size());
    std::size_t total = 0;
    for (std::size_t r = 0; r < counts.size(); ++r) {
      // MPI counts are ints: a part of 2^31 elements or more would need a derived type.
      if (counts[r] > static_cast<std::size_t>(INT_MAX) || total > static_cast<std::size_t>(INT_MAX)) {
        throw Error("MPI: a part of " + std::to_string(counts[r]) + " values is beyond MPI's int counts");
      }
      sizes[r] = static_cast<int>(counts[r]);
      offsets[r] = static_cast<int>(total);
      total += counts[r];
    }
    AISLE_CHECK(total == all.size());
    check(MPI_Allgatherv(mine.data(), static_cast<int>(mine.size()), type, all.data(), sizes.data(), offsets.data(),
                         type, MPI_COMM_WORLD),
          "MPI_Allgatherv");
    bytes_moved_ += (mine.size() * static_cast<std::size_t>(size_ - 1) + (total - mine.size())) * sizeof(T);
  }

  // MPI counts and offsets are ints: a part of 2^31 bytes or more would need a derived type.
  static int as_int(std::size_t n) {
    if (n > static_cast<std::size_t>(INT_MAX)) {
      throw Error("MPI: " + std::to_string(n) + " bytes in one exchange are beyond MPI's int counts");
    }
    return static_cast<int>(n);
  }
  std::vector<int> ints(std::span<const std::size_t> counts) const {
    AISLE_CHECK(counts.size() == static_cast<std::size_t>(size_));
    std::vector<int> out(counts.size());
    for (std::size_t r = 0; r < counts.size(); ++r) out[r] = as_int(counts[r]);
    return out;
  }
  std::vector<int> offsets_of(std::span<const std::size_t> counts, std::size_t total) const {
    AISLE_CHECK(counts.size() == static_cast<std::size_t>(size_));
    std::vector<int> out(counts.size());
    std::size_t at = 0;
    for (std::size_t r = 0; r < counts.size(); ++r) {
      out[r] = as_int(at);
      at += counts[r];
    }
    AISLE_CHECK(at == total);
    return out;
  }

  int rank_ = 0;
  int size_ = 1;
};

}  // namespace

bool have_mpi() {
  return true;
}

std::unique_ptr<Communicator> open_mpi() {
  return std::make_unique<OpenMpi>();
}

}  // namespace aisle::dist
