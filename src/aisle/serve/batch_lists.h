// Lists from the store's recommendation batches (docs/STORE.md, "Recommendation batches"), for
// GET /api/users/{id}/recommendations?source=batch: what `aisle batch` computed ahead of
// requests, read from the newest complete batch (or a named one) when asked.
//
// Thread safety: lookups may come from any request thread; they share one store connection,
// opened on the first lookup, one lookup at a time (a mutex). A lookup that fails with a
// StoreError drops the connection, so the next one opens a fresh one.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "aisle/store/event_store.h"

namespace aisle::serve {

class BatchLists {
 public:
  explicit BatchLists(std::string store_url) : store_url_(std::move(store_url)) {}
  // EventStore::stored_recommendations: nullopt when no (such) complete batch is stored.
  std::optional<StoredList> find(std::string_view user, std::string_view version);

 private:
  std::string store_url_;
  std::mutex mutex_;  // guards store_
  std::unique_ptr<EventStore> store_;
};

}  // namespace aisle::serve
