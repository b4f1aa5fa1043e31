#include "aisle/eval/tpe.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "aisle/core/error.h"
#include "aisle/core/text.h"

namespace aisle {

namespace {

double normal_cdf(double z) {
  return 0.5 * std::erfc(-z / std::numbers::sqrt2);
}

// A Parzen mixture over `points`, with the prior component (the range's middle, bandwidth the
// whole range) among them, truncated to the range: mass[i] is component i's share inside it.
struct Parzen {
  std::vector<double> mu, sigma, mass;
};

Parzen parzen(const std::vector<double>& points, const SearchDimension& d) {
  const double middle = 0.5 * (d.low + d.high), range = d.high - d.low;
  std::vector<std::pair<double, bool>> centres;  // (centre, is the prior)
  for (double p : points) centres.emplace_back(p, false);
  centres.emplace_back(middle, true);
  std::sort(centres.begin(), centres.end());
  const double min_sigma = range / std::min(100.0, 1.0 + static_cast<double>(centres.size()));
  Parzen m;
  for (std::size_t i = 0; i < centres.size(); ++i) {
    const double c = centres[i].first;
    const double left = i > 0 ? c - centres[i - 1].first : c - d.low;
    const double right = i + 1 < centres.size() ? centres[i + 1].first - c : d.high - c;
    const double sigma = centres[i].second ? range : std::clamp(std::max(left, right), min_sigma, range);
    m.mu.push_back(c);
    m.sigma.push_back(sigma);
    m.mass.push_back(std::max(normal_cdf((d.high - c) / sigma) - normal_cdf((d.low - c) / sigma), 1e-12));
  }
  return m;
}

double log_density(double x, const Parzen& m) {
  double density = 0;
  for (std::size_t i = 0; i < m.mu.size(); ++i) {
    const double z = (x - m.mu[i]) / m.sigma[i];
    density += std::exp(-0.5 * z * z) / (m.sigma[i] * std::sqrt(2 * std::numbers::pi) * m.mass[i]);
  }
  return std::log(density / static_cast<double>(m.mu.size()) + 1e-300);
}

// A draw from the truncated mixture (rejection; uniform after 100 misses).
double sample(const Parzen& m, const SearchDimension& d, std::mt19937_64& rng) {
  std::uniform_int_distribution<std::size_t> pick(0, m.mu.size() - 1);
  for (int attempt = 0; attempt < 100; ++attempt) {
    const std::size_t c = pick(rng);
    const double x = std::normal_distribution<double>(m.mu[c], m.sigma[c])(rng);
    if (x >= d.low && x <= d.high) return x;
  }
  return std::uniform_real_distribution<double>(d.low, d.high)(rng);
}

}  // namespace

double SearchDimension::internal(const std::string& value) const {
  if (kind == ParamKind::kChoice) {
    for (std::size_t i = 0; i < choices.size(); ++i) {
      if (choices[i] == value) return static_cast<double>(i);
    }
    throw ConfigError("parameter '" + name + "': '" + value + "' is not one of its choices");
  }
  const auto v = parse_double(value);
  if (!v) throw ConfigError("parameter '" + name + "': expected a number, found '" + value + "'");
  return log_scale ? std::log(std::max(*v, 1e-300)) : *v;
}

std::string SearchDimension::text(double x) const {
  if (kind == ParamKind::kChoice) {
    const auto i =
        static_cast<std::size_t>(std::clamp<double>(std::round(x), 0, static_cast<double>(choices.size() - 1)));
    return choices[i];
  }
  double v = log_scale ? std::exp(x) : x;
  if (kind == ParamKind::kInt) return std::to_string(static_cast<long long>(std::llround(v)));
  // Four significant digits: enough for a search, short in specs.
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::vector<SearchDimension> search_space(const std::vector<ParamInfo>& params) {
  std::vector<SearchDimension> out;
  for (const ParamInfo& p : params) {
    if (!p.tuned) continue;
    SearchDimension d;
    d.name = p.name;
    d.kind = p.kind;
    d.log_scale = p.log_scale && p.search_min > 0;
    d.choices = p.choices;
    if (p.kind == ParamKind::kChoice) {
      d.low = 0;
      d.high = static_cast<double>(p.choices.size()) - 1;
    } else {
      d.low = d.log_scale ? std::log(p.search_min) : p.search_min;
      d.high = d.log_scale ? std::log(p.search_max) : p.search_max;
      if (p.kind == ParamKind::kInt && !d.log_scale) d.low -= 0.49, d.high += 0.49;  // each integer equally likely
    }
    out.push_back(std::move(d));
  }
  return out;
}

TpeSampler::TpeSampler(std::vector<SearchDimension> space, std::uint64_t seed, int startup, int candidates)
    : space_(std::move(space)), rng_(seed), startup_(startup), candidates_(candidates) {}

std::vector<double> TpeSampler::random_point() {
  std::vector<double> x;
  for (const SearchDimension& d : space_) {
    if (d.kind == ParamKind::kChoice) {
      x.push_back(static_cast<double>(std::uniform_int_distribution<std::size_t>(0, d.choices.size() - 1)(rng_)));
    } else {
      x.push_back(std::uniform_real_distribution<double>(d.low, d.high)(rng_));
    }
  }
  return x;
}

std::vector<double> TpeSampler::suggest(const std::vector<Observation>& history) {
  if (static_cast<int>(history.size()) < startup_) return random_point();
  std::vector<const Observation*> finished;
  for (const Observation& o : history) finished.push_back(&o);
  // Good: the best ceil(0.25 n) completed trials (at most 25); bad: all others.
  std::vector<const Observation*> ranked;
  for (const Observation* o : finished) {
    if (o->good_candidate) ranked.push_back(o);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const Observation* a, const Observation* b) { return a->score > b->score; });
  const std::size_t n_good =
      std::min<std::size_t>({ranked.size(), 25, std::max<std::size_t>(1, (finished.size() + 3) / 4)});
  if (n_good == 0) return random_point();
  std::vector<const Observation*> good(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n_good)), bad;
  for (const Observation* o : finished) {
    if (std::find(good.begin(), good.end(), o) == good.end()) bad.push_back(o);
  }
  std::vector<double> x;
  for (std::size_t k = 0; k < space_.size(); ++k) {
    const SearchDimension& d = space_[k];
    std::vector<double> gx, bx;
    for (const Observation* o : good) gx.push_back(o->x[k]);
    for (const Observation* o : bad) bx.push_back(o->x[k]);
    if (d.kind == ParamKind::kChoice) {
      // Smoothed counts: each choice starts at 1.
      std::vector<double> lw(d.choices.size(), 1.0), bw(d.choices.size(), 1.0);
      for (double v : gx) lw[static_cast<std::size_t>(v)] += 1;
      for (double v : bx) bw[static_cast<std::size_t>(v)] += 1;
      double lsum = 0, bsum = 0;
      for (double v : lw) lsum += v;
      for (double v : bw) bsum += v;
      std::discrete_distribution<std::size_t> draw(lw.begin(), lw.end());
      double best = -INFINITY, best_x = 0;
      for (int c = 0; c < candidates_; ++c) {
        const std::size_t i = draw(rng_);
        const double ratio = std::log(lw[i] / lsum) - std::log(bw[i] / bsum);
        if (ratio > best) best = ratio, best_x = static_cast<double>(i);
      }
      x.push_back(best_x);
      continue;
    }
    const Parzen good_density = parzen(gx, d), bad_density = parzen(bx, d);
    double best = -INFINITY, best_x = d.low;
    for (int c = 0; c < candidates_; ++c) {
      const double candidate = sample(good_density, d, rng_);
      const double ratio = log_density(candidate, good_density) - log_density(candidate, bad_density);
      if (ratio > best) best = ratio, best_x = candidate;
    }
    x.push_back(best_x);
  }
  return x;
}

}  // namespace aisle
