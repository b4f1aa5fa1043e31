// What /metrics shows, in the Prometheus text format (version 0.0.4): per route and status,
// request counts and latency histograms with buckets fine enough for sub-millisecond answers;
// feedback accepted and rejected; impressions logged for experiments; cache hits and misses; model version, age, swaps,
// refusals and retrain duration. Labels are route patterns and status codes only, never ids from a request.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace aisle::serve {

class Telemetry {
 public:
  // Upper bounds of the latency buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 16> kBuckets = {0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0025, 0.005, 0.0075,
                                                      0.01,   0.025,   0.05,   0.1,     0.25,  0.5,    1.0,   2.5};

  void observe_request(std::string_view route, int status, double seconds);

  std::atomic<std::uint64_t> feedback_accepted{0}, feedback_rejected{0};
  std::atomic<std::uint64_t> feedback_commits{0};
  std::atomic<std::uint64_t> feedback_followed{0};  // events other servers committed, added to the live history
  std::atomic<std::uint64_t> impressions{0};        // lists served in online experiments (logged)
  std::atomic<std::uint64_t> cache_hits{0}, cache_misses{0};
  std::atomic<std::uint64_t> model_swaps{0}, model_refusals{0};
  std::atomic<double> last_retrain_seconds{0};
  std::atomic<std::uint64_t> model_version{0};
  std::atomic<std::int64_t> model_loaded_at{0};

  // The exposition text, with `now` (unix seconds) for the model's age.
  std::string prometheus_text(std::int64_t now) const;

 private:
  struct Series {
    std::array<std::uint64_t, kBuckets.size() + 1> counts{};  // last: above every bound
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, Series> requests_;
};

}  // namespace aisle::serve
