#include "aisle/serve/snapshot.h"

#include <algorithm>
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
  // In blocks of users, so that a cancelled run stops within one block.
  constexpr UserIdx kBlock = 8192;
  TopListCache cache;
  const UserIdx users = model.history().num_users();
  cache.lists.reserve(users);
  std::vector<Query> queries;
  for (UserIdx first = 0; first < users; first += kBlock) {
    run.check_cancelled();
    queries.assign(std::min(kBlock, users - first), Query{});
    for (UserIdx q = 0; q < queries.size(); ++q) queries[q].user = first + q;
    for (auto& list : model.recommend(queries, Filter{}, depth, run)) cache.lists.push_back(std::move(list));
  }
  cache.depth = depth;
  return cache;
}

}  // namespace aisle::serve
