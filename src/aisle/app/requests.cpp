#include "aisle/app/requests.h"

#include <nlohmann/json.hpp>

#include "aisle/core/error.h"
#include "aisle/core/json_text.h"
#include "aisle/core/text.h"

namespace aisle {

namespace {

// Known ids of `ids` in order; unknown ones are listed in `unknown`.
std::vector<ItemIdx> known_items(const TrainedModel& m, std::span<const std::string> ids,
                                 std::vector<std::string>& unknown) {
  std::vector<ItemIdx> out;
  for (const std::string& id : ids) {
    const ItemIdx i = m.items().find(trim(id));
    if (i == kNoIndex) {
      unknown.push_back(std::string(trim(id)));
    } else {
      out.push_back(i);
    }
  }
  return out;
}

std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size() && i < 5; ++i) out += (i ? ", '" : "'") + printable(ids[i]) + "'";
  if (ids.size() > 5) out += " and " + std::to_string(ids.size() - 5) + " more";
  return out;
}

Filter make_filter(const TrainedModel& m, const ItemRequest& r, std::vector<std::string>& warnings) {
  Filter filter;
  filter.exclude_seen = !r.keep_seen;
  std::vector<std::string> unknown;
  filter.exclude = known_items(m, r.exclude, unknown);  // unknown exclusions exclude nothing
  if (!r.include.empty()) {
    unknown.clear();
    filter.include_only = known_items(m, r.include, unknown);
    if (filter.include_only->empty()) {
      throw NotFound("include: none of " + joined(unknown) + " is in the model");
    }
    if (!unknown.empty()) warnings.push_back("include: not in the model, left out: " + joined(unknown));
  }
  if (!trim(r.category).empty()) {
    filter.categories = m.facts().find_categories(r.category);
    if (filter.categories.empty()) {
      std::string closest;
      for (const std::string& c : m.facts().closest_categories(r.category, 5)) {
        closest += (closest.empty() ? "" : ", ") + c;
      }
      throw NotFound("category: '" + printable(r.category) + "' is not in the model's catalog" +
                     (closest.empty() ? std::string(" (it has no categories)") : "; closest: " + closest) +
                     " (aisle categories lists them)");
    }
  }
  filter.available_only = r.available_only;
  return filter;
}

}  // namespace

std::string_view served_as_name(ServedAs s) {
  return s == ServedAs::kModel ? "model" : "cold_start";
}

ResolvedRequest resolve_request(const TrainedModel& model, const ItemRequest& r) {
  ResolvedRequest out;
  const std::string_view user = trim(r.user);
  if (user.empty() && r.items.empty()) throw ConfigError("give a user, items, or both");
  if (!user.empty()) {
    out.query.user = model.users().find(user);
    if (out.query.user == kNoIndex && r.strict_ids) {
      throw NotFound("user: '" + printable(user) + "' is not in the model's training data");
    }
  }
  std::vector<std::string> unknown;
  out.query.items = known_items(model, r.items, unknown);
  if (!unknown.empty()) {
    if (r.strict_ids) throw NotFound("items: " + joined(unknown) + " not in the model");
    if (out.query.items.empty() && user.empty())
      throw NotFound("items: none of " + joined(unknown) + " is in the model");
    out.warnings.push_back("items: not in the model, left out: " + joined(unknown));
  }
  const bool unknown_user = !user.empty() && out.query.user == kNoIndex;
  if (unknown_user) {
    if (out.query.items.empty()) {
      out.served_as = ServedAs::kColdStart;
      out.warnings.push_back("user '" + printable(user) + "' is not in the model: served popular items (cold start)");
    } else {
      out.warnings.push_back("user '" + printable(user) + "' is not in the model: served from the given items");
    }
  }
  out.filter = make_filter(model, r, out.warnings);
  return out;
}

