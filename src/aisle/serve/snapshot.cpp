#include "aisle/serve/snapshot.h"

#include <ctime>

namespace aisle::serve {

std::uint64_t SnapshotHolder::publish(std::shared_ptr<Snapshot> next) {
  std::lock_guard lock(mutex_);
  next->version = ++version_;
  next->loaded_at = static_cast<std::int64_t>(std::time(nullptr));
  current_ = std::move(next);
  return version_;
}

bool SnapshotHolder::attach_cache(std::uint64_t version, TopListCache cache) {
  std::lock_guard lock(mutex_);
  if (!current_ || current_->version != version) return false;
  auto next = std::make_shared<Snapshot>(*current_);
  next->cache = std::move(cache);
  current_ = std::move(next);
  return true;
}

bool SnapshotHolder::attach_index(std::uint64_t version, std::shared_ptr<const HnswIndex> index) {
  std::lock_guard lock(mutex_);
  if (!current_ || current_->version != version) return false;
  auto next = std::make_shared<Snapshot>(*current_);
  next->ann = std::move(index);
  current_ = std::move(next);
  return true;
}

TopListCache build_top_list_cache(const TrainedModel& model, std::size_t depth, const RunContext& run) {
  TopListCache cache;
  const History& history = model.history();
  std::vector<Query> queries(history.num_users());
  for (UserIdx u = 0; u < history.num_users(); ++u) queries[u].user = u;
  cache.lists = model.recommend(queries, Filter{}, depth, run);
  cache.depth = depth;
  return cache;
}

}  // namespace aisle::serve
