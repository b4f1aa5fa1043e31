// Online experiments in the server (docs/EXPERIMENTS.md): the definitions (aisle.toml's, and
// those defined through the admin routes, kept in the store), which of them run, the model behind
// each arm, which arm a request's visitor sees, the durable impression log, and the report.
//
// An experiment runs from its start (aisle.toml's `start`, else at once for a configured one; a
// defined one waits for POST .../start) until its stop, once every arm's model is ready. Arms
// name "serving" (the model in service), "file:PATH" (loaded at start) or a spec (trained from
// the store at start, on a background thread, one arm at a time).
//
// Thread safety: every method may be called from any thread. The definitions and the arms'
// models form an immutable list that changes by copy and swap under a mutex (a request keeps the
// list it took); impressions are committed by a group-commit writer on its own store object.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "aisle/app/requests.h"
#include "aisle/config/experiments.h"
#include "aisle/serve/group_commit.h"
#include "aisle/serve/json_body.h"
#include "aisle/serve/serve_state.h"
#include "aisle/store/event_store.h"

namespace aisle::serve {

// One experiment as the server holds it.
struct ExperimentEntry {
  ExperimentSpec spec;
  bool configured = false;                          // from aisle.toml; else defined through the admin route
  std::optional<Timestamp> started_at, stopped_at;  // set through the admin routes (kept in the store)
  Timestamp server_start = 0;  // when the server read its experiments: a configured one's default start
  std::vector<std::shared_ptr<const Snapshot>> models;  // per arm; null for "serving" and until loaded
  std::vector<std::string> arm_status;                  // per arm: "ready", "loading", or "failed: why"

  std::optional<Timestamp> start() const;  // started_at, else spec.start, else (configured) server_start
  std::optional<Timestamp> stop() const;   // stopped_at, else spec.stop
  // "defined" (never started), "scheduled", "loading", "running", "stopped", "failed" (an arm's
  // model could not be had).
  std::string state(Timestamp now) const;
  bool running(Timestamp now) const { return state(now) == "running"; }
};

// What requests read: the entries, and their definitions in the same order for assign_visitor.
struct ExperimentList {
  std::vector<std::shared_ptr<const ExperimentEntry>> entries;
  std::vector<ExperimentSpec> specs;
};

// The experiment (and arm, for A/B) a request takes part in.
struct Exposure {
  std::shared_ptr<const ExperimentEntry> experiment;
  std::size_t arm = 0;  // A/B only
};

class Experiments {
 public:
  // Opens its own store object for impressions (one writer thread). Nothing loads until start().
  Experiments(ServeState& state, std::string store_url);
  ~Experiments();
  Experiments(const Experiments&) = delete;
  Experiments& operator=(const Experiments&) = delete;

  // Reads the experiments kept in the store, joins aisle.toml's, and starts loading the arms'
  // models on a background thread. Throws ConfigError when the two together are not a valid set
  // (an admin-defined experiment whose layer aisle.toml has since filled, say).
  void start();
  // Stops loading models (a fit in progress ends at its next step), commits queued impressions.
  void stop();

  // The first running experiment (in definition order) that `visitor` takes part in; none when
  // the visitor id is empty or no running experiment takes them.
  std::optional<Exposure> exposure(std::string_view visitor, Timestamp now) const;

  // Answers `request` for the exposed visitor with the arm's model (A/B) or both arms' lists
  // interleaved, logs the impression (returns once it is committed), and returns the response
  // body: the usual answer plus "request_id" and "experiment": {"name", "arm" | "mode"}.
  Json serve(const Exposure& exposure, ItemRequest request, std::string_view visitor, bool anonymous, Timestamp now);

  // GET /api/experiments, GET /api/experiments/{name} (NotFound for an unknown name).
  Json list(Timestamp now) const;
  Json report(std::string_view name, Timestamp now) const;
  // POST /api/admin/experiments: defines (or redefines: shares may change while it runs) an
  // experiment from its JSON definition; a configured name is refused (409).
  Json define(const Json& definition, Timestamp now);
  // POST /api/admin/experiments/{name}/start and /stop; kept in the store.
  Json start_experiment(std::string_view name, Timestamp now);
  Json stop_experiment(std::string_view name, Timestamp now);

 private:
  std::shared_ptr<const ExperimentList> current() const;
  // Makes `entries` the list (under mutex_).
  void publish(std::vector<std::shared_ptr<const ExperimentEntry>> entries);
  void persist(const ExperimentEntry& entry);
  // Applies `change` to a copy of the named experiment, keeps it in the store, publishes it.
  Json change_state(std::string_view name, Timestamp now, const std::function<void(ExperimentEntry&)>& change);
  void queue_models(const std::shared_ptr<const ExperimentEntry>& entry);
  void load_models();
  std::shared_ptr<const ExperimentEntry> find(std::string_view name) const;
  std::string next_request_id();

  ServeState& state_;
  std::string store_url_;
  mutable std::mutex mutex_;  // guards list_, pending_, request ids
  std::shared_ptr<const ExperimentList> list_ = std::make_shared<ExperimentList>();
  std::vector<std::pair<std::string, std::size_t>> pending_;  // (experiment, arm) models to load
  std::condition_variable wake_loader_;
  bool stopping_ = false;
  std::atomic<bool> cancelled_{false};
  std::thread loader_;
  std::uint64_t request_counter_ = 0, request_nonce_ = 0;
  std::unique_ptr<EventStore> impression_store_;  // the writer thread's only
  std::unique_ptr<GroupCommitWriter<Impression>> impressions_;
  std::mutex admin_mutex_;  // one admin change at a time (read, check, persist, publish)
};

}  // namespace aisle::serve
