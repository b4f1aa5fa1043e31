// Feedback that arrived while serving, by user, so that a user's next request reflects it at
// once without retraining: committed events are added here (after the store has them) and a
// request adds the user's items to the query (fold-in for factor models, the history itself for
// item models; seen items are then excluded).
//
// Each event carries the sequence number the feedback writer gave it; a snapshot trained from
// the store records the last sequence its data holds, and forget_through() drops what the model
// has learnt. Events with sequence 0 are replayed from the store when a model is put into
// service (feedback stored before this process, or by another one, that the model has not
// learnt: see ModelManager), or followed while serving (what other servers on the same store
// committed since: see StoreFollower); they are seen by every snapshot until replace_replayed()
// swaps them for the next model's. The caller keeps replace_replayed() and add_replayed() from
// adding one stored event twice (ServeState::replay). Thread safety: every method may be called from any thread
// (sharded locks).
#pragma once

#include <array>
#include <cstdint>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "aisle/core/types.h"

namespace aisle::serve {

class LiveHistory {
 public:
  // Events kept per user; beyond it the oldest quarter is dropped (a retrain learns them all).
  static constexpr std::size_t kMaxEventsPerUser = 1000;

  // Records a committed event. `weight` is the event's weight under the configured weighting
  // (negative for a removal or a low rating).
  void add(std::string_view user, std::string_view item, float weight, Timestamp time, std::uint64_t seq);

  // An event replayed from the store (sequence 0).
  struct Replayed {
    std::string user, item;
    float weight;
    Timestamp time;
  };

  // The user's items with a positive total weight over the replayed events and those after
  // `after_seq`, in the order
  // of their last event (oldest first); `removed` gets those whose total is not positive.
  std::vector<std::string> items_of(std::string_view user, std::uint64_t after_seq,
                                    std::vector<std::string>* removed = nullptr) const;

  // Forgets events with 0 < seq <= `seq` (a new snapshot's data holds them).
  void forget_through(std::uint64_t seq);
  // Drops every replayed event and adds `events` (in their order, each after the user's older
  // replayed ones and before the user's live events).
  void replace_replayed(std::span<const Replayed> events);
  // Adds replayed events after each user's events (other processes committed them just now).
  void add_replayed(std::span<const Replayed> events);

  std::size_t users() const;

 private:
  struct Entry {
    std::string item;
    float weight;
    Timestamp time;
    std::uint64_t seq;
  };
  struct Shard {
    mutable std::shared_mutex mutex;
    std::unordered_map<std::string, std::vector<Entry>> by_user;
  };
  static constexpr std::size_t kShards = 16;
  static std::size_t shard_index(std::string_view user);
  Shard& shard_of(std::string_view user);
  const Shard& shard_of(std::string_view user) const;

  std::array<Shard, kShards> shards_;
};

}  // namespace aisle::serve