std::vector<ItemRow> describe(const TrainedModel& model, std::span<const Scored> items) {
  const ItemFacts& facts = model.facts();
  std::vector<ItemRow> rows;
  rows.reserve(items.size());
  for (const Scored& s : items) {
    ItemRow row;
    row.item_id = std::string(model.items().name(s.item));
    if (s.item < facts.item_name.size()) row.name = facts.item_name[s.item];
    if (s.item < facts.price.size()) row.price = facts.price[s.item];
    if (const auto cats = facts.categories_of(s.item); !cats.empty()) row.category = facts.category_label(cats.front());
    row.score = s.score;
    rows.push_back(std::move(row));
  }
  return rows;
}

namespace {

Answer finish(const TrainedModel& model, const ResolvedRequest& resolved, std::vector<Scored> items, std::size_t k) {
  Answer a;
  a.served_as = resolved.served_as;
  a.notes = resolved.warnings;
  if (items.size() < k) {
    a.notes.push_back("only " + std::to_string(items.size()) + " of the " + std::to_string(k) +
                      " items asked for are eligible: the model has " + std::to_string(model.num_items()) +
                      " items, and the filter and the history (seen items) leave the others out");
  }
  a.items = describe(model, items);
  return a;
}

}  // namespace

std::vector<Answer> recommend_for_users(const TrainedModel& model, std::span<const std::string> users,
                                        const ItemRequest& shared, const RunContext& run) {
  std::vector<ResolvedRequest> resolved;
  std::vector<Query> queries;
  std::vector<std::size_t> query_of(users.size(), static_cast<std::size_t>(-1));
  for (std::size_t u = 0; u < users.size(); ++u) {
    ItemRequest r = shared;
    r.user = users[u];
    resolved.push_back(resolve_request(model, r));
    if (resolved.back().served_as == ServedAs::kModel) {
      query_of[u] = queries.size();
      queries.push_back(resolved.back().query);
    }
  }
  // Every request shares the filter: only the user differs.
  const Filter& filter = resolved.empty() ? Filter{} : resolved.front().filter;
  std::vector<std::vector<Scored>> lists = model.recommend(queries, filter, shared.k, run);
  std::vector<Scored> cold;
  bool cold_done = false;
  std::vector<Answer> answers;
  answers.reserve(users.size());
  for (std::size_t u = 0; u < users.size(); ++u) {
    if (query_of[u] != static_cast<std::size_t>(-1)) {
      answers.push_back(finish(model, resolved[u], std::move(lists[query_of[u]]), shared.k));
      continue;
    }
    if (!cold_done) cold = model.popular(filter, shared.k), cold_done = true;
    answers.push_back(finish(model, resolved[u], cold, shared.k));
  }
  return answers;
}

Answer recommend(const TrainedModel& model, const ItemRequest& request) {
  const ResolvedRequest r = resolve_request(model, request);
  if (r.served_as == ServedAs::kColdStart) return finish(model, r, model.popular(r.filter, request.k), request.k);
  return finish(model, r, model.recommend(std::span(&r.query, 1), r.filter, request.k, RunContext{}).front(),
                request.k);
}

Answer similar(const TrainedModel& model, std::string_view item, const ItemRequest& request) {
  const ItemIdx i = model.items().find(trim(item));
  if (i == kNoIndex) throw NotFound("item: '" + printable(item) + "' is not in the model");
  ResolvedRequest r;
  r.filter = make_filter(model, request, r.warnings);
  return finish(model, r, model.similar(i, r.filter, request.k), request.k);
}

std::string answer_json(const Answer& answer, std::string_view user, std::string_view model_spec) {
  nlohmann::ordered_json j;
  j["user"] = user.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(std::string(user));
  j["model"] = model_spec;
  j["served_as"] = served_as_name(answer.served_as);
  j["items"] = nlohmann::ordered_json::array();
  for (const ItemRow& row : answer.items) {
    j["items"].push_back(
        {{"item_id", row.item_id},
         {"name", row.name.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(row.name)},
         {"category", row.category.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(row.category)},
         {"price", is_present(row.price) ? nlohmann::ordered_json(row.price) : nlohmann::ordered_json(nullptr)},
         {"score", row.score}});
  }
  j["notes"] = answer.notes;
  return json_text(j);
}

}  // namespace aisle
