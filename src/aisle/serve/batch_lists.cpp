#include "aisle/serve/batch_lists.h"

#include "aisle/core/error.h"

namespace aisle::serve {

std::optional<StoredList> BatchLists::find(std::string_view user, std::string_view version) {
  const std::lock_guard lock(mutex_);
  try {
    if (!store_) store_ = open_store(store_url_, OpenMode::kExisting);
    return store_->stored_recommendations(user, version);
  } catch (const StoreError&) {
    store_.reset();
    throw;
  }
}

}  // namespace aisle::serve
