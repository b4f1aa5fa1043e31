// What the server answers from: an immutable snapshot (a TrainedModel with what the server adds
// to it: where it came from, its version, the live feedback already in its data, the top lists
// cached for known users, and the approximate index when serve.ann asks for one), and the holder
// that swaps snapshots atomically.
//
// Thread safety: a Snapshot is immutable once published; any number of request threads read it
// at once. SnapshotHolder::current() and publish() may be called from any thread: a request that
// took a snapshot keeps it alive (shared ownership) until it finishes, so a swap never fails or
// changes a request in flight.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aisle/models/hnsw_index.h"
#include "aisle/models/trained_model.h"

namespace aisle::serve {

// Per known user (index of the snapshot's model), the top `depth` items under the default
// filter (seen items excluded), best first. Empty when not computed.
struct TopListCache {
  std::size_t depth = 0;
  std::vector<std::vector<Scored>> lists;  // empty, or one per user
};

struct Snapshot {
  std::shared_ptr<const TrainedModel> model;
  std::string spec;                    // kind:params
  std::string source;                  // the model file, "trained from <store>" or "published version N in <store>"
  std::int64_t store_version = 0;      // the published version it is (EventStore::publish_model); 0: none
  std::uint64_t version = 0;           // 1, 2, ... per publish in this process
  std::int64_t loaded_at = 0;          // unix seconds
  std::uint64_t feedback_through = 0;  // live feedback with a sequence number up to this is in the model's data
  TopListCache cache;
  std::shared_ptr<const HnswIndex> ann;  // of `model`; null: answers are exact
};

class SnapshotHolder {
 public:
  // The snapshot serving now; null before the first publish.
  std::shared_ptr<const Snapshot> current() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  // Makes `next` current, giving it the next version number; returns that number.
  std::uint64_t publish(std::shared_ptr<Snapshot> next);
  // Gives the snapshot of `version` its top-list cache, when it is still the one in service
  // (a copy sharing the model; version and time unchanged). False when it was replaced.
  bool attach_cache(std::uint64_t version, TopListCache cache);
  // The same for its approximate index (the copy shares the model and copies the cache).
  bool attach_index(std::uint64_t version, std::shared_ptr<const HnswIndex> index);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> current_;
  std::uint64_t version_ = 0;
};

// Top lists for every known user with a history, `depth` deep, through the batch path. Throws
// Cancelled when the run is cancelled.
TopListCache build_top_list_cache(const TrainedModel& model, std::size_t depth, const RunContext& run);

}  // namespace aisle::serve
