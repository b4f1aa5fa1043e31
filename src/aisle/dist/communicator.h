// How the ranks of a distributed fit talk: a small interface over an existing runtime (Open MPI),
// with a single-process implementation so that every fit runs the same code with one rank or many.
//
// Collectives are called by every rank in the same order with the same sizes (MPI's rule). Results
// are identical on every rank and do not depend on the transport: reductions are done by gathering
// the parts and summing them in a fixed order on each rank, never by the runtime's own reduction,
// whose order is unspecified.
//
// Thread safety: one thread per rank calls the collectives (MPI is initialized for
// MPI_THREAD_FUNNELED); the fit's worker threads never do.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace aisle::dist {

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // What the runtime is ("single process", "Open MPI 4.1.4, 3 ranks"), for logs.
  virtual std::string describe() const = 0;

  // Concatenates every rank's `mine` in rank order into `all`; counts[r] is rank r's length and
  // all.size() their sum (known to every rank beforehand).
  virtual void all_gather(std::span<const float> mine, std::span<const std::size_t> counts, std::span<float> all) = 0;
  virtual void all_gather(std::span<const double> mine, std::span<const std::size_t> counts, std::span<double> all) = 0;
  virtual void all_gather(std::span<const std::byte> mine, std::span<const std::size_t> counts,
                          std::span<std::byte> all) = 0;

  // Personalized exchange: this rank sends send[offset(r), offset(r) + send_counts[r]) to rank r
  // (offsets are the running sums of send_counts) and receives rank r's bytes for it at the
  // running sums of recv_counts in `recv`, in rank order. recv_counts[r] must equal what rank r
  // sends here (exchange_bytes finds it out first); recv.size() is their sum.
  virtual void all_to_all(std::span<const std::byte> send, std::span<const std::size_t> send_counts,
                          std::span<const std::size_t> recv_counts, std::span<std::byte> recv) = 0;

  // Bytes this rank has sent and received through collectives so far (communication volume).
  std::size_t bytes_moved() const { return bytes_moved_; }

 protected:
  std::size_t bytes_moved_ = 0;
};

// Elementwise sum of every rank's `values`, in rank order: rank 0's + rank 1's + ...; the result
// replaces `values` on every rank.
void all_reduce_sum(Communicator& comm, std::span<double> values);

// Every rank says whether it failed; each gets back how many ranks did. No rank returns before all
// have called it: a barrier that carries the ranks' outcomes, so that a job's ranks agree whether
// to go on (a batch job completes its batch only when every rank wrote its share).
int count_failed(Communicator& comm, bool failed);

// The receive counts of an all_to_all: element r is what rank r sends here (one all_to_all of a
// count per pair of ranks).
std::vector<std::size_t> exchange_counts(Communicator& comm, std::span<const std::size_t> send_counts);

// all_to_all with the receive counts found out first (one all_to_all of a count per rank pair):
// returns the bytes every rank sent here, in rank order, and sets recv_counts[r] to rank r's part.
std::vector<std::byte> exchange_bytes(Communicator& comm, std::span<const std::byte> send,
                                      std::span<const std::size_t> send_counts, std::vector<std::size_t>& recv_counts);

// Every rank's `mine` (of any length) concatenated in rank order; counts[r] is set to rank r's
// length. One all-gather of the lengths, one of the bytes.
std::vector<std::byte> all_gather_bytes(Communicator& comm, std::span<const std::byte> mine,
                                        std::vector<std::size_t>& counts);

// The one-rank communicator: gathers copy, nothing moves.
std::unique_ptr<Communicator> single_process();

// Whether this build has the Open MPI communicator.
bool have_mpi();

// Initializes MPI (once per process) and returns the communicator of MPI_COMM_WORLD; MPI is
// finalized when the last one is destroyed. Throws Error when the build has no MPI.
std::unique_ptr<Communicator> open_mpi();

}  // namespace aisle::dist
