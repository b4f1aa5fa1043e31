// Requests in external ids, answers with catalog fields: the translation the CLI and the server
// share. A request names a user, a history, a category and filters by their external ids; it is
// resolved against a model into a Query and a Filter (models/request.h), and the answer's
// item indices are turned back into ids with the name, category and price the model file keeps.
//
// Unknown ids follow one policy (README, "Recommendations"): an unknown user is served by the cold-start
// path (popular items under the same filter) and says so; unknown history and include ids are
// dropped with a warning, an error only when none is known; unknown exclude ids are ignored;
// an unknown category is an error that lists the closest names. `strict_ids` makes any unknown
// user or history item an error instead.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aisle/models/trained_model.h"

namespace aisle {

struct ItemRequest {
  std::string user;                // empty: no user
  std::vector<std::string> items;  // a history, oldest first (anonymous, or added to the user's)
  std::vector<Timestamp> times;    // empty, or one per item (unix seconds)
  // The items are one visit's clicks in order (Query::session): a route answers with its session
  // member (/api/session/recommend, recommend --session).
  bool session = false;
  std::string category;  // id, name or dotted name path (ItemFacts::find_categories)
  std::vector<std::string> exclude, include;
  bool keep_seen = false, available_only = false, strict_ids = false;
  // Each recommended item carries `because`: the history items that contributed most to its
  // score (at most kBecauseItems; Ranker::explain), empty when the model cannot explain or the
  // answer is a cold start.
  bool explain = false;
  // The server's rule, where unknown ids are never errors: an anonymous history of only unknown
  // items is a cold start (popular items), and an unknown category or an include list of only
  // unknown ids leaves nothing eligible; each says so in a warning.
  bool unknown_ids_warn = false;
  std::size_t k = 10;  // 1..kMaxK (parse_k)
};

// History items listed under an explained recommendation.
inline constexpr std::size_t kBecauseItems = 3;

enum class ServedAs { kModel, kColdStart };
std::string_view served_as_name(ServedAs s);  // "model", "cold_start"

struct ResolvedRequest {
  Query query;
  Filter filter;
  std::size_t k = 10;
  bool explain = false;  // ItemRequest::explain
  ServedAs served_as = ServedAs::kModel;
  std::vector<std::string> warnings;  // ids left out, and why
};

// The request's filter alone (exclude, include, category, available_only, keep_seen); unknown
// include ids are listed in `warnings`. Throws NotFound for an unknown category or include list.
Filter resolve_filter(const TrainedModel& model, const ItemRequest& request, std::vector<std::string>& warnings);

// Throws NotFound naming the field and the id when the request cannot be served.
ResolvedRequest resolve_request(const TrainedModel& model, const ItemRequest& request);

// A history item behind a recommendation and what it contributed to the score (Explainer).
struct Because {
  std::string item_id;
  float contribution = 0;
};

struct ItemRow {
  std::string item_id, name, category, image_url;  // empty when the catalog lacks them
  float price = kAbsent;
  float score = 0;
  std::optional<std::vector<Because>> because;  // set, maybe empty, when the request asked to explain
};

struct Answer {
  ServedAs served_as = ServedAs::kModel;
  std::vector<ItemRow> items;
  std::vector<std::string> notes;  // warnings, and why fewer than k items came back
};

// The answers to resolved requests, in their order: those the model serves through one batch
// call (each with its own filter and k), cold-start ones from popular items under their filter.
// `approximate`: an index of this model to answer through (Ranker::recommend); null: exact.
std::vector<Answer> answer_resolved(const TrainedModel& model, std::span<const ResolvedRequest> requests,
                                    const RunContext& run, const HnswIndex* approximate = nullptr);

// The answers to requests that differ only in their user (one batch call for all that the model
// serves, on the run's threads); `shared` gives everything else. Answers are in the users' order.
std::vector<Answer> recommend_for_users(const TrainedModel& model, std::span<const std::string> users,
                                        const ItemRequest& shared, const RunContext& run);
// One request, on the calling thread.
Answer recommend(const TrainedModel& model, const ItemRequest& request, const HnswIndex* approximate = nullptr);
// Items similar to `item` under the request's filters (its user and history are not used).
Answer similar(const TrainedModel& model, std::string_view item, const ItemRequest& request);

// The note of an answer with fewer than k items, saying why.
std::string fewer_items_note(const TrainedModel& model, std::size_t found, std::size_t k);

// Rows for scored items: external id, catalog fields, score.
std::vector<ItemRow> describe(const TrainedModel& model, std::span<const Scored> items);

// [{"item_id", "name", "category", "price", "image_url", "score"}]; null for what the catalog lacks;
// rows with `because` set add "because": [{"item", "contribution"}].
nlohmann::ordered_json item_rows_json(std::span<const ItemRow> rows);

// {"user", "model", "served_as", "items": [...item_rows_json], "notes"}; valid UTF-8 whatever
// the ids hold (core/json_text.h).
std::string answer_json(const Answer& answer, std::string_view user, std::string_view model_spec);

}  // namespace aisle
