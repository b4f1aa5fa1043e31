#include "aisle/app/requests.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "aisle/core/error.h"
#include "aisle/core/json_text.h"
#include "aisle/core/text.h"

namespace aisle {

namespace {

// Known ids of `ids` in order; unknown ones are listed in `unknown`. With `times` (one per id),
// the times of the known ones go to `known_times`.
std::vector<ItemIdx> known_items(const TrainedModel& m, std::span<const std::string> ids,
                                 std::vector<std::string>& unknown, std::span<const Timestamp> times = {},
                                 std::vector<Timestamp>* known_times = nullptr) {
  std::vector<ItemIdx> out;
  for (std::size_t k = 0; k < ids.size(); ++k) {
    const ItemIdx i = m.items().find(trim(ids[k]));
    if (i == kNoIndex) {
      unknown.push_back(std::string(trim(ids[k])));
      continue;
    }
    out.push_back(i);
    if (!times.empty()) known_times->push_back(times[k]);
  }
  return out;
}

std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size() && i < 5; ++i) out += (i ? ", '" : "'") + printable(ids[i]) + "'";
  if (ids.size() > 5) out += " and " + std::to_string(ids.size() - 5) + " more";
  return out;
}

}  // namespace

Filter resolve_filter(const TrainedModel& m, const ItemRequest& r, std::vector<std::string>& warnings) {
  Filter filter;
  filter.exclude_seen = !r.keep_seen;
  std::vector<std::string> unknown;
  filter.exclude = known_items(m, r.exclude, unknown);  // unknown exclusions exclude nothing
  if (!r.include.empty()) {
    unknown.clear();
    filter.include_only = known_items(m, r.include, unknown);
    if (filter.include_only->empty()) {
      const std::string message = "include: none of " + joined(unknown) + " is in the model";
      if (!r.unknown_ids_warn) throw NotFound(message);
      warnings.push_back(message + ": no item is eligible");
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
      const std::string message = "category: '" + printable(r.category) + "' is not in the model's catalog" +
                                  (closest.empty() ? std::string(" (it has no categories)") : "; closest: " + closest);
      if (!r.unknown_ids_warn) throw NotFound(message + " (aisle categories lists them)");
      warnings.push_back(message + ": no item is eligible");
      filter.include_only = std::vector<ItemIdx>{};  // nothing is in an unknown category
    }
  }
  filter.available_only = r.available_only;
  return filter;
}

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
  AISLE_CHECK_MSG(r.times.empty() || r.times.size() == r.items.size(), "request times must match its items");
  out.query.items = known_items(model, r.items, unknown, r.times, &out.query.times);
  out.query.session = r.session;
  if (!unknown.empty()) {
    if (r.strict_ids) throw NotFound("items: " + joined(unknown) + " not in the model");
    if (out.query.items.empty() && user.empty()) {
      if (!r.unknown_ids_warn) throw NotFound("items: none of " + joined(unknown) + " is in the model");
      out.served_as = ServedAs::kColdStart;
    }
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
  out.filter = resolve_filter(model, r, out.warnings);
  out.k = r.k;
  out.explain = r.explain;
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
    if (s.item < facts.image_url.size()) row.image_url = facts.image_url[s.item];
    if (const auto cats = facts.categories_of(s.item); !cats.empty()) row.category = facts.category_label(cats.front());
    row.score = s.score;
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string fewer_items_note(const TrainedModel& model, std::size_t found, std::size_t k) {
  return "only " + std::to_string(found) + " of the " + std::to_string(k) +
         " items asked for are eligible: the model has " + std::to_string(model.num_items()) +
         " items, and the filter and the history (seen items) leave the others out";
}

namespace {

// Each row's `because`: the history items behind its score, by id (none for a cold start).
void add_because(const TrainedModel& model, const ResolvedRequest& resolved, std::span<const Scored> items,
                 std::vector<ItemRow>& rows) {
  std::vector<ItemIdx> explained;
  if (resolved.served_as == ServedAs::kModel) {
    for (const Scored& s : items) explained.push_back(s.item);
  }
  const std::vector<std::vector<Scored>> why = model.explain(resolved.query, explained, kBecauseItems);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::vector<Because>& because = rows[r].because.emplace();
    if (r >= why.size()) continue;
    for (const Scored& c : why[r]) because.push_back({std::string(model.items().name(c.item)), c.score});
  }
}

Answer finish(const TrainedModel& model, const ResolvedRequest& resolved, std::vector<Scored> items, std::size_t k) {
  Answer a;
  a.served_as = resolved.served_as;
  a.notes = resolved.warnings;
  if (items.size() < k) a.notes.push_back(fewer_items_note(model, items.size(), k));
  a.items = describe(model, items);
  if (resolved.explain) add_because(model, resolved, items, a.items);
  return a;
}

}  // namespace

