// GET /api/stats: the shop in numbers for the dashboard's overview and analytics (users, items,
// events, the event mix, prices and their histogram, the most bought product, categories, events
// over time, the most active users), from the store's events. Reading the store costs a full scan, so the answer is
// computed once per served snapshot (model version) and kept in a StatsCache; live feedback after that shows at the
// next model.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "aisle/data/event_log.h"
#include "aisle/data/weighting.h"

namespace aisle::serve {

// The answer's body for `log` (pure; weighting as in `aisle stats`). `top_n` products and
// categories, `active_n` users.
nlohmann::json shop_stats_json(const EventLog& log, const Weighting& weighting, std::size_t top_n = 10,
                               std::size_t active_n = 20);

// The answer per model version. Thread-safe: the first request for a new version computes it
// while the others wait for it (one store scan, not one per request).
class StatsCache {
 public:
  std::shared_ptr<const nlohmann::json> get(std::uint64_t version, const std::function<nlohmann::json()>& compute);

 private:
  std::mutex mutex_;
  std::uint64_t version_ = 0;
  std::shared_ptr<const nlohmann::json> body_;
};

}  // namespace aisle::serve
