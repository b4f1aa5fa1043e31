#include "aisle/serve/experiments.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

#include "aisle/core/error.h"
#include "aisle/core/timestamp.h"
#include "aisle/serve/assignment.h"
#include "aisle/serve/experiment_report.h"
#include "aisle/serve/feedback.h"
#include "aisle/serve/http_error.h"
#include "aisle/serve/interleaving.h"
#include "aisle/serve/model_loading.h"
#include "aisle/serve/recommending.h"

namespace aisle::serve {

namespace {

constexpr std::string_view kServingModel = "serving";

// Feedback is read from this long before an experiment's first impression, for clocks that differ.
constexpr Timestamp kClockSkewMargin = 60;

Json time_or_null(const std::optional<Timestamp>& t) {
  return t ? Json(format_timestamp(*t)) : Json(nullptr);
}

// The definition as the admin route takes it and the store keeps it.
Json spec_json(const ExperimentSpec& e) {
  Json arms = Json::array();
  for (const ExperimentArm& a : e.arms) arms.push_back({{"name", a.name}, {"model", a.model}, {"share", a.share}});
  return Json{{"name", e.name},
              {"arms", arms},
              {"traffic", e.traffic},
              {"layer", e.layer},
              {"salt", e.salt},
              {"mode", mode_name(e.mode)},
              {"start", time_or_null(e.start)},
              {"stop", time_or_null(e.stop)},
              {"attribution_seconds", e.attribution_seconds},
              {"control", e.control}};
}

std::optional<Timestamp> time_member(const Json& body, std::string_view name) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  std::optional<Timestamp> t;
  if (it->is_number()) t = static_cast<Timestamp>(it->get<double>());
  if (it->is_string()) t = parse_timestamp(it->get_ref<const std::string&>(), TimeFormat::kAuto);
  if (!t) throw bad_field(std::string(name), "must be unix seconds or an ISO 8601 time");
  return t;
}

ExperimentSpec spec_from_json(const Json& body) {
  if (!body.is_object()) throw bad_field("body", "must be a JSON object (an experiment's definition)");
  static const std::vector<std::string_view> kKnown = {
      "name", "arms", "traffic", "layer", "salt", "mode", "start", "stop", "attribution_seconds", "control"};
  for (const auto& [key, value] : body.items()) {
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) {
      throw bad_field(key,
                      "is not a field of an experiment (name, arms, traffic, layer, salt, mode, start, stop, "
                      "attribution_seconds, control)");
    }
  }
  ExperimentSpec e;
  e.name = required_id(body, "name");
  const auto arms = body.find("arms");
  if (arms == body.end() || !arms->is_array()) throw bad_field("arms", "is required: an array of {name, model, share}");
  for (std::size_t i = 0; i < arms->size(); ++i) {
    const Json& a = (*arms)[i];
    const std::string at = "arms[" + std::to_string(i) + "]";
    if (!a.is_object()) throw bad_field(at, "must be an object {name, model, share}");
    ExperimentArm arm;
    arm.name = required_id(a, "name");
    arm.model = required_id(a, "model");
    arm.share = number_member(a, "share").value_or(1.0);
    e.arms.push_back(std::move(arm));
  }
  e.traffic = number_member(body, "traffic").value_or(1.0);
  e.layer = id_member(body, "layer").value_or("");
  e.salt = id_member(body, "salt").value_or("");
  const std::string mode = id_member(body, "mode").value_or("ab");
  if (mode != "ab" && mode != "interleave") throw bad_field("mode", "must be \"ab\" or \"interleave\"");
  e.mode = mode == "ab" ? ExperimentMode::kAb : ExperimentMode::kInterleave;
  e.start = time_member(body, "start");
  e.stop = time_member(body, "stop");
  e.attribution_seconds = static_cast<std::int64_t>(number_member(body, "attribution_seconds").value_or(86400));
  e.control = id_member(body, "control").value_or("");
  try {
    check_experiment(e);
  } catch (const ConfigError& error) {
    throw RequestError(400, "bad_experiment", error.what());
  }
  return e;
}

