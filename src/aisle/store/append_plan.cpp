#include "aisle/store/append_plan.h"

#include <cmath>

#include "aisle/core/error.h"
#include "aisle/core/text.h"

namespace aisle {

namespace {

void check_id(std::size_t k, const char* field, std::string_view id, bool required) {
  if (id.empty() && !required) return;
  if (auto problem = id_problem(id)) {
    throw InputError("feedback event " + std::to_string(k) + ": " + field + " " + *problem);
  }
}

void check_float(std::size_t k, const char* field, float v) {
  if (std::isinf(v)) throw InputError("feedback event " + std::to_string(k) + ": " + field + " is infinite");
}

std::uint32_t intern_new(IdMap& map, std::string_view id, std::vector<NewId>& added) {
  const std::uint32_t before = map.size();
  const std::uint32_t idx = map.intern(id);
  if (idx == before) added.push_back({idx, std::string(id)});
  return idx;
}

}  // namespace

std::optional<std::string> id_problem(std::string_view id) {
  if (id.empty()) return "is empty";
  if (id.find('\0') != std::string_view::npos) return "'" + printable(id) + "' holds a NUL byte";
  if (!is_valid_utf8(id)) return "'" + printable(id) + "' is not valid UTF-8";
  return std::nullopt;
}

void catch_up(IdMap& map, std::uint64_t idx, std::string_view external_id, const std::string& url,
              std::string_view table) {
  if (idx != map.size() || map.intern(external_id) != idx) {
    throw StoreError(url + ": table " + std::string(table) + " has gaps or repeats in idx at " + std::to_string(idx));
  }
}

void check_live_events(std::span<const LiveEvent> events) {
  for (std::size_t k = 0; k < events.size(); ++k) {
    const LiveEvent& e = events[k];
    check_id(k, "user", e.user, true);
    check_id(k, "item", e.item, true);
    check_id(k, "type", e.type, true);
    check_id(k, "session", e.session, false);
    check_float(k, "quantity", e.quantity);
    check_float(k, "value", e.value);
    check_float(k, "weight", e.weight);
  }
}

AppendPlan plan_append(std::span<const LiveEvent> events, IdCache& ids) {
  AppendPlan plan;
  plan.events.reserve(events.size());
  for (const LiveEvent& e : events) {
    Event s;
    s.user = intern_new(ids.users, e.user, plan.new_users);
    s.item = intern_new(ids.items, e.item, plan.new_items);
    s.type = intern_new(ids.event_types, e.type, plan.new_event_types);
    if (!e.session.empty()) s.session = intern_new(ids.sessions, e.session, plan.new_sessions);
    s.time = e.time;
    s.quantity = e.quantity;
    s.value = e.value;
    s.weight = e.weight;
    plan.events.push_back(s);
  }
  return plan;
}

std::string feedback_runs_sql(Timestamp since, std::int64_t skip_run) {
  return "SELECT id FROM ingestion_runs WHERE format = 'feedback' AND finished_at >= " + std::to_string(since) +
         " AND id <> " + std::to_string(skip_run);
}

std::string feedback_events_sql(Timestamp since, std::int64_t skip_run) {
  return "SELECT u.external_id, i.external_id, t.external_id, s.external_id, e.ts, e.quantity, e.value, e.weight "
         "FROM events e JOIN users u ON u.idx = e.user_idx JOIN items i ON i.idx = e.item_idx "
         "JOIN event_types t ON t.idx = e.type_idx LEFT JOIN sessions s ON s.idx = e.session_idx "
         "WHERE e.run_id IN (" +
         feedback_runs_sql(since, skip_run) + ") ORDER BY e.ts, e.run_id, e.occurrence";
}

std::string feedback_after_sql(std::int64_t after, std::int64_t through, std::int64_t skip_run) {
  return "SELECT u.external_id, i.external_id, t.external_id, s.external_id, e.ts, e.quantity, e.value, e.weight "
         "FROM feedback_log f JOIN events e ON e.user_idx = f.user_idx AND e.item_idx = f.item_idx AND "
         "e.type_idx = f.type_idx AND e.ts = f.ts AND e.occurrence = f.occurrence "
         "JOIN users u ON u.idx = e.user_idx JOIN items i ON i.idx = e.item_idx "
         "JOIN event_types t ON t.idx = e.type_idx LEFT JOIN sessions s ON s.idx = e.session_idx "
         "WHERE f.seq > " +
         std::to_string(after) + " AND f.seq <= " + std::to_string(through) + " AND f.run_id <> " +
         std::to_string(skip_run) + " ORDER BY f.seq";
}

}  // namespace aisle
