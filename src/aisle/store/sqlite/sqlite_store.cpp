// The SQLite store: opening it (schema, upgrades), load, read and runs; the other methods are in
// sqlite_feedback.cpp, sqlite_experiments.cpp and sqlite_published.cpp (sqlite_store_impl.h).
#include "aisle/store/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <ctime>

#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/store/sqlite/sqlite_store_impl.h"

namespace aisle {

namespace sqlite {

namespace {

std::string join_lines(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) {
    if (!out.empty()) out += '\n';
    out += s;
  }
  return out;
}

}  // namespace

void SqliteStore::write_catalog(const LoadPlan& plan) {
  Statement cat(db_,
                "INSERT INTO categories(idx, external_id, parent_idx, name) VALUES(?, ?, ?, ?) "
                "ON CONFLICT(idx) DO UPDATE SET parent_idx = COALESCE(excluded.parent_idx, parent_idx), "
                "name = CASE WHEN excluded.name = '' THEN name ELSE excluded.name END");
  for (const PlannedCategory& c : plan.categories) {
    cat.bind(1, std::int64_t{c.idx}).bind(2, c.external_id).bind_index(3, c.parent).bind(4, c.name).run();
  }
  Statement item(db_,
                 "UPDATE items SET name = COALESCE(?2, name), brand = COALESCE(?3, brand), "
                 "price = COALESCE(?4, price), available = COALESCE(?5, available), "
                 "image_url = COALESCE(?6, image_url), attributes = COALESCE(?7, attributes) WHERE idx = ?1");
  Statement clear_cats(db_, "DELETE FROM item_categories WHERE item_idx = ?");
  Statement add_cat(db_, "INSERT INTO item_categories(item_idx, position, category_idx) VALUES(?, ?, ?)");
  for (const PlannedItem& p : plan.items) {
    const ItemInfo& info = *p.info;
    item.bind(1, std::int64_t{p.idx}).bind_text_or_null(2, info.name).bind_text_or_null(3, info.brand);
    item.bind_float(4, info.price);
    if (info.available == Availability::kUnknown)
      item.bind_null(5);
    else
      item.bind(5, std::int64_t{static_cast<int>(info.available)});
    item.bind_text_or_null(6, info.image_url).bind_text_or_null(7, attributes_to_json(info)).run();
    if (p.categories.empty()) continue;
    clear_cats.bind(1, std::int64_t{p.idx}).run();
    for (std::size_t k = 0; k < p.categories.size(); ++k) {
      add_cat.bind(1, std::int64_t{p.idx})
          .bind(2, static_cast<std::int64_t>(k))
          .bind(3, std::int64_t{p.categories[k]})
          .run();
    }
  }
}

LoadResult SqliteStore::load(const EventLog& log, const IngestionRun& run, const RunContext& context) {
  Transaction tx(db_);
  StoreIds ids = read_all_ids();
  const LoadPlan plan = plan_load(log, ids);
  insert_ids("users", plan.new_users);
  insert_ids("items", plan.new_items);
  insert_ids("sessions", plan.new_sessions);
  insert_ids("event_types", plan.new_event_types);
  write_catalog(plan);

  Statement ins_run(db_,
                    "INSERT INTO ingestion_runs(finished_at, format, files, rows_read, rows_kept, rows_skipped, "
                    "rows_rejected, events_added, issues) VALUES(?, ?, ?, ?, ?, ?, ?, 0, ?)");
  ins_run.bind(1, static_cast<std::int64_t>(std::time(nullptr))).bind(2, run.format).bind(3, join_lines(run.files));
  ins_run.bind(4, static_cast<std::int64_t>(run.rows_read)).bind(5, static_cast<std::int64_t>(run.rows_kept));
  ins_run.bind(6, static_cast<std::int64_t>(run.rows_skipped)).bind(7, static_cast<std::int64_t>(run.rows_rejected));
  ins_run.bind(8, run.issues).run();
  const std::int64_t run_id = sqlite3_last_insert_rowid(db_.handle());

  Statement ins(db_,
                "INSERT OR IGNORE INTO events(user_idx, item_idx, type_idx, ts, occurrence, quantity, value, weight, "
                "session_idx, run_id) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  LoadResult result;
  result.run_id = run_id;
  const LoadProgress progress(context, plan.events.size());
  std::uint64_t written = 0;
  for (const PlannedEvent& p : plan.events) {
    const Event& e = p.event;
    ins.bind(1, std::int64_t{e.user}).bind(2, std::int64_t{e.item}).bind(3, std::int64_t{e.type});
    ins.bind(4, e.time).bind(5, std::int64_t{p.occurrence});
    ins.bind_float(6, e.quantity).bind_float(7, e.value).bind_float(8, e.weight);
    ins.bind_index(9, e.session).bind(10, run_id).run();
    result.events_added += static_cast<std::uint64_t>(db_.changes());
    progress.written(++written);
  }
  result.events_already_stored = plan.events.size() - result.events_added;
  result.new_users = static_cast<std::uint32_t>(plan.new_users.size());
  result.new_items = static_cast<std::uint32_t>(plan.new_items.size());
  Statement done(db_, "UPDATE ingestion_runs SET events_added = ? WHERE id = ?");
  done.bind(1, static_cast<std::int64_t>(result.events_added)).bind(2, run_id).run();
  tx.commit();
  progress.finish();
  return result;
}

EventLog SqliteStore::read() {
  ReadTransaction snapshot(db_);
  EventLog log;
  StoreIds ids = read_all_ids();
  move_ids_into(ids, log);
  read_catalog(log.catalog);
  read_events(0, 1, log.events);
  return log;
}

StorePart SqliteStore::read_part(std::uint32_t part, std::uint32_t parts, bool with_catalog) {
  AISLE_CHECK(part < parts);
  ReadTransaction snapshot(db_);
  StorePart out;
  StoreIds ids = read_all_ids();
  move_ids_into(ids, out.log);
  if (with_catalog) read_catalog(out.log.catalog);
  read_events(part, parts, out.log.events);
  Statement stored(db_, kEventsStoredSql);
  stored.step();
  out.events_stored = static_cast<std::uint64_t>(stored.int_at(0));
  stored.reset();
  return out;
}

void SqliteStore::read_catalog(Catalog& catalog) {
  Statement cats(db_, "SELECT external_id, parent_idx, name FROM categories ORDER BY idx");
  std::vector<CategoryIdx> parents;
  while (cats.step()) {
    catalog.add_category(cats.text_at(0), cats.text_at(2));
    parents.push_back(cats.index_at(1));
  }
  for (CategoryIdx c = 0; c < parents.size(); ++c) catalog.set_parent(c, parents[c]);

  Statement items(db_,
                  "SELECT idx, name, brand, price, available, image_url, attributes FROM items "
                  "WHERE name IS NOT NULL OR brand IS NOT NULL OR price IS NOT NULL OR available IS NOT NULL "
                  "OR image_url IS NOT NULL OR attributes IS NOT NULL ORDER BY idx");
  while (items.step()) {
    ItemInfo& info = catalog.item(static_cast<ItemIdx>(items.int_at(0)));
    info.name = items.text_at(1);
    info.brand = items.text_at(2);
    info.price = items.float_at(3);
    info.available = items.null_at(4) ? Availability::kUnknown : static_cast<Availability>(items.int_at(4));
    info.image_url = items.text_at(5);
    attributes_from_json(std::string(items.text_at(6)), info);
  }
  Statement item_cats(db_, "SELECT item_idx, category_idx FROM item_categories ORDER BY item_idx, position");
  while (item_cats.step()) {
    catalog.item(static_cast<ItemIdx>(item_cats.int_at(0))).categories.push_back(item_cats.index_at(1));
  }
}

void SqliteStore::read_events(std::uint32_t part, std::uint32_t parts, std::vector<Event>& out) {
  Statement events(db_, "SELECT user_idx, item_idx, type_idx, ts, quantity, value, weight, session_idx FROM events " +
                            std::string(parts > 1 ? "WHERE user_idx % ?1 = ?2 " : "") +
                            "ORDER BY ts, user_idx, item_idx, type_idx, occurrence");
  if (parts > 1) events.bind(1, std::int64_t{parts}).bind(2, std::int64_t{part});
  while (events.step()) {
    Event e;
    e.user = events.index_at(0);
    e.item = events.index_at(1);
    e.type = events.index_at(2);
    e.time = events.int_at(3);
    e.quantity = events.float_at(4);
    e.value = events.float_at(5);
    e.weight = events.float_at(6);
    e.session = events.index_at(7);
    out.push_back(e);
  }
}

std::vector<StoredRun> SqliteStore::runs() {
  std::vector<StoredRun> out;
  Statement q(db_,
              "SELECT id, finished_at, format, files, rows_read, rows_kept, rows_skipped, rows_rejected, "
              "events_added, issues FROM ingestion_runs ORDER BY id");
  while (q.step()) {
    StoredRun r;
    r.id = q.int_at(0);
    r.finished_at = q.int_at(1);
    r.run.format = q.text_at(2);
    if (!q.text_at(3).empty()) {
      for (std::string_view f : split(q.text_at(3), "\n")) r.run.files.emplace_back(f);
    }
    r.run.rows_read = static_cast<std::uint64_t>(q.int_at(4));
    r.run.rows_kept = static_cast<std::uint64_t>(q.int_at(5));
    r.run.rows_skipped = static_cast<std::uint64_t>(q.int_at(6));
    r.run.rows_rejected = static_cast<std::uint64_t>(q.int_at(7));
    r.events_added = static_cast<std::uint64_t>(q.int_at(8));
    r.run.issues = q.text_at(9);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace sqlite

std::unique_ptr<EventStore> open_sqlite_store(const std::string& url, const std::string& path) {
  return std::make_unique<sqlite::SqliteStore>(url, path);
}

}  // namespace aisle
