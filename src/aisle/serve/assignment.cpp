#include "aisle/serve/assignment.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aisle::serve {

std::uint64_t stable_hash(std::initializer_list<std::string_view> parts) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64
  for (const std::string_view part : parts) {
    for (const char c : part) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001b3ULL;
    }
    h ^= 0xff;  // a separator no UTF-8 text holds: ("ab", "c") differs from ("a", "bc")
    h *= 0x100000001b3ULL;
  }
  // splitmix64's finalizer: FNV's low bits alone are weak.
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

std::uint32_t bucket_of(std::string_view key, std::string_view visitor) {
  return static_cast<std::uint32_t>(stable_hash({key, visitor}) % kBuckets);
}

std::size_t rendezvous(std::string_view key, std::uint32_t bucket, std::span<const std::string> names,
                       std::span<const double> weights) {
  const std::string bucket_text = std::to_string(bucket);
  std::size_t best = names.size();
  double best_time = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!(weights[i] > 0)) continue;
    // A uniform in (0, 1) from the hash's top 53 bits; -log(u) / w is exponential with rate w.
    const double u = (static_cast<double>(stable_hash({key, names[i], bucket_text}) >> 11) + 0.5) * 0x1.0p-53;
    const double time = -std::log(u) / weights[i];
    if (time < best_time) best_time = time, best = i;
  }
  return best;
}

std::vector<Assignment> assign_visitor(std::span<const ExperimentSpec> experiments, std::string_view visitor) {
  std::vector<Assignment> out;
  std::vector<std::string> layers_done;
  for (std::size_t e = 0; e < experiments.size(); ++e) {
    const std::string& layer = experiments[e].layer;
    if (std::find(layers_done.begin(), layers_done.end(), layer) != layers_done.end()) continue;
    layers_done.push_back(layer);
    // The layer's experiments, and "none" with what their traffic leaves.
    std::vector<std::string> names;
    std::vector<double> weights;
    std::vector<std::size_t> index;
    double taken = 0;
    for (std::size_t f = e; f < experiments.size(); ++f) {
      if (experiments[f].layer != layer) continue;
      names.push_back("experiment:" + experiments[f].name);
      weights.push_back(experiments[f].traffic);
      index.push_back(f);
      taken += experiments[f].traffic;
    }
    names.emplace_back("(none)");
    weights.push_back(std::max(0.0, 1 - taken));
    const std::string layer_key = "layer:" + layer;
    const std::size_t won = rendezvous(layer_key, bucket_of(layer_key, visitor), names, weights);
    if (won >= index.size()) continue;
    const ExperimentSpec& x = experiments[index[won]];
    std::vector<std::string> arm_names;
    std::vector<double> shares;
    for (const ExperimentArm& arm : x.arms) {
      arm_names.push_back("arm:" + arm.name);
      shares.push_back(arm.share);
    }
    const std::string salt_key = "salt:" + x.salt;
    Assignment a;
    a.experiment = index[won];
    a.bucket = bucket_of(salt_key, visitor);
    a.arm = rendezvous(salt_key, a.bucket, arm_names, shares);
    out.push_back(a);
  }
  std::sort(out.begin(), out.end(),
            [](const Assignment& a, const Assignment& b) { return a.experiment < b.experiment; });
  return out;
}

}  // namespace aisle::serve
