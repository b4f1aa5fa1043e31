#include "aisle/cli/progress_bar.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace aisle::cli {

ProgressBar::ProgressBar()
    : enabled_(isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now()), last_(start_) {}

void ProgressBar::update(std::string_view stage, std::uint64_t rows, std::uint64_t done_bytes,
                         std::uint64_t total_bytes) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (stage != stage_) {  // a new stage has its own rate
    stage_ = stage;
    start_ = now;
    drawn_ = false;
  }
  if (drawn_ && now - last_ < std::chrono::milliseconds(120)) return;
  last_ = now;
  drawn_ = true;
  const double secs = std::chrono::duration<double>(now - start_).count();
  // The first moments of a stage say nothing about its rate.
  const std::string rate =
      secs >= 0.1 ? with_commas(static_cast<std::uint64_t>(static_cast<double>(rows) / secs)) : "-";
  std::string bytes = done_bytes > 0 || total_bytes > 0 ? human_bytes(done_bytes) : "";
  if (total_bytes > 0) {
    bytes +=
        " / " + human_bytes(total_bytes) + " (" +
        std::to_string(static_cast<int>(100.0 * static_cast<double>(done_bytes) / static_cast<double>(total_bytes))) +
        "%)";
  }
  std::fprintf(stderr, "\r\033[K%.*s  %s rows  %s rows/s  %s", static_cast<int>(stage.size()), stage.data(),
               with_commas(rows).c_str(), rate.c_str(), bytes.c_str());
  std::fflush(stderr);
}

void ProgressBar::step(std::string_view stage, std::uint64_t done, std::uint64_t total, double loss) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (stage != stage_) {
    stage_ = stage;
    start_ = now;
  }
  const double secs = std::chrono::duration<double>(now - start_).count();
  std::string line = std::string(stage) + " " + std::to_string(done) + "/" + std::to_string(total);
  char buf[96];
  if (!std::isnan(loss)) {
    std::snprintf(buf, sizeof buf, "  loss %.6g", loss);
    line += buf;
  }
  std::snprintf(buf, sizeof buf, "  elapsed %.1f s", secs);
  line += buf;
  if (done > 0 && done < total) {
    std::snprintf(buf, sizeof buf, "  ETA %.1f s",
                  secs / static_cast<double>(done) * static_cast<double>(total - done));
    line += buf;
  }
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
  last_ = now;
}

void ProgressBar::finish() {
  if (enabled_ && drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
}

std::string human_bytes(std::uint64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000.0 && u < 4) v /= 1000.0, ++u;
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

std::string with_commas(std::uint64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

}  // namespace aisle::cli