bool needs_model(const ExperimentArm& arm) {
  return arm.model != kServingModel;
}

// An entry for `spec` with no arm model loaded yet: "serving" arms ready, the others loading.
std::shared_ptr<ExperimentEntry> new_entry(ExperimentSpec spec) {
  auto e = std::make_shared<ExperimentEntry>();
  e->spec = std::move(spec);
  e->models.assign(e->spec.arms.size(), nullptr);
  for (const ExperimentArm& arm : e->spec.arms) e->arm_status.emplace_back(needs_model(arm) ? "loading" : "ready");
  return e;
}

}  // namespace

// ---- ExperimentEntry ----

std::optional<Timestamp> ExperimentEntry::start() const {
  if (started_at) return started_at;
  if (spec.start) return spec.start;
  if (configured) return server_start;
  return std::nullopt;
}

std::optional<Timestamp> ExperimentEntry::stop() const {
  return stopped_at ? stopped_at : spec.stop;
}

std::string ExperimentEntry::state(Timestamp now) const {
  const auto begin = start();
  const auto end = stop();
  if (end && *end <= now && (!begin || *begin <= *end)) return "stopped";
  if (!begin) return "defined";
  if (*begin > now) return "scheduled";
  for (const std::string& s : arm_status) {
    if (s.starts_with("failed")) return "failed";
  }
  for (const std::string& s : arm_status) {
    if (s != "ready") return "loading";
  }
  return "running";
}

// ---- Experiments ----

Experiments::Experiments(ServeState& state, std::string store_url) : state_(state), store_url_(std::move(store_url)) {
  std::random_device rd;
  request_nonce_ = (static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^
                   static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  impression_store_ = open_store(store_url_, OpenMode::kCreate);
  impressions_ = std::make_unique<GroupCommitWriter<Impression>>(
      [store = impression_store_.get()](std::span<const Impression> rows) { store->log_impressions(rows); }, nullptr,
      state_.config.serve.feedback_max_batch);
}

Experiments::~Experiments() {
  stop();
}

std::shared_ptr<const ExperimentList> Experiments::current() const {
  std::lock_guard lock(mutex_);
  return list_;
}

void Experiments::publish(std::vector<std::shared_ptr<const ExperimentEntry>> entries) {
  auto next = std::make_shared<ExperimentList>();
  for (const auto& e : entries) next->specs.push_back(e->spec);
  next->entries = std::move(entries);
  std::lock_guard lock(mutex_);
  list_ = std::move(next);
}

std::shared_ptr<const ExperimentEntry> Experiments::find(std::string_view name) const {
  for (const auto& e : current()->entries) {
    if (e->spec.name == name) return e;
  }
  throw NotFound("no experiment '" + std::string(name) + "' (GET /api/experiments lists them)");
}

void Experiments::start() {
  const std::vector<StoredExperiment> stored = open_store(store_url_, OpenMode::kCreate)->experiments();
  std::vector<std::shared_ptr<const ExperimentEntry>> entries;
  const auto stored_of = [&](const std::string& name) -> const StoredExperiment* {
    for (const StoredExperiment& s : stored) {
      if (s.name == name) return &s;
    }
    return nullptr;
  };
  for (const ExperimentSpec& spec : state_.config.experiments) {
    auto e = new_entry(spec);
    e->configured = true;
    e->server_start = static_cast<Timestamp>(std::time(nullptr));
    if (const StoredExperiment* s = stored_of(spec.name)) e->started_at = s->started_at, e->stopped_at = s->stopped_at;
    entries.push_back(e);
  }
  for (const StoredExperiment& s : stored) {
    if (s.definition.empty()) continue;  // the state of a configured experiment (or of one since removed)
    bool configured = false;
    for (const ExperimentSpec& spec : state_.config.experiments) configured |= spec.name == s.name;
    if (configured) continue;
    std::shared_ptr<ExperimentEntry> e;
    try {
      e = new_entry(spec_from_json(Json::parse(s.definition)));
    } catch (const std::exception& error) {
      throw StoreError(store_url_ + ": experiment '" + s.name +
                       "' has a definition this aisle cannot read: " + error.what());
    }
    e->started_at = s.started_at;
    e->stopped_at = s.stopped_at;
    entries.push_back(e);
  }
  std::vector<ExperimentSpec> specs;
  for (const auto& e : entries) specs.push_back(e->spec);
  check_experiments(specs);
  publish(entries);
  for (const auto& e : entries) queue_models(e);
  loader_ = std::thread([this] { load_models(); });
}

void Experiments::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cancelled_ = true;
  wake_loader_.notify_all();
  if (loader_.joinable()) loader_.join();
  if (impressions_) impressions_->close();
}

