#include "aisle/data/synth.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <random>
#include <vector>

#include "aisle/core/error.h"

namespace aisle {

namespace {

// Uniform double in [0, 1) from 53 random bits: the same on every standard library.
double uniform(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// Fisher-Yates with our own index draw: std::shuffle's algorithm differs between libraries.
template <typename T>
void shuffle(std::vector<T>& v, std::mt19937_64& rng) {
  for (std::size_t i = v.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(uniform(rng) * static_cast<double>(i));
    std::swap(v[i - 1], v[std::min(j, i - 1)]);
  }
}

// Samples ranks 0..n-1 with probability proportional to 1 / (rank + 1)^exponent.
class ZipfSampler {
 public:
  ZipfSampler(std::uint32_t n, double exponent) : cdf_(n) {
    double sum = 0.0;
    for (std::uint32_t r = 0; r < n; ++r) {
      sum += 1.0 / std::pow(static_cast<double>(r) + 1.0, exponent);
      cdf_[r] = sum;
    }
    for (double& c : cdf_) c /= sum;
  }
  std::uint32_t operator()(std::mt19937_64& rng) const {
    const auto it = std::upper_bound(cdf_.begin(), cdf_.end(), uniform(rng));
    return static_cast<std::uint32_t>(
        std::min<std::ptrdiff_t>(it - cdf_.begin(), static_cast<std::ptrdiff_t>(cdf_.size()) - 1));
  }

 private:
  std::vector<double> cdf_;
};

// Buffered writer with error checking.
class CsvOut {
 public:
  explicit CsvOut(const std::string& path) : path_(path), f_(std::fopen(path.c_str(), "wb")) {
    if (f_ == nullptr) throw InputError(path + ": cannot write");
    buf_.reserve(kFlushAt + 256);
  }
  ~CsvOut() {
    if (f_ != nullptr) std::fclose(f_);
  }
  CsvOut(const CsvOut&) = delete;
  CsvOut& operator=(const CsvOut&) = delete;

  CsvOut& text(std::string_view s) {
    buf_.append(s);
    return *this;
  }
  CsvOut& num(std::uint64_t v) {
    char tmp[24];
    auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
    buf_.append(tmp, end);
    return *this;
  }
  void end_line() {
    buf_.push_back('\n');
    if (buf_.size() >= kFlushAt) flush();
  }
  void close() {
    flush();
    if (std::fclose(f_) != 0) throw InputError(path_ + ": write failed");
    f_ = nullptr;
  }

 private:
  static constexpr std::size_t kFlushAt = 1 << 20;
  void flush() {
    if (std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) throw InputError(path_ + ": write failed");
    buf_.clear();
  }
  std::string path_;
  std::FILE* f_;
  std::string buf_;
};

constexpr std::uint64_t kStartMs = 1430622000000;  // 2015-05-03, where RetailRocket's log starts
constexpr std::uint64_t kSpanMs = 138ull * 86400 * 1000;

}  // namespace

SynthFiles write_synthetic_retailrocket(const SynthSpec& spec, const std::string& dir) {
  if (spec.users == 0 || spec.items == 0) throw ConfigError("synth: --users and --items must be at least 1");
  std::filesystem::create_directories(dir);
  SynthFiles files{dir + "/events.csv", dir + "/item_properties.csv", dir + "/category_tree.csv"};
  std::mt19937_64 rng(spec.seed);

  // External ids: a seeded permutation, so that popularity is not visible in the id.
  auto permutation = [&](std::uint32_t n, std::uint64_t offset) {
    std::vector<std::uint64_t> ids(n);
    std::iota(ids.begin(), ids.end(), offset);
    shuffle(ids, rng);
    return ids;
  };
  const std::vector<std::uint64_t> user_id = permutation(spec.users, 0);
  const std::vector<std::uint64_t> item_id = permutation(spec.items, 1);

  // Category tree: about 140 items per category, a quarter of the first 25 are roots.
  const std::uint32_t categories = std::max<std::uint32_t>(1, spec.items / 140);
  std::vector<std::uint32_t> parent(categories, UINT32_MAX);
  {
    CsvOut tree(files.category_tree);
    tree.text("categoryid,parentid").end_line();
    for (std::uint32_t c = 0; c < categories; ++c) {
      if (c >= 25) parent[c] = static_cast<std::uint32_t>(uniform(rng) * c);
      tree.num(c);
      tree.text(",");
      if (parent[c] != UINT32_MAX) tree.num(parent[c]);
      tree.end_line();
    }
    tree.close();
  }
  {
    CsvOut props(files.item_properties);
    props.text("timestamp,itemid,property,value").end_line();
    for (std::uint32_t i = 0; i < spec.items; ++i) {
      const std::uint64_t cat = static_cast<std::uint64_t>(uniform(rng) * categories);
      const std::uint64_t cents = 100 + static_cast<std::uint64_t>(std::exp(uniform(rng) * 9.0) * 100);
      props.num(kStartMs).text(",").num(item_id[i]).text(",categoryid,").num(cat).end_line();
      props.num(kStartMs).text(",").num(item_id[i]).text(",available,").num(uniform(rng) < 0.8 ? 1 : 0).end_line();
      props.num(kStartMs)
          .text(",")
          .num(item_id[i])
          .text(",790,n")
          .num(cents / 100)
          .text(".")
          .num(cents % 100 / 10)
          .num(cents % 10)
          .end_line();
    }
    props.close();
  }

  // Events: the first `users` events give every user one, likewise items; the rest follow the
  // power laws. Times are uniform over the span and written in time order.
  const ZipfSampler user_rank(spec.users, spec.user_exponent);
  const ZipfSampler item_rank(spec.items, spec.item_exponent);
  std::vector<std::uint64_t> times(spec.events);
  for (auto& t : times) t = kStartMs + static_cast<std::uint64_t>(uniform(rng) * kSpanMs);
  std::sort(times.begin(), times.end());
  std::vector<std::uint32_t> order(spec.events);
  std::iota(order.begin(), order.end(), 0u);
  shuffle(order, rng);

  CsvOut events(files.events);
  events.text("timestamp,visitorid,event,itemid,transactionid").end_line();
  std::uint64_t transaction = 0;
  for (std::uint64_t k = 0; k < spec.events; ++k) {
    const std::uint64_t slot = order[k];
    const std::uint32_t u = slot < spec.users ? static_cast<std::uint32_t>(slot) : user_rank(rng);
    const std::uint32_t i = slot < spec.items ? static_cast<std::uint32_t>(slot) : item_rank(rng);
    const double r = uniform(rng);
    events.num(times[k]).text(",").num(user_id[u]).text(",");
    if (r < 0.967) {
      events.text("view,").num(item_id[i]).text(",");
    } else if (r < 0.992) {
      events.text("addtocart,").num(item_id[i]).text(",");
    } else {
      events.text("transaction,").num(item_id[i]).text(",").num(transaction++);
    }
    events.end_line();
  }
  events.close();
  return files;
}

}  // namespace aisle