std::vector<Answer> answer_resolved(const TrainedModel& model, std::span<const ResolvedRequest> requests,
                                    const RunContext& run, const HnswIndex* approximate) {
  // A route answers a cold start itself (its `none` segment); other models with popular items.
  const bool routed = capability<QueryRouter>(model.model()) != nullptr;
  std::vector<Request> batch;
  std::vector<std::size_t> batch_of(requests.size(), static_cast<std::size_t>(-1));
  for (std::size_t r = 0; r < requests.size(); ++r) {
    if (requests[r].served_as != ServedAs::kModel && !routed) continue;
    batch_of[r] = batch.size();
    batch.push_back({requests[r].query, requests[r].filter, requests[r].k});
  }
  std::vector<std::vector<Scored>> lists = model.recommend(batch, run, approximate);
  std::vector<Answer> answers;
  answers.reserve(requests.size());
  const ResolvedRequest* last_cold = nullptr;  // consecutive cold starts with one filter share a list
  std::vector<Scored> cold;
  for (std::size_t r = 0; r < requests.size(); ++r) {
    const ResolvedRequest& req = requests[r];
    if (batch_of[r] != static_cast<std::size_t>(-1)) {
      answers.push_back(finish(model, req, std::move(lists[batch_of[r]]), req.k));
      continue;
    }
    if (last_cold == nullptr || !(last_cold->filter == req.filter) || last_cold->k != req.k) {
      cold = model.popular(req.filter, req.k);
      last_cold = &req;
    }
    answers.push_back(finish(model, req, cold, req.k));
  }
  return answers;
}

std::vector<Answer> recommend_for_users(const TrainedModel& model, std::span<const std::string> users,
                                        const ItemRequest& shared, const RunContext& run) {
  std::vector<ResolvedRequest> resolved;
  resolved.reserve(users.size());
  for (const std::string& user : users) {
    ItemRequest r = shared;
    r.user = user;
    resolved.push_back(resolve_request(model, r));
  }
  return answer_resolved(model, resolved, run);
}

Answer recommend(const TrainedModel& model, const ItemRequest& request, const HnswIndex* approximate) {
  const ResolvedRequest r = resolve_request(model, request);
  return answer_resolved(model, std::span(&r, 1), RunContext{}, approximate).front();
}

Answer similar(const TrainedModel& model, std::string_view item, const ItemRequest& request) {
  const ItemIdx i = model.items().find(trim(item));
  if (i == kNoIndex) throw NotFound("item: '" + printable(item) + "' is not in the model");
  ResolvedRequest r;
  r.filter = resolve_filter(model, request, r.warnings);
  return finish(model, r, model.similar(i, r.filter, request.k), request.k);
}

namespace {

// A float as the shortest decimal that reads back as the same float (2.1, not 2.0999999046325684).
double shortest(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
  for (int digits = 6; digits < 9; ++digits) {
    char shorter[32];
    std::snprintf(shorter, sizeof shorter, "%.*g", digits, static_cast<double>(v));
    if (std::strtof(shorter, nullptr) == v) return std::strtod(shorter, nullptr);
  }
  return std::strtod(buf, nullptr);
}

}  // namespace

nlohmann::ordered_json item_rows_json(std::span<const ItemRow> rows) {
  const auto text_or_null = [](const std::string& s) {
    return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s);
  };
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const ItemRow& row : rows) {
    out.push_back({{"item_id", row.item_id},
                   {"name", text_or_null(row.name)},
                   {"category", text_or_null(row.category)},
                   {"price", is_present(row.price) ? nlohmann::ordered_json(shortest(row.price))
                                                   : nlohmann::ordered_json(nullptr)},
                   {"image_url", text_or_null(row.image_url)},
                   {"score", shortest(row.score)}});
    if (!row.because) continue;
    nlohmann::ordered_json because = nlohmann::ordered_json::array();
    for (const Because& b : *row.because) {
      because.push_back({{"item", b.item_id}, {"contribution", shortest(b.contribution)}});
    }
    out.back()["because"] = std::move(because);
  }
  return out;
}

std::string answer_json(const Answer& answer, std::string_view user, std::string_view model_spec) {
  nlohmann::ordered_json j;
  j["user"] = user.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(std::string(user));
  j["model"] = model_spec;
  j["served_as"] = served_as_name(answer.served_as);
  j["items"] = item_rows_json(answer.items);
  j["notes"] = answer.notes;
  return json_text(j);
}

}  // namespace aisle
