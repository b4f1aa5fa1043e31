#include "aisle/serve/ann_index.h"

#include <chrono>
#include <cstdio>

namespace aisle::serve {

void attach_ann_index(ServeState& state, const Snapshot& snapshot) {
  const ServeSettings& s = state.config.serve;
  if (s.ann == "off" || state.stopping) return;
  const auto version = static_cast<unsigned long long>(snapshot.version);
  if (!HnswIndex::indexable(snapshot.model->model())) {
    std::fprintf(stderr,
                 "aisle serve: serve.ann = \"%s\" ignored for model %llu: %s is not a factor model (als, bpr, mf)\n",
                 s.ann.c_str(), version, snapshot.spec.c_str());
    return;
  }
  try {
    const auto start = std::chrono::steady_clock::now();
    HnswParams p;
    p.m = s.ann_m;
    p.ef_construction = s.ann_ef_construction;
    p.ef_search = s.ann_ef_search;
    p.seed = state.config.seed;
    auto index = std::make_shared<const HnswIndex>(snapshot.model->model(), p);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const bool attached = state.snapshots.attach_index(snapshot.version, std::move(index));
    std::fprintf(
        stderr,
        "aisle serve: hnsw index of model %llu (%u items, m %u, ef_construction %u, ef_search %u) %s in %.1f s\n",
        version, snapshot.model->num_items(), p.m, p.ef_construction, p.ef_search,
        attached ? "in service" : "built for a replaced model", seconds);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "aisle serve: hnsw index of model %llu not built, answers stay exact: %s\n", version,
                 e.what());
  }
}

std::string ann_metrics_text(const Snapshot& snapshot) {
  if (!snapshot.ann) return "";
  const HnswCounters c = snapshot.ann->counters();
  std::string out;
  const auto counter = [&](const char* name, const char* help, std::uint64_t value) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " " +
           std::to_string(value) + "\n";
  };
  counter("aisle_ann_queries_total", "Queries answered through the serving model's hnsw index.", c.queries);
  counter("aisle_ann_searches_total",
          "Graph searches of those queries (a filter that removes many items searches again).", c.searches);
  counter("aisle_ann_exact_fallbacks_total", "Queries the index left to the exact path (too few eligible items found).",
          c.fallbacks);
  return out;
}

}  // namespace aisle::serve
