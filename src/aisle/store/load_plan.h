// The backend-independent part of a load: merging a log's id maps into the store's, numbering
// repeated events, and laying out the rows both backends write. Pure computation.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "aisle/core/run_context.h"
#include "aisle/data/event_log.h"

namespace aisle {

// The store's id maps as they are before the load.
struct StoreIds {
  IdMap users, items, sessions, event_types, categories;
};

// Reads every id table of a store (schema::kIdTables) through the backend's `read_table`, which
// calls `add(idx, external_id)` for each row in idx order. Throws StoreError naming url and
// table when a table's indices are not 0, 1, 2, ...
using IdRowSink = std::function<void(std::uint64_t idx, std::string_view external_id)>;
StoreIds read_store_ids(const std::string& url,
                        const std::function<void(std::string_view table, const IdRowSink& add)>& read_table);
// Moves the user, item, session and event-type maps into log (categories go to its catalog).
void move_ids_into(StoreIds& ids, EventLog& log);

struct NewId {
  std::uint32_t idx;
  std::string external_id;
};

struct PlannedEvent {
  Event event;  // with store indices
  std::uint32_t occurrence = 0;
};

struct PlannedCategory {
  CategoryIdx idx;
  std::string external_id;
  CategoryIdx parent;  // kNoIndex at a root
  std::string name;
};

struct PlannedItem {
  ItemIdx idx;                          // store index
  const ItemInfo* info;                 // points into the log's catalog
  std::vector<CategoryIdx> categories;  // store indices
};

struct LoadPlan {
  std::vector<NewId> new_users, new_items, new_sessions, new_event_types;
  std::vector<PlannedCategory> categories;  // every category the log mentions (upserted)
  std::vector<PlannedItem> items;           // every item with catalog facts (upserted)
  std::vector<PlannedEvent> events;         // sorted by key (user, item, type, time, occurrence)
};

// `ids` is extended in place with the log's new external ids.
LoadPlan plan_load(const EventLog& log, StoreIds& ids);

// Reports store progress every 64k events written, and once at the end.
class LoadProgress {
 public:
  LoadProgress(const RunContext& context, std::uint64_t total) : progress_(context.progress), total_(total) {}
  void written(std::uint64_t done) const {
    if (progress_ != nullptr && ((done & 0xFFFF) == 0 || done == total_)) progress_->update("store", done, 0, 0);
  }
  void finish() const {
    if (progress_ != nullptr) progress_->finish();
  }

 private:
  Progress* progress_;
  std::uint64_t total_;
};

// ItemInfo attributes as JSON text ("" for none), and back.
std::string attributes_to_json(const ItemInfo& info);
void attributes_from_json(const std::string& text, ItemInfo& info);

}  // namespace aisle
