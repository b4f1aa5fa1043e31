// A user's history: what the serving model was trained on, and the live feedback it has not learnt.
#include "aisle/core/text.h"
#include "aisle/core/timestamp.h"
#include "aisle/serve/handlers/handlers.h"
#include "aisle/serve/http_error.h"
#include "aisle/serve/recommending.h"

namespace aisle::serve::handlers {

Reply get_user_history(ServeState& state, const httplib::Request& request) {
  const auto snapshot = serving_snapshot(state);
  const TrainedModel& model = *snapshot->model;
  const std::string user = checked_id(request.matches[1].str(), "id");
  const UserIdx u = model.users().find(user);
  std::vector<std::string> removed;
  const std::vector<std::string> live = unlearnt_live_items(state, *snapshot, user, &removed);
  if (u == kNoIndex && live.empty() && removed.empty()) {
    throw NotFound("user '" + printable(user) + "' is not in the model's training data and has sent no feedback");
  }
  Json training = Json::array();
  if (u != kNoIndex) {
    const History& h = model.history();
    for (std::uint64_t p = h.row_ptr[u]; p < h.row_ptr[u + 1]; ++p) {
      const Scored item{h.item[p], 0};
      Json row = item_rows_json(describe(model, std::span(&item, 1))).at(0);
      row.erase("score");
      row["weight"] = h.weight[p];
      row["last_time"] = h.last_time[p] == 0 ? Json(nullptr) : Json(format_timestamp(h.last_time[p]));
      training.push_back(std::move(row));
    }
  }
  Json j = Json::object();
  j["user_id"] = user;
  j["known_to_model"] = u != kNoIndex;
  j["training"] = training;
  j["live"] = live;
  j["live_removed"] = removed;
  return json_reply(j);
}

}  // namespace aisle::serve::handlers