void Experiments::queue_models(const std::shared_ptr<const ExperimentEntry>& entry) {
  std::lock_guard lock(mutex_);
  for (std::size_t a = 0; a < entry->spec.arms.size(); ++a) {
    if (entry->arm_status[a] == "loading") pending_.emplace_back(entry->spec.name, a);
  }
  wake_loader_.notify_all();
}

void Experiments::load_models() {
  for (;;) {
    std::pair<std::string, std::size_t> job;
    {
      std::unique_lock lock(mutex_);
      wake_loader_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
      if (stopping_) return;
      job = pending_.front();
      pending_.erase(pending_.begin());
    }
    std::shared_ptr<const ExperimentEntry> entry;
    try {
      entry = find(job.first);
    } catch (const NotFound&) {
      continue;
    }
    if (job.second >= entry->spec.arms.size()) continue;
    const ExperimentArm arm = entry->spec.arms[job.second];
    std::shared_ptr<Snapshot> snapshot;
    std::string status = "ready";
    try {
      auto next = load_model_snapshot(state_, store_url_, arm.model, &cancelled_);
      snapshot = next;
      std::fprintf(stderr, "aisle serve: experiment %s, arm %s: model ready (%s)\n", entry->spec.name.c_str(),
                   arm.name.c_str(), next->spec.c_str());
    } catch (const Cancelled&) {
      return;
    } catch (const std::exception& e) {
      status = std::string("failed: ") + e.what();
      std::fprintf(stderr, "aisle serve: experiment %s, arm %s: no model: %s\n", entry->spec.name.c_str(),
                   arm.name.c_str(), e.what());
    }
    // The definition may have changed meanwhile: update the arm only if it still asks for this model.
    std::lock_guard admin(admin_mutex_);
    std::vector<std::shared_ptr<const ExperimentEntry>> entries = current()->entries;
    for (auto& e : entries) {
      if (e->spec.name != job.first || job.second >= e->spec.arms.size() ||
          e->spec.arms[job.second].model != arm.model) {
        continue;
      }
      auto updated = std::make_shared<ExperimentEntry>(*e);
      updated->models[job.second] = snapshot;
      updated->arm_status[job.second] = status;
      e = updated;
    }
    publish(std::move(entries));
  }
}

std::optional<Exposure> Experiments::exposure(std::string_view visitor, Timestamp now) const {
  if (visitor.empty()) return std::nullopt;
  const auto list = current();
  if (list->entries.empty()) return std::nullopt;
  for (const Assignment& a : assign_visitor(list->specs, visitor)) {
    const auto& entry = list->entries[a.experiment];
    if (entry->running(now)) return Exposure{entry, a.arm};
  }
  return std::nullopt;
}

std::string Experiments::next_request_id() {
  std::uint64_t n = 0;
  {
    std::lock_guard lock(mutex_);
    n = ++request_counter_;
  }
  const std::string nonce = std::to_string(request_nonce_), count = std::to_string(n);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(stable_hash({nonce, count, "a"})),
                static_cast<unsigned long long>(stable_hash({nonce, count, "b"})));
  return buf;
}

