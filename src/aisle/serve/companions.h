// Companion models (serve.companions): models served beside the serving one, each under a name,
// so that one session can be answered by several models side by side (the dashboard's session
// demo). They are had like experiment arms (model_loading.h): specs are fitted from the store,
// one at a time, on a background thread started at start; "file:PATH" is read there too. A
// companion is "loading" until then, "ready", or "failed: why" (a sasrec companion where the
// torch plugin is missing, say); a failed one never stops the server. Companions are fitted
// once: a retrain of the serving model leaves them as they are.
//
// Thread safety: every method may be called from any thread; the list changes under a mutex and a
// request keeps the snapshot it took.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "aisle/serve/json_body.h"
#include "aisle/serve/serve_state.h"

namespace aisle::serve {

class Companions {
 public:
  // The companions of state.config.serve.companions, all "loading"; nothing loads until start().
  Companions(ServeState& state, std::string store_url);
  ~Companions();
  Companions(const Companions&) = delete;
  Companions& operator=(const Companions&) = delete;

  void start();  // starts the loader thread (none when there is no companion)
  void stop();   // a fit in progress ends at its next step; safe to call more than once

  // The ready companion `name`: NotFound (404) for a name that is not configured, 503
  // "model_loading" while it loads, 422 "model_failed" when it could not be had.
  std::shared_ptr<const Snapshot> ready(std::string_view name) const;
  // [{"name", "model" (the reference configured), "status", "spec", "kind", "parameters",
  //   "source"}]: spec and the rest null until ready.
  Json list() const;

 private:
  struct Companion {
    std::string name, reference;
    std::string status = "loading";  // "loading", "ready" or "failed: why"
    std::shared_ptr<const Snapshot> snapshot;
  };
  void load_all();

  ServeState& state_;
  std::string store_url_;
  mutable std::mutex mutex_;  // guards companions_
  std::vector<Companion> companions_;
  std::atomic<bool> cancelled_{false};
  std::thread loader_;
};

}  // namespace aisle::serve
