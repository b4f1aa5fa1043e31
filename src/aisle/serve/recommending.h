// Answering requests from the serving snapshot: the user's live feedback joins the request's
// history (so the next answer reflects it), the top-list cache answers when it gives exactly
// what the full path would, and everything else goes through app/requests.h's batch path.
// Thread-safe: called from any request thread.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "aisle/app/requests.h"
#include "aisle/serve/json_body.h"
#include "aisle/serve/serve_state.h"

namespace aisle::serve {

struct Served {
  Answer answer;
  bool from_cache = false;
};

// The serving snapshot; 503 "not_ready" before the first model is in service.
std::shared_ptr<const Snapshot> serving_snapshot(const ServeState& state);

// The user's live items (LiveHistory::items_of, oldest first) less those in the user's training
// history: the feedback the snapshot's model has not learnt. `removed` as in items_of.
std::vector<std::string> unlearnt_live_items(const ServeState& state, const Snapshot& snapshot, std::string_view user,
                                             std::vector<std::string>* removed = nullptr);

// Answers, in the requests' order, from one snapshot. A request that cannot be served (an
// unknown category, no user and no known item) throws for a single request; in a batch its
// place holds the error instead (`errors[i]` non-null), the others are answered.
Served serve_one(const ServeState& state, const Snapshot& snapshot, ItemRequest request);
std::vector<Served> serve_batch(const ServeState& state, const Snapshot& snapshot, std::vector<ItemRequest> requests,
                                std::vector<std::exception_ptr>& errors);

// {"user_id", "model": {"spec", "version"}, "served_as", "items": [...], "warnings": [...]}
Json served_json(const Served& served, const Snapshot& snapshot, std::string_view user);

}  // namespace aisle::serve
