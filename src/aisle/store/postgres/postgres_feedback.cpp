// The PostgreSQL store's live feedback: append (one statement per call, the id cache caught up
// under the writers' lock), feedback_since, feedback_after and the reading of feedback rows.
#include <algorithm>
#include <ctime>

#include "aisle/store/postgres/postgres_store_impl.h"

namespace aisle::pg {

AppendResult PostgresStore::append(std::span<const LiveEvent> events) {
  check_live_events(events);
  if (events.empty()) return {append_run_id_, 0, 0, 0, 0, 0};
  try {
    if (!ids_) ids_.emplace();
    return append_in_transaction(events);
  } catch (...) {
    ids_.reset();  // the cache may hold ids the rollback removed
    throw;
  }
}

// Begins the transaction, takes the writers' lock and reads the id rows added since the cache
// was filled. One round trip asks for each table's largest idx (an index probe whatever the
// planner knows of the table); only a table that grew is read, from the cache's size on.
void PostgresStore::begin_and_catch_up_ids() {
  std::string sql = "BEGIN;\n" + std::string(kLockWriters) + ";\nSELECT ";
  for (std::size_t t = 0; t < std::size(kCachedTables); ++t) {
    sql +=
        (t > 0 ? ", " : "") + ("(SELECT COALESCE(max(idx) + 1, 0) FROM " + std::string(kCachedTables[t].table) + ")");
  }
  const Result sizes = c_.query(sql);
  for (std::size_t t = 0; t < std::size(kCachedTables); ++t) {
    IdMap& map = *ids_.*kCachedTables[t].map;
    if (std::stoull(std::string(sizes.at(0, static_cast<int>(t)))) <= map.size()) continue;
    const Result rows = c_.query("SELECT idx, external_id FROM " + std::string(kCachedTables[t].table) +
                                 " WHERE idx >= " + std::to_string(map.size()) + " ORDER BY idx");
    for (int r = 0; r < rows.rows(); ++r) {
      catch_up(map, std::stoull(std::string(rows.at(r, 0))), rows.at(r, 1), url(), kCachedTables[t].table);
    }
  }
}

// One INSERT for all events. Each event's occurrence is the next free one for its key: the
// stored maximum (the statement does not see its own rows) plus its rank among the call's
// events of that key, in call order.
std::string PostgresStore::insert_events_sql(const std::vector<Event>& events, std::int64_t run_id) {
  const auto real = [](float v) { return is_present(v) ? "'" + real_text(v) + "'::real" : std::string("NULL::real"); };
  std::string values;
  for (std::size_t k = 0; k < events.size(); ++k) {
    const Event& e = events[k];
    values += k == 0 ? "(" : ",\n(";
    values += std::to_string(k) + ", " + std::to_string(e.user) + "::bigint, " + std::to_string(e.item) + "::bigint, " +
              std::to_string(e.type) + "::bigint, " + std::to_string(e.time) + "::bigint, " + real(e.quantity) + ", " +
              real(e.value) + ", " + real(e.weight) + ", " +
              (e.session == kNoIndex ? std::string("NULL") : std::to_string(e.session)) + "::bigint)";
  }
  // The feedback log gets a row per event, in the same statement (feedback_after).
  return "WITH ins AS (INSERT INTO events(user_idx, item_idx, type_idx, ts, occurrence, quantity, value, weight, "
         "session_idx, run_id) SELECT n.u, n.i, n.t, n.ts, COALESCE((SELECT max(e.occurrence) + 1 FROM events e WHERE "
         "e.user_idx = n.u AND e.item_idx = n.i AND e.type_idx = n.t AND e.ts = n.ts), 0) + "
         "row_number() OVER (PARTITION BY n.u, n.i, n.t, n.ts ORDER BY n.k) - 1, n.q, n.v, n.w, n.s, " +
         std::to_string(run_id) + " FROM (VALUES " + values +
         ") AS n(k, u, i, t, ts, q, v, w, s) RETURNING run_id, user_idx, item_idx, type_idx, ts, occurrence) "
         "INSERT INTO feedback_log(run_id, user_idx, item_idx, type_idx, ts, occurrence) "
         "SELECT * FROM ins ORDER BY ts, user_idx, item_idx, type_idx, occurrence";
}

// Two round trips (more on a store object's first append, or when another writer added ids):
// BEGIN, the lock and the id tables' sizes; the writes and COMMIT.
AppendResult PostgresStore::append_in_transaction(std::span<const LiveEvent> events) {
  Transaction tx(c_, Transaction::BegunByCaller{});
  begin_and_catch_up_ids();
  const AppendPlan plan = plan_append(events, *ids_);
  const auto now = std::to_string(std::time(nullptr));
  std::int64_t run_id = append_run_id_;
  if (run_id == 0) {
    run_id =
        std::stoll(c_.exec("INSERT INTO ingestion_runs(finished_at, format, files, rows_read, rows_kept, rows_skipped, "
                           "rows_rejected, events_added, issues) VALUES(" +
                           now + ", 'feedback', '', 0, 0, 0, 0, 0, '') RETURNING id"));
  }
  std::string sql;
  const std::vector<NewId>* new_ids[] = {&plan.new_users, &plan.new_items, &plan.new_sessions, &plan.new_event_types};
  for (std::size_t t = 0; t < std::size(kCachedTables); ++t) {
    if (new_ids[t]->empty()) continue;
    sql += "INSERT INTO " + std::string(kCachedTables[t].table) + "(idx, external_id) VALUES ";
    for (const NewId& n : *new_ids[t]) {
      sql += (&n == new_ids[t]->data() ? "(" : ", (") + std::to_string(n.idx) + ", " + c_.literal(n.external_id) + ")";
    }
    sql += ";\n";
  }
  sql += insert_events_sql(plan.events, run_id) + ";\n";
  const std::string added = std::to_string(plan.events.size());
  sql += "UPDATE ingestion_runs SET finished_at = " + now + ", rows_read = rows_read + " + added +
         ", rows_kept = rows_kept + " + added + ", events_added = events_added + " + added +
         " WHERE id = " + std::to_string(run_id) + ";\n";
  // Delivered to listeners when the transaction commits (and only then).
  sql += "NOTIFY " + std::string(kFeedbackChannel) + ", '" + std::to_string(run_id) + "'";
  tx.commit_after(sql);
  append_run_id_ = run_id;
  return {run_id,
          plan.events.size(),
          static_cast<std::uint32_t>(plan.new_users.size()),
          static_cast<std::uint32_t>(plan.new_items.size()),
          static_cast<std::uint32_t>(plan.new_sessions.size()),
          static_cast<std::uint32_t>(plan.new_event_types.size())};
}

std::vector<LiveEvent> PostgresStore::feedback_since(Timestamp since, std::int64_t skip_run, std::int64_t* through) {
  std::vector<LiveEvent> out;
  Transaction tx(c_);
  c_.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");  // the log's end and the events: one snapshot
  if (through != nullptr) *through = std::stoll(c_.exec(kFeedbackLogEndSql));
  if (c_.query(feedback_runs_sql(since, skip_run) + " LIMIT 1").rows() > 0)
    read_feedback(feedback_events_sql(since, skip_run), out);
  tx.commit();
  return out;
}

FollowedFeedback PostgresStore::feedback_after(std::int64_t after, std::int64_t skip_run) {
  FollowedFeedback out;
  // Read committed is enough: every number up to the end read is committed (see event_store.h).
  out.through = std::max<std::int64_t>(after, std::stoll(c_.exec(kFeedbackLogEndSql)));
  if (out.through > after) read_feedback(feedback_after_sql(after, out.through, skip_run), out.events);
  return out;
}

void PostgresStore::read_feedback(const std::string& sql, std::vector<LiveEvent>& out) {
  std::vector<std::optional<std::string>> f;
  c_.copy_out(sql, [&](std::string_view line) {
    parse_copy_row(line, f);
    LiveEvent e;
    e.user = *f[0];
    e.item = *f[1];
    e.type = *f[2];
    e.session = f[3].value_or("");
    e.time = std::stoll(*f[4]);
    e.quantity = parse_real(f[5]);
    e.value = parse_real(f[6]);
    e.weight = parse_real(f[7]);
    out.push_back(std::move(e));
  });
}

}  // namespace aisle::pg
