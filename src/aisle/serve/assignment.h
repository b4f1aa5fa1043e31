// Deterministic, sticky assignment of visitors to experiments and arms (docs/EXPERIMENTS.md).
//
// A visitor id is hashed with a key into one of kBuckets buckets, and a bucket goes to one of
// several weighted candidates by weighted rendezvous hashing: each candidate draws an exponential
// "arrival time" from a hash of (key, its name, the bucket) divided by its weight, and the first
// to arrive wins. A candidate wins a share of the buckets equal to its share of the weights, and
// changing one candidate's weight moves buckets only to or from that candidate: the visitors of
// the other arms stay where they were.
//
// Layers: the experiments of one layer split the layer's buckets between them (with the share no
// experiment takes left to none), so they never share a visitor; layers hash with their own keys,
// so experiments of different layers are independent. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aisle/config/experiments.h"

namespace aisle::serve {

inline constexpr std::uint32_t kBuckets = 10000;

// A stable 64-bit hash of the parts (FNV-1a over each part and a separator, then a 64-bit
// finalizer); the same on every machine and build.
std::uint64_t stable_hash(std::initializer_list<std::string_view> parts);

std::uint32_t bucket_of(std::string_view key, std::string_view visitor);

// The candidate that wins `bucket` under `key`: an index into names/weights, or names.size()
// when every weight is 0. A weight of 0 never wins.
std::size_t rendezvous(std::string_view key, std::uint32_t bucket, std::span<const std::string> names,
                       std::span<const double> weights);

struct Assignment {
  std::size_t experiment = 0;  // index into the experiments given
  std::size_t arm = 0;         // index into its arms
  std::uint32_t bucket = 0;    // the visitor's bucket under the experiment's salt
};

// The visitor's experiment in each layer (at most one per layer), in the order of `experiments`.
// Every defined experiment takes part, running or not, so that stopping one never moves its
// visitors into another; the caller drops the experiments that are not running.
std::vector<Assignment> assign_visitor(std::span<const ExperimentSpec> experiments, std::string_view visitor);

}  // namespace aisle::serve