Json Experiments::serve(const Exposure& exposure, ItemRequest request, std::string_view visitor, bool anonymous,
                        Timestamp now) {
  const ExperimentEntry& x = *exposure.experiment;
  const auto serving = serving_snapshot(state_);
  const auto model_of = [&](std::size_t arm) { return x.models[arm] ? x.models[arm] : serving; };
  const std::string user = request.user;
  Impression impression;
  impression.request_id = next_request_id();
  impression.experiment = x.spec.name;
  impression.visitor = std::string(visitor);
  impression.anonymous = anonymous;
  impression.time = now;
  Json body;
  if (x.spec.mode == ExperimentMode::kAb) {
    const auto snapshot = model_of(exposure.arm);
    const Served served = serve_one(state_, *snapshot, std::move(request));
    for (const ItemRow& row : served.answer.items) impression.items.push_back(row.item_id);
    impression.arm = x.spec.arms[exposure.arm].name;
    body = served_json(served, *snapshot, user);
    body["request_id"] = impression.request_id;
    body["experiment"] = {{"name", x.spec.name}, {"arm", impression.arm}};
  } else {
    const std::size_t k = request.k;
    const auto first = model_of(0), second = model_of(1);
    const Served a = serve_one(state_, *first, request);
    const Served b = serve_one(state_, *second, std::move(request));
    std::array<std::vector<std::string>, 2> ids;
    for (const ItemRow& row : a.answer.items) ids[0].push_back(row.item_id);
    for (const ItemRow& row : b.answer.items) ids[1].push_back(row.item_id);
    const Interleaved merged = team_draft(ids[0], ids[1], k, stable_hash({impression.request_id}));
    Served out = a;
    out.answer.items.clear();
    for (std::size_t p = 0; p < merged.from.size(); ++p) {
      const Served& from = merged.from[p] == 0 ? a : b;
      out.answer.items.push_back(from.answer.items[merged.index[p]]);
      impression.items.push_back(out.answer.items.back().item_id);
      impression.credits.push_back(x.spec.arms[merged.from[p]].name);
    }
    for (const std::string& note : b.answer.notes) {
      if (std::find(out.answer.notes.begin(), out.answer.notes.end(), note) == out.answer.notes.end())
        out.answer.notes.push_back(note);
    }
    body = served_json(out, *first, user);
    body["model"] = {{"spec", "interleave(" + first->spec + "; " + second->spec + ")"}, {"version", first->version}};
    body["request_id"] = impression.request_id;
    body["experiment"] = {{"name", x.spec.name}, {"mode", "interleave"}};
  }
  impressions_->submit({std::move(impression)});
  state_.telemetry.impressions++;
  return body;
}

Json Experiments::list(Timestamp now) const {
  Json out = Json::array();
  for (const auto& e : current()->entries) {
    Json arms = Json::array();
    for (std::size_t a = 0; a < e->spec.arms.size(); ++a) {
      arms.push_back({{"name", e->spec.arms[a].name},
                      {"model", e->spec.arms[a].model},
                      {"share", e->spec.arms[a].share},
                      {"status", e->arm_status[a]}});
    }
    out.push_back({{"name", e->spec.name},
                   {"state", e->state(now)},
                   {"mode", mode_name(e->spec.mode)},
                   {"layer", e->spec.layer},
                   {"traffic", e->spec.traffic},
                   {"control", e->spec.control},
                   {"start", time_or_null(e->start())},
                   {"stop", time_or_null(e->stop())},
                   {"attribution_seconds", e->spec.attribution_seconds},
                   {"source", e->configured ? "aisle.toml" : "admin"},
                   {"arms", arms}});
  }
  return Json{{"experiments", out}};
}

