#include "aisle/serve/companions.h"

#include <cstdio>

#include "aisle/serve/http_error.h"
#include "aisle/serve/model_loading.h"

namespace aisle::serve {

Companions::Companions(ServeState& state, std::string store_url) : state_(state), store_url_(std::move(store_url)) {
  for (const auto& [name, reference] : state_.config.serve.companions) {
    Companion c;
    c.name = name;
    c.reference = reference;
    companions_.push_back(std::move(c));
  }
}

Companions::~Companions() {
  stop();
}

void Companions::start() {
  if (companions_.empty() || loader_.joinable()) return;
  loader_ = std::thread([this] { load_all(); });
}

void Companions::stop() {
  cancelled_ = true;
  if (loader_.joinable()) loader_.join();
}

void Companions::load_all() {
  for (std::size_t i = 0; i < companions_.size(); ++i) {
    std::string reference;
    {
      std::lock_guard lock(mutex_);
      reference = companions_[i].reference;
    }
    std::shared_ptr<const Snapshot> snapshot;
    std::string status = "ready";
    try {
      snapshot = load_model_snapshot(state_, store_url_, reference, &cancelled_);
      std::fprintf(stderr, "aisle serve: companion %s: model ready (%s)\n", companions_[i].name.c_str(),
                   snapshot->spec.c_str());
    } catch (const Cancelled&) {
      return;
    } catch (const std::exception& e) {
      status = std::string("failed: ") + e.what();
      std::fprintf(stderr, "aisle serve: companion %s: no model: %s\n", companions_[i].name.c_str(), e.what());
    }
    std::lock_guard lock(mutex_);
    companions_[i].snapshot = std::move(snapshot);
    companions_[i].status = std::move(status);
  }
}

std::shared_ptr<const Snapshot> Companions::ready(std::string_view name) const {
  std::lock_guard lock(mutex_);
  std::string known = "serving";
  for (const Companion& c : companions_) {
    if (c.name == name) {
      if (c.snapshot) return c.snapshot;
      if (c.status == "loading") {
        throw RequestError(503, "model_loading", "model '" + c.name + "' is still being trained", "model");
      }
      throw RequestError(422, "model_failed", "model '" + c.name + "' is not available: " + c.status, "model");
    }
    known += ", " + c.name;
  }
  throw RequestError(400, "unknown_model",
                     "no model '" + std::string(name) + "'; known: " + known + " (GET /api/models)", "model");
}

Json Companions::list() const {
  std::lock_guard lock(mutex_);
  Json out = Json::array();
  for (const Companion& c : companions_) {
    Json j{{"name", c.name}, {"model", c.reference}, {"status", c.status}};
    const Snapshot* s = c.snapshot.get();
    j["spec"] = s != nullptr ? Json(s->spec) : Json(nullptr);
    j["kind"] = s != nullptr ? Json(s->model->model().kind()) : Json(nullptr);
    j["parameters"] = s != nullptr ? Json(s->model->model().params()) : Json(nullptr);
    j["source"] = s != nullptr ? Json(s->source) : Json(nullptr);
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace aisle::serve
