// Online experiments: their list and reports (reads), and the admin routes that define, start
// and stop them (docs/EXPERIMENTS.md).
#include "aisle/serve/experiments.h"

#include <ctime>

#include "aisle/serve/handlers/handlers.h"

namespace aisle::serve::handlers {

namespace {

Timestamp now() {
  return static_cast<Timestamp>(std::time(nullptr));
}

std::string name_of(const httplib::Request& request) {
  return checked_id(request.matches[1].str(), "name");
}

}  // namespace

Reply get_experiments(ServeState& state, const httplib::Request&) {
  return json_reply(state.experiments->list(now()));
}

Reply get_experiment(ServeState& state, const httplib::Request& request) {
  return json_reply(state.experiments->report(name_of(request), now()));
}

Reply post_admin_define_experiment(ServeState& state, const httplib::Request& request) {
  return json_reply(state.experiments->define(parse_body(request.body), now()));
}

Reply post_admin_start_experiment(ServeState& state, const httplib::Request& request) {
  return json_reply(state.experiments->start_experiment(name_of(request), now()));
}

Reply post_admin_stop_experiment(ServeState& state, const httplib::Request& request) {
  return json_reply(state.experiments->stop_experiment(name_of(request), now()));
}

}  // namespace aisle::serve::handlers
