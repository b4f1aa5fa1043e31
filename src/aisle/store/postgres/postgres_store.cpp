// The PostgreSQL store: opening it (schema, upgrades), load, read and runs; the other methods are
// in postgres_feedback.cpp, postgres_experiments.cpp and postgres_published.cpp
// (postgres_store_impl.h).
#include "aisle/store/postgres/postgres_store.h"

#include <ctime>

#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/store/postgres/postgres_store_impl.h"

namespace aisle {

namespace pg {

void PostgresStore::write_catalog(const LoadPlan& plan) {
  if (!plan.categories.empty()) {
    c_.exec("CREATE TEMP TABLE stage_categories (LIKE categories) ON COMMIT DROP");
    c_.copy_in("COPY stage_categories(idx, external_id, parent_idx, name) FROM STDIN",
               rows_of(plan.categories, [](CopyRow r, const PlannedCategory& c) {
                 r.num(c.idx).text(c.external_id).index(c.parent).text(c.name).end();
               }));
    c_.exec(
        "INSERT INTO categories SELECT * FROM stage_categories ON CONFLICT(idx) DO UPDATE SET "
        "parent_idx = COALESCE(excluded.parent_idx, categories.parent_idx), "
        "name = CASE WHEN excluded.name = '' THEN categories.name ELSE excluded.name END");
  }
  if (plan.items.empty()) return;
  c_.exec("CREATE TEMP TABLE stage_items (LIKE items) ON COMMIT DROP");
  c_.copy_in("COPY stage_items(idx, external_id, name, brand, price, available, image_url, attributes) FROM STDIN",
             rows_of(plan.items, [](CopyRow r, const PlannedItem& p) {
               const ItemInfo& info = *p.info;
               r.num(p.idx).text("").text_or_null(info.name).text_or_null(info.brand).real(info.price);
               if (info.available == Availability::kUnknown)
                 r.null();
               else
                 r.num(static_cast<int>(info.available));
               r.text_or_null(info.image_url).text_or_null(attributes_to_json(info)).end();
             }));
  c_.exec(
      "UPDATE items SET name = COALESCE(s.name, items.name), brand = COALESCE(s.brand, items.brand), "
      "price = COALESCE(s.price, items.price), available = COALESCE(s.available, items.available), "
      "image_url = COALESCE(s.image_url, items.image_url), attributes = COALESCE(s.attributes, items.attributes) "
      "FROM stage_items s WHERE items.idx = s.idx");
  struct Link {
    ItemIdx item;
    std::uint32_t position;
    CategoryIdx category;
  };
  std::vector<Link> links;
  for (const PlannedItem& p : plan.items) {
    for (std::uint32_t k = 0; k < p.categories.size(); ++k) links.push_back({p.idx, k, p.categories[k]});
  }
  if (links.empty()) return;
  c_.exec("CREATE TEMP TABLE stage_item_categories (LIKE item_categories) ON COMMIT DROP");
  c_.copy_in("COPY stage_item_categories FROM STDIN",
             rows_of(links, [](CopyRow r, const Link& l) { r.num(l.item).num(l.position).num(l.category).end(); }));
  c_.exec("DELETE FROM item_categories WHERE item_idx IN (SELECT DISTINCT item_idx FROM stage_item_categories)");
  c_.exec("INSERT INTO item_categories SELECT * FROM stage_item_categories");
}

LoadResult PostgresStore::load(const EventLog& log, const IngestionRun& run, const RunContext& context) {
  Transaction tx(c_);
  c_.exec(kLockWriters);
  StoreIds ids = read_all_ids();
  const LoadPlan plan = plan_load(log, ids);
  insert_ids("users", plan.new_users);
  insert_ids("items", plan.new_items);
  insert_ids("sessions", plan.new_sessions);
  insert_ids("event_types", plan.new_event_types);
  write_catalog(plan);

  std::string files;
  for (const std::string& f : run.files) files += (files.empty() ? "" : "\n") + f;
  const std::string run_id = c_.exec(
      "INSERT INTO ingestion_runs(finished_at, format, files, rows_read, rows_kept, rows_skipped, rows_rejected, "
      "events_added, issues) VALUES(" +
      std::to_string(std::time(nullptr)) + ", " + quote_literal(run.format) + ", " + quote_literal(files) + ", " +
      std::to_string(run.rows_read) + ", " + std::to_string(run.rows_kept) + ", " + std::to_string(run.rows_skipped) +
      ", " + std::to_string(run.rows_rejected) + ", 0, " + quote_literal(run.issues) + ") RETURNING id");

  BulkIndexes bulk(c_, "events");
  const bool empty = bulk.active();
  const std::string target = empty ? "events" : "stage_events";
  if (!empty) c_.exec("CREATE TEMP TABLE stage_events (LIKE events) ON COMMIT DROP");
  const std::int64_t rid = std::stoll(run_id);
  const LoadProgress progress(context, plan.events.size());
  c_.copy_in(
      "COPY " + target +
          "(user_idx, item_idx, type_idx, ts, occurrence, quantity, value, weight, session_idx, run_id) FROM STDIN",
      rows_of(plan.events, [rid, &progress, written = std::uint64_t{0}](CopyRow r, const PlannedEvent& p) mutable {
        progress.written(++written);
        const Event& e = p.event;
        r.num(e.user).num(e.item).num(e.type).num(e.time).num(p.occurrence);
        r.real(e.quantity).real(e.value).real(e.weight).index(e.session).num(rid).end();
      }));
  LoadResult result;
  result.run_id = rid;
  result.events_added =
      empty ? plan.events.size()
            : std::stoull(c_.exec("INSERT INTO events SELECT * FROM stage_events ON CONFLICT DO NOTHING"));
  bulk.rebuild();
  result.events_already_stored = plan.events.size() - result.events_added;
  result.new_users = static_cast<std::uint32_t>(plan.new_users.size());
  result.new_items = static_cast<std::uint32_t>(plan.new_items.size());
  c_.exec("UPDATE ingestion_runs SET events_added = " + std::to_string(result.events_added) + " WHERE id = " + run_id);
  tx.commit();
  progress.finish();
  return result;
}

float parse_real(const std::optional<std::string>& f) {
  if (!f) return kAbsent;
  const auto v = parse_float(*f);
  if (!v) throw StoreError("unreadable REAL value '" + *f + "' in the store");
  return *v;
}

std::uint32_t parse_index(const std::optional<std::string>& f) {
  return f ? static_cast<std::uint32_t>(std::stoul(*f)) : kNoIndex;
}

EventLog PostgresStore::read() {
  Transaction tx(c_);
  c_.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  EventLog log;
  StoreIds ids = read_all_ids();
  move_ids_into(ids, log);
  read_catalog(log.catalog);
  read_events(0, 1, log.events);
  tx.commit();
  return log;
}

StorePart PostgresStore::read_part(std::uint32_t part, std::uint32_t parts, bool with_catalog) {
  AISLE_CHECK(part < parts);
  Transaction tx(c_);
  c_.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  StorePart out;
  StoreIds ids = read_all_ids();
  move_ids_into(ids, out.log);
  if (with_catalog) read_catalog(out.log.catalog);
  read_events(part, parts, out.log.events);
  out.events_stored = std::stoull(c_.exec(kEventsStoredSql));
  tx.commit();
  return out;
}

void PostgresStore::read_catalog(Catalog& catalog) {
  std::vector<std::optional<std::string>> f;
  std::vector<CategoryIdx> parents;
  c_.copy_out("SELECT external_id, parent_idx, name FROM categories ORDER BY idx", [&](std::string_view line) {
    parse_copy_row(line, f);
    catalog.add_category(*f[0], *f[2]);
    parents.push_back(parse_index(f[1]));
  });
  for (CategoryIdx c = 0; c < parents.size(); ++c) catalog.set_parent(c, parents[c]);
  c_.copy_out(
      "SELECT idx, name, brand, price, available, image_url, attributes FROM items "
      "WHERE name IS NOT NULL OR brand IS NOT NULL OR price IS NOT NULL OR available IS NOT NULL "
      "OR image_url IS NOT NULL OR attributes IS NOT NULL ORDER BY idx",
      [&](std::string_view line) {
        parse_copy_row(line, f);
        ItemInfo& info = catalog.item(parse_index(f[0]));
        info.name = f[1].value_or("");
        info.brand = f[2].value_or("");
        info.price = parse_real(f[3]);
        info.available = f[4] ? static_cast<Availability>(std::stoi(*f[4])) : Availability::kUnknown;
        info.image_url = f[5].value_or("");
        attributes_from_json(f[6].value_or(""), info);
      });
  c_.copy_out("SELECT item_idx, category_idx FROM item_categories ORDER BY item_idx, position",
              [&](std::string_view line) {
                parse_copy_row(line, f);
                catalog.item(parse_index(f[0])).categories.push_back(parse_index(f[1]));
              });
}

void PostgresStore::read_events(std::uint32_t part, std::uint32_t parts, std::vector<Event>& out) {
  std::vector<std::optional<std::string>> f;
  const std::string where =
      parts > 1 ? "WHERE user_idx % " + std::to_string(parts) + " = " + std::to_string(part) + " " : "";
  c_.copy_out("SELECT user_idx, item_idx, type_idx, ts, quantity, value, weight, session_idx FROM events " + where +
                  "ORDER BY ts, user_idx, item_idx, type_idx, occurrence",
              [&](std::string_view line) {
                parse_copy_row(line, f);
                Event e;
                e.user = parse_index(f[0]);
                e.item = parse_index(f[1]);
                e.type = parse_index(f[2]);
                e.time = std::stoll(*f[3]);
                e.quantity = parse_real(f[4]);
                e.value = parse_real(f[5]);
                e.weight = parse_real(f[6]);
                e.session = parse_index(f[7]);
                out.push_back(e);
              });
}

std::vector<StoredRun> PostgresStore::runs() {
  std::vector<StoredRun> out;
  std::vector<std::optional<std::string>> f;
  c_.copy_out(
      "SELECT id, finished_at, format, files, rows_read, rows_kept, rows_skipped, rows_rejected, "
      "events_added, issues FROM ingestion_runs ORDER BY id",
      [&](std::string_view line) {
        parse_copy_row(line, f);
        StoredRun r;
        r.id = std::stoll(*f[0]);
        r.finished_at = std::stoll(*f[1]);
        r.run.format = *f[2];
        if (!f[3]->empty()) {
          for (std::string_view file : split(*f[3], "\n")) r.run.files.emplace_back(file);
        }
        r.run.rows_read = std::stoull(*f[4]);
        r.run.rows_kept = std::stoull(*f[5]);
        r.run.rows_skipped = std::stoull(*f[6]);
        r.run.rows_rejected = std::stoull(*f[7]);
        r.events_added = std::stoull(*f[8]);
        r.run.issues = *f[9];
        out.push_back(std::move(r));
      });
  return out;
}

}  // namespace pg

std::unique_ptr<EventStore> open_postgres_store(const std::string& url) {
  return std::make_unique<pg::PostgresStore>(url);
}

}  // namespace aisle
