#include "aisle/store/load_plan.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <tuple>

#include "aisle/core/error.h"
#include "aisle/core/json_text.h"

namespace aisle {

namespace {

// log index -> store index; new names are appended to `store` and listed in `added`.
std::vector<std::uint32_t> merge_ids(const IdMap& log_ids, IdMap& store, std::vector<NewId>* added) {
  std::vector<std::uint32_t> remap(log_ids.size());
  for (std::uint32_t i = 0; i < log_ids.size(); ++i) {
    const std::string_view name = log_ids.name(i);
    const std::uint32_t before = store.size();
    remap[i] = store.intern(name);
    if (remap[i] == before && added != nullptr) added->push_back({remap[i], std::string(name)});
  }
  return remap;
}

std::uint32_t map_or_none(const std::vector<std::uint32_t>& remap, std::uint32_t idx) {
  return idx == kNoIndex ? kNoIndex : remap[idx];
}

}  // namespace

LoadPlan plan_load(const EventLog& log, StoreIds& ids) {
  LoadPlan plan;
  const auto users = merge_ids(log.users, ids.users, &plan.new_users);
  const auto items = merge_ids(log.items, ids.items, &plan.new_items);
  const auto sessions = merge_ids(log.sessions, ids.sessions, &plan.new_sessions);
  const auto types = merge_ids(log.event_types, ids.event_types, &plan.new_event_types);
  const Catalog& cat = log.catalog;
  const auto categories = merge_ids(cat.category_ids(), ids.categories, nullptr);

  for (CategoryIdx c = 0; c < cat.num_categories(); ++c) {
    plan.categories.push_back({categories[c], std::string(cat.category_ids().name(c)),
                               map_or_none(categories, cat.parent(c)), cat.category_name(c)});
  }
  for (ItemIdx i = 0; i < log.items.size(); ++i) {
    const ItemInfo* info = cat.find_item(i);
    if (info == nullptr) continue;
    PlannedItem pi{items[i], info, {}};
    for (CategoryIdx c : info->categories) pi.categories.push_back(categories[c]);
    plan.items.push_back(std::move(pi));
  }

  plan.events.reserve(log.events.size());
  for (const Event& e : log.events) {
    Event s = e;
    s.user = users[e.user];
    s.item = items[e.item];
    s.type = types[e.type];
    s.session = map_or_none(sessions, e.session);
    plan.events.push_back({s, 0});
  }
  // Stable: identical keys keep file order, so occurrence numbers repeat across loads.
  const auto key = [](const PlannedEvent& p) {
    return std::tie(p.event.user, p.event.item, p.event.type, p.event.time);
  };
  std::stable_sort(plan.events.begin(), plan.events.end(),
                   [&](const PlannedEvent& a, const PlannedEvent& b) { return key(a) < key(b); });
  for (std::size_t k = 1; k < plan.events.size(); ++k) {
    if (key(plan.events[k]) == key(plan.events[k - 1])) {
      plan.events[k].occurrence = plan.events[k - 1].occurrence + 1;
    }
  }
  return plan;
}

StoreIds read_store_ids(const std::string& url,
                        const std::function<void(std::string_view table, const IdRowSink& add)>& read_table) {
  StoreIds ids;
  const std::pair<std::string_view, IdMap*> tables[] = {{"users", &ids.users},
                                                        {"items", &ids.items},
                                                        {"sessions", &ids.sessions},
                                                        {"event_types", &ids.event_types},
                                                        {"categories", &ids.categories}};
  for (const auto& [table, map] : tables) {
    read_table(table, [&, table = table, map = map](std::uint64_t idx, std::string_view external_id) {
      if (map->intern(external_id) != idx) {
        throw StoreError(url + ": table " + std::string(table) + " has gaps in idx at " + std::to_string(idx));
      }
    });
  }
  return ids;
}

void move_ids_into(StoreIds& ids, EventLog& log) {
  log.users = std::move(ids.users);
  log.items = std::move(ids.items);
  log.sessions = std::move(ids.sessions);
  log.event_types = std::move(ids.event_types);
}

std::string attributes_to_json(const ItemInfo& info) {
  if (info.attributes.empty()) return {};
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [k, v] : info.attributes) j[k] = v;
  return json_text(j);
}

void attributes_from_json(const std::string& text, ItemInfo& info) {
  info.attributes.clear();
  if (text.empty()) return;
  const auto j = nlohmann::ordered_json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) throw StoreError("item attributes are not a JSON object: " + text.substr(0, 80));
  for (const auto& [k, v] : j.items())
    info.attributes.emplace_back(k, v.is_string() ? v.get<std::string>() : json_text(v));
}

}  // namespace aisle
