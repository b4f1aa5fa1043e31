// The backend-independent part of an append: checking live events, resolving their external ids
// through the id cache a store object keeps between appends, and laying out the rows both
// backends write. Pure computation.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aisle/store/event_store.h"
#include "aisle/store/load_plan.h"

namespace aisle {

// The user, item, session and event-type maps of a store, as a store object caches them for
// append(). Always a prefix of the id tables (ids are never renumbered or removed), so it is
// brought up to date by reading the rows with idx >= size() (catch_up).
struct IdCache {
  IdMap users, items, sessions, event_types;
};

// The id tables behind IdCache's members, with a pointer to each member.
struct CachedTable {
  std::string_view table;
  IdMap IdCache::*map;
};
inline constexpr CachedTable kCachedTables[] = {{"users", &IdCache::users},
                                                {"items", &IdCache::items},
                                                {"sessions", &IdCache::sessions},
                                                {"event_types", &IdCache::event_types}};

// Adds one stored row (idx, external_id) of `table` to `map`; rows come in idx order from
// map.size() on. Throws StoreError naming url and table when idx is not the next index.
void catch_up(IdMap& map, std::uint64_t idx, std::string_view external_id, const std::string& url,
              std::string_view table);

struct AppendPlan {
  std::vector<NewId> new_users, new_items, new_sessions, new_event_types;
  std::vector<Event> events;  // store indices, in call order
};

// What is wrong with an id the store would keep ("is empty", "'x' holds a NUL byte", "'x' is not
// valid UTF-8"), or nothing. Callers prefix where the id was: feedback events and impressions.
std::optional<std::string> id_problem(std::string_view id);

// Throws InputError naming the event (its position in the call) and field when an event has an
// empty user, item or type, an id that is not valid UTF-8 or holds a NUL byte, or an infinite
// quantity, value or weight.
void check_live_events(std::span<const LiveEvent> events);

// The queries behind EventStore::feedback_since, the same on both backends: the ids of the
// qualifying runs (asked first: most of the time there is none, and the events are not scanned),
// and their events with columns user, item, type, session (NULL: none), ts, quantity, value,
// weight, in the contract's order.
std::string feedback_runs_sql(Timestamp since, std::int64_t skip_run);
std::string feedback_events_sql(Timestamp since, std::int64_t skip_run);
// EventStore::feedback_after's events: the feedback log's rows in (after, through] except
// skip_run's, with the columns of feedback_events_sql, in log order.
std::string feedback_after_sql(std::int64_t after, std::int64_t through, std::int64_t skip_run);
// The number of events stored (StorePart::events_stored): loads and appends add theirs to their
// run's events_added in the transaction that inserts them.
inline constexpr const char* kEventsStoredSql = "SELECT COALESCE(SUM(events_added), 0) FROM ingestion_runs";
inline constexpr const char* kFeedbackLogEndSql = "SELECT COALESCE(MAX(seq), 0) FROM feedback_log";

// `ids` is extended in place with the events' new external ids (checked events only).
AppendPlan plan_append(std::span<const LiveEvent> events, IdCache& ids);

}  // namespace aisle
