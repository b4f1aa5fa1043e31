// POST /api/feedback: one event or an array, all checked before any is stored (a bad one is a
// 400 naming its index and field, and nothing of the request is stored); answered 200 only once
// the store has committed them (feedback.h).
#include "aisle/serve/feedback.h"

#include <cmath>
#include <ctime>

#include "aisle/core/text.h"
#include "aisle/core/timestamp.h"
#include "aisle/data/readers/reader.h"
#include "aisle/serve/handlers/handlers.h"
#include "aisle/serve/http_error.h"

namespace aisle::serve::handlers {

namespace {

Timestamp event_time(const Json& e, const Config& config, Timestamp now) {
  const auto it = e.find("timestamp");
  if (it == e.end() || it->is_null()) return now;
  std::optional<Timestamp> t;
  if (it->is_number()) {
    const double v = it->get<double>();
    if (std::isfinite(v) && std::fabs(v) < 1e15)
      t = static_cast<Timestamp>(v >= 1e11 ? std::floor(v / 1000) : std::floor(v));
  } else if (it->is_string()) {
    t = parse_timestamp(it->get_ref<const std::string&>(), TimeFormat::kAuto);
  }
  if (!t) throw bad_field("timestamp", "must be unix seconds, unix milliseconds or an ISO 8601 time");
  if (*t < config.earliest_time || *t > latest_time_from_now(config.future_tolerance_days)) {
    throw bad_field("timestamp", format_timestamp(*t) +
                                     " is outside the accepted range (ingest.earliest_time to now + " +
                                     std::to_string(config.future_tolerance_days) + " days)");
  }
  return *t;
}

FeedbackEvent parse_event(const Json& e, const Config& config, Timestamp now) {
  if (!e.is_object()) throw bad_field("event", "each event must be a JSON object");
  FeedbackEvent out;
  out.user = required_id(e, "user_id");
  if (auto item = id_member(e, "item_id")) {
    out.item = *item;
  } else {
    out.item = required_id(e, "product_id");
  }
  if (auto session = id_member(e, "session_id")) out.session = *session;
  const auto rating = number_member(e, "rating");
  const auto value = number_member(e, "value");
  if (auto type = id_member(e, "event")) {
    out.type = canonical_event_type(*type);
  } else if (rating) {
    out.type = "rating";
  } else {
    throw bad_field("event", "is required (view, cart, purchase, ... or give a rating)");
  }
  const double v = rating ? *rating : value.value_or(std::nan(""));
  if (rating || value) {
    if (!std::isfinite(v) || std::fabs(v) > 1e30) {
      throw bad_field(rating ? "rating" : "value", "must be a finite number of magnitude up to 1e30");
    }
    out.value = static_cast<float>(v);
  }
  const TypeWeight* rule = config.weighting.find(out.type);
  if (rule == nullptr) {
    std::string known;
    for (const TypeWeight& t : config.weighting.types()) known += (known.empty() ? "" : ", ") + t.name;
    throw bad_field("event", "'" + printable(out.type) + "' is not an event type of the weighting; known: " + known +
                                 " (interactions.weights adds types)");
  }
  if (rule->from_value && !is_present(out.value)) {
    throw bad_field("value", "event '" + out.type + "' takes its weight from the value: give value or rating");
  }
  out.weight = event_weight(kAbsent, out.value, *rule);
  out.time = event_time(e, config, now);
  return out;
}

}  // namespace

Reply post_feedback(ServeState& state, const httplib::Request& request) {
  const Json body = parse_body(request.body);
  const Json* list = &body;
  Json one = Json::array();
  if (body.is_object()) {
    if (const auto it = body.find("events"); it != body.end()) {
      list = &*it;
    } else {
      one.push_back(body);
      list = &one;
    }
  }
  if (!list->is_array() || list->empty()) throw bad_field("events", "give one event object or a non-empty array");
  const auto now = static_cast<Timestamp>(std::time(nullptr));
  std::vector<FeedbackEvent> events;
  events.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    try {
      events.push_back(parse_event((*list)[i], state.config, now));
    } catch (const RequestError& e) {
      state.telemetry.feedback_rejected += list->size();
      if (list == &one) throw;
      throw RequestError(400, e.code(), "events[" + std::to_string(i) + "]." + e.what(),
                         "events[" + std::to_string(i) + "]." + e.field());
    }
  }
  const std::size_t n = events.size();
  try {
    state.feedback->submit(std::move(events));
  } catch (...) {
    state.telemetry.feedback_rejected += n;
    throw;
  }
  state.telemetry.feedback_accepted += n;
  return json_reply(Json{{"accepted", n}});
}

}  // namespace aisle::serve::handlers