Json Experiments::report(std::string_view name, Timestamp now) const {
  const auto entry = find(name);
  auto store = open_store(store_url_, OpenMode::kExisting);
  const std::vector<Impression> impressions = store->impressions(name);
  std::vector<LiveEvent> feedback;
  if (!impressions.empty()) {
    // Feedback runs appended to since the first impression (feedback_since takes a run whole).
    feedback = store->feedback_since(impressions.front().time - kClockSkewMargin);
  }
  const auto serving = state_.snapshots.current();
  const auto price = [&](std::string_view item) -> float {
    if (!serving) return kAbsent;
    const ItemIdx i = serving->model->items().find(item);
    if (i == kNoIndex) return kAbsent;
    const Scored one{i, 0};
    return describe(*serving->model, std::span<const Scored>(&one, 1)).front().price;
  };
  Json out{{"name", entry->spec.name},
           {"state", entry->state(now)},
           {"mode", mode_name(entry->spec.mode)},
           {"control", entry->spec.control},
           {"start", time_or_null(entry->start())},
           {"stop", time_or_null(entry->stop())},
           {"attribution_seconds", entry->spec.attribution_seconds},
           {"impressions", impressions.size()}};
  const Json measured = experiment_report({&entry->spec, impressions, feedback, price});
  for (const auto& [key, value] : measured.items()) out[key] = value;
  return out;
}

void Experiments::persist(const ExperimentEntry& entry) {
  open_store(store_url_, OpenMode::kCreate)
      ->save_experiment({entry.spec.name, entry.configured ? std::string() : spec_json(entry.spec).dump(),
                         entry.started_at, entry.stopped_at});
}

Json Experiments::define(const Json& definition, Timestamp now) {
  ExperimentSpec spec = spec_from_json(definition);
  std::lock_guard admin(admin_mutex_);
  std::vector<std::shared_ptr<const ExperimentEntry>> entries = current()->entries;
  std::shared_ptr<ExperimentEntry> next;
  std::size_t at = entries.size();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (entries[i]->spec.name != spec.name) continue;
    if (entries[i]->configured) {
      throw RequestError(409, "configured", "experiment '" + spec.name + "' is defined in aisle.toml; change it there");
    }
    at = i;
  }
  next = new_entry(spec);
  for (std::size_t a = 0; a < spec.arms.size() && at < entries.size(); ++a) {
    // An arm whose model is unchanged keeps what was loaded for it.
    const ExperimentEntry& old = *entries[at];
    for (std::size_t b = 0; b < old.spec.arms.size(); ++b) {
      if (old.spec.arms[b].model == spec.arms[a].model && old.arm_status[b] == "ready") {
        next->models[a] = old.models[b];
        next->arm_status[a] = "ready";
      }
    }
  }
  if (at < entries.size()) {
    next->started_at = entries[at]->started_at;
    next->stopped_at = entries[at]->stopped_at;
    entries[at] = next;
  } else {
    entries.push_back(next);
  }
  std::vector<ExperimentSpec> specs;
  for (const auto& e : entries) specs.push_back(e->spec);
  try {
    check_experiments(specs);
  } catch (const ConfigError& e) {
    throw RequestError(400, "bad_experiment", e.what());
  }
  persist(*next);
  publish(entries);
  queue_models(next);
  return list(now);
}

Json Experiments::change_state(std::string_view name, Timestamp now,
                               const std::function<void(ExperimentEntry&)>& change) {
  std::lock_guard admin(admin_mutex_);
  std::vector<std::shared_ptr<const ExperimentEntry>> entries = current()->entries;
  for (auto& e : entries) {
    if (e->spec.name != name) continue;
    auto next = std::make_shared<ExperimentEntry>(*e);
    change(*next);
    persist(*next);
    e = next;
    publish(entries);
    return list(now);
  }
  throw NotFound("no experiment '" + std::string(name) + "' (GET /api/experiments lists them)");
}

Json Experiments::start_experiment(std::string_view name, Timestamp now) {
  return change_state(name, now, [now](ExperimentEntry& e) {
    if (e.spec.stop && *e.spec.stop <= now) {
      throw RequestError(409, "past_stop",
                         "experiment '" + e.spec.name + "' was planned to stop at " + format_timestamp(*e.spec.stop) +
                             "; give it a later stop first");
    }
    e.started_at = now;
    e.stopped_at.reset();
  });
}

Json Experiments::stop_experiment(std::string_view name, Timestamp now) {
  return change_state(name, now, [now](ExperimentEntry& e) { e.stopped_at = now; });
}

}  // namespace aisle::serve
