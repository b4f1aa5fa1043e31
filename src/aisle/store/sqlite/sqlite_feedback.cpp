// The SQLite store's live feedback: append (and its cache of ids and statements), feedback_since,
// feedback_after and the reading of feedback rows.
#include <sqlite3.h>

#include <algorithm>
#include <ctime>

#include "aisle/store/sqlite/sqlite_store_impl.h"

namespace aisle::sqlite {

SqliteStore::Appender::Appender(Db& db)
    : insert_run(db,
                 "INSERT INTO ingestion_runs(finished_at, format, files, rows_read, rows_kept, rows_skipped, "
                 "rows_rejected, events_added, issues) VALUES(?, 'feedback', '', 0, 0, 0, 0, 0, '')"),
      // occurrence: the next free one for the key, counting rows this transaction inserted.
      insert_event(db,
                   "INSERT INTO events(user_idx, item_idx, type_idx, ts, occurrence, quantity, value, weight, "
                   "session_idx, run_id) VALUES(?1, ?2, ?3, ?4, (SELECT COALESCE(MAX(occurrence) + 1, 0) FROM events "
                   "WHERE user_idx = ?1 AND item_idx = ?2 AND type_idx = ?3 AND ts = ?4), ?5, ?6, ?7, ?8, ?9)"),
      // The event just inserted holds its key's largest occurrence.
      log_event(db,
                "INSERT INTO feedback_log(run_id, user_idx, item_idx, type_idx, ts, occurrence) SELECT ?5, ?1, ?2, ?3, "
                "?4, MAX(occurrence) FROM events WHERE user_idx = ?1 AND item_idx = ?2 AND type_idx = ?3 AND ts = ?4"),
      update_run(db,
                 "UPDATE ingestion_runs SET finished_at = ?1, rows_read = rows_read + ?2, rows_kept = rows_kept + ?2, "
                 "events_added = events_added + ?2 WHERE id = ?3") {
  // Checkpoint every 30,000 pages (~120 MB of WAL) instead of 1,000: appends dirty pages all
  // over the events key, and a checkpoint writes a page once however often the WAL holds it.
  // bench_append, calls of 100 into 1M events: 28 k events/s at 1,000 pages, 44-51 k at 10,000,
  // 60-67 k at 30,000; the append that runs a checkpoint takes ~130 ms instead of ~20.
  db.exec("PRAGMA wal_autocheckpoint=30000");
  for (const CachedTable& t : kCachedTables) {
    const std::string table(t.table);
    catch_up.push_back(
        std::make_unique<Statement>(db, "SELECT idx, external_id FROM " + table + " WHERE idx >= ? ORDER BY idx"));
    insert_id.push_back(std::make_unique<Statement>(db, "INSERT INTO " + table + "(idx, external_id) VALUES(?, ?)"));
  }
}

AppendResult SqliteStore::append(std::span<const LiveEvent> events) {
  check_live_events(events);
  if (events.empty()) return {append_run_id_, 0, 0, 0, 0, 0};
  try {
    if (!appender_) appender_.emplace(db_);
    return append_in_transaction(events);
  } catch (...) {
    appender_.reset();  // the cache may hold ids the rollback removed
    throw;
  }
}

AppendResult SqliteStore::append_in_transaction(std::span<const LiveEvent> events) {
  Appender& a = *appender_;
  Transaction tx(db_);
  for (std::size_t t = 0; t < std::size(kCachedTables); ++t) {
    IdMap& map = a.ids.*kCachedTables[t].map;
    Statement& q = *a.catch_up[t];
    q.bind(1, std::int64_t{map.size()});
    while (q.step())
      catch_up(map, static_cast<std::uint64_t>(q.int_at(0)), q.text_at(1), url(), kCachedTables[t].table);
    q.reset();
  }
  const AppendPlan plan = plan_append(events, a.ids);
  const std::vector<NewId>* new_ids[] = {&plan.new_users, &plan.new_items, &plan.new_sessions, &plan.new_event_types};
  for (std::size_t t = 0; t < std::size(kCachedTables); ++t) {
    for (const NewId& n : *new_ids[t]) a.insert_id[t]->bind(1, std::int64_t{n.idx}).bind(2, n.external_id).run();
  }
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  std::int64_t run_id = append_run_id_;
  if (run_id == 0) {
    a.insert_run.bind(1, now).run();
    run_id = sqlite3_last_insert_rowid(db_.handle());
  }
  for (const Event& e : plan.events) {
    a.insert_event.bind(1, std::int64_t{e.user}).bind(2, std::int64_t{e.item}).bind(3, std::int64_t{e.type});
    a.insert_event.bind(4, e.time).bind_float(5, e.quantity).bind_float(6, e.value).bind_float(7, e.weight);
    a.insert_event.bind_index(8, e.session).bind(9, run_id).run();
    a.log_event.bind(1, std::int64_t{e.user}).bind(2, std::int64_t{e.item}).bind(3, std::int64_t{e.type});
    a.log_event.bind(4, e.time).bind(5, run_id).run();
  }
  const auto added = static_cast<std::int64_t>(plan.events.size());
  a.update_run.bind(1, now).bind(2, added).bind(3, run_id).run();
  tx.commit();
  append_run_id_ = run_id;
  return {run_id,
          plan.events.size(),
          static_cast<std::uint32_t>(plan.new_users.size()),
          static_cast<std::uint32_t>(plan.new_items.size()),
          static_cast<std::uint32_t>(plan.new_sessions.size()),
          static_cast<std::uint32_t>(plan.new_event_types.size())};
}

std::vector<LiveEvent> SqliteStore::feedback_since(Timestamp since, std::int64_t skip_run, std::int64_t* through) {
  std::vector<LiveEvent> out;
  ReadTransaction snapshot(db_);  // the log's end and the events: one snapshot
  if (through != nullptr) *through = feedback_log_end();
  if (Statement runs(db_, feedback_runs_sql(since, skip_run)); runs.step()) {
    read_feedback(feedback_events_sql(since, skip_run), out);
  }
  return out;
}

std::int64_t SqliteStore::feedback_log_end() {
  Statement end(db_, kFeedbackLogEndSql);
  end.step();
  const std::int64_t value = end.int_at(0);
  end.reset();
  return value;
}

FollowedFeedback SqliteStore::feedback_after(std::int64_t after, std::int64_t skip_run) {
  FollowedFeedback out;
  ReadTransaction snapshot(db_);
  out.through = std::max(after, feedback_log_end());
  if (out.through > after) read_feedback(feedback_after_sql(after, out.through, skip_run), out.events);
  return out;
}

void SqliteStore::read_feedback(const std::string& sql, std::vector<LiveEvent>& out) {
  Statement q(db_, sql);
  while (q.step()) {
    LiveEvent e;
    e.user = q.text_at(0);
    e.item = q.text_at(1);
    e.type = q.text_at(2);
    e.session = q.text_at(3);
    e.time = q.int_at(4);
    e.quantity = q.float_at(5);
    e.value = q.float_at(6);
    e.weight = q.float_at(7);
    out.push_back(std::move(e));
  }
}

}  // namespace aisle::sqlite
