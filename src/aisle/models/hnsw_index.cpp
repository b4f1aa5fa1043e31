// hnswlib.h defines non-inline functions (its CPU feature probes): it is included here and in no
// other translation unit. NO_MANUAL_VECTORIZATION turns off hnswlib's SSE code: its kernels are
// not used (graph_distance below is ours), and its prefetches read one link past the end of a
// node's list (AddressSanitizer: heap-buffer-overflow in searchBaseLayer, hnswlib 0.6.2).
#include "aisle/models/hnsw_index.h"

#define NO_MANUAL_VECTORIZATION
#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "aisle/core/error.h"
#include "aisle/linalg/kernels.h"
#include "aisle/models/factor_model.h"

namespace aisle {

namespace {

// The graph is built on the angle between items and searched by inner product with the query
// (the angular graph of ip-NSW+, Liu et al., AAAI 2020). Item vectors are stored as their row
// followed by 1 / |row| (0 for a zero row), so the building distance, 1 - cos, costs one dot
// product. On the rows of an ALS model fitted to `aisle synth` data (5,000 x 3,000, skewed item
// norms), recall@10 at ef 100 was 0.57 for a graph built by inner product (hnswlib's own
// space), 0.76 with the items augmented to one norm (Bachrach et al., RecSys 2014), and 0.99
// for this one (bench/bench_ann). hnswlib's InnerProductSpace is not used anyway: its
// constructor picks a SIMD kernel by writing process-wide function pointers that the searches of
// every other index read, a data race when an index is built while another one serves.
struct Metric {
  std::size_t dim = 0;
  bool building = true;  // set once, before the first search
};

// hnswlib's distance: smaller is nearer. `a` is the query while searching.
AISLE_HOT_LOOP float graph_distance(const void* a, const void* b, const void* param) {
  const auto* m = static_cast<const Metric*>(param);
  const auto* x = static_cast<const float*>(a);
  const auto* y = static_cast<const float*>(b);
  const float dot = linalg::dot(x, y, m->dim);
  return m->building ? 1.0f - dot * x[m->dim] * y[m->dim] : 1.0f - dot;
}

class GraphSpace final : public hnswlib::SpaceInterface<float> {
 public:
  explicit GraphSpace(std::size_t dim) { metric_.dim = dim; }
  std::size_t get_data_size() override { return (metric_.dim + 1) * sizeof(float); }
  hnswlib::DISTFUNC<float> get_dist_func() override { return &graph_distance; }
  void* get_dist_func_param() override { return &metric_; }
  void end_building() { metric_.building = false; }

 private:
  Metric metric_;
};

void check_range(std::uint64_t value, std::uint64_t lo, std::uint64_t hi, const char* name) {
  if (value < lo || value > hi) {
    throw ConfigError(std::string("hnsw ") + name + ": expected a whole number from " + std::to_string(lo) + " to " +
                      std::to_string(hi) + ", found " + std::to_string(value));
  }
}

// Candidates beyond which a filtered search gives up for the exact path.
std::size_t candidate_limit(std::uint32_t num_items) {
  return std::max<std::size_t>(1024, num_items / 16);
}

}  // namespace

// Items stored as dim + 1 floats (GraphSpace). The space must outlive the graph that points into
// it (member order).
struct HnswIndex::Graph {
  GraphSpace space;
  hnswlib::HierarchicalNSW<float> hnsw;
  std::vector<hnswlib::tableint> internal_of;  // per item: its id inside hnswlib

  Graph(std::size_t dim, std::uint32_t items, const HnswParams& p)
      : space(dim), hnsw(&space, std::max<std::uint32_t>(items, 1), p.m, p.ef_construction, p.seed) {}

  const float* row(ItemIdx item) const {
    return reinterpret_cast<const float*>(hnsw.getDataByInternalId(internal_of[item]));
  }
};

bool HnswIndex::indexable(const Recommender& model) {
  return capability<FactorScorer>(model) != nullptr;
}

HnswIndex::HnswIndex(const Recommender& model, const HnswParams& params) : params_(params) {
  const auto* factors = capability<FactorScorer>(model);
  if (factors == nullptr) {
    throw ConfigError("an hnsw index needs a factor model (als, bpr, mf); '" + std::string(model.kind()) +
                      "' does not score by dot products of user and item vectors");
  }
  check_range(params.m, 2, 256, "m");
  check_range(params.ef_construction, 1, 10'000, "ef_construction");
  check_range(params.ef_search, 1, 10'000, "ef_search");
  num_items_ = model.num_items();
  dim_ = factors->dim();
  graph_ = std::make_unique<Graph>(dim_, num_items_, params_);
  const std::span<const float> rows = factors->item_factors();
  AISLE_CHECK(rows.size() == static_cast<std::size_t>(num_items_) * dim_);
  std::vector<float> stored(dim_ + 1);
  for (ItemIdx i = 0; i < num_items_; ++i) {
    std::copy_n(rows.data() + static_cast<std::size_t>(i) * dim_, dim_, stored.data());
    const float norm = std::sqrt(linalg::dot(stored.data(), stored.data(), dim_));
    stored[dim_] = norm > 0 ? 1.0f / norm : 0.0f;
    graph_->hnsw.addPoint(stored.data(), i);
  }
  graph_->internal_of.resize(num_items_);
  for (hnswlib::tableint id = 0; id < num_items_; ++id) {
    graph_->internal_of[graph_->hnsw.getExternalLabel(id)] = id;
  }
  // Before any search: from here on distances are inner products with the query, and the ef of
  // each search is its argument (nearest).
  graph_->space.end_building();
  graph_->hnsw.setEf(1);
}

HnswIndex::~HnswIndex() = default;

void HnswIndex::set_ef_search(std::uint32_t ef) {
  check_range(ef, 1, 10'000, "ef_search");
  params_.ef_search = ef;
}

std::vector<Scored> HnswIndex::search(const float* query, std::size_t count) const {
  std::vector<Scored> out;
  nearest(query, count, out);
  std::sort(out.begin(), out.end(), ranks_before);
  return out;
}

void HnswIndex::nearest(const float* query, std::size_t count, std::vector<Scored>& out) const {
  out.clear();
  if (num_items_ == 0) return;
  searches_.fetch_add(1, std::memory_order_relaxed);
  // hnswlib's own ef is 1, so the search's ef is the count asked for. The query's dim floats are
  // all the search distance reads of it.
  auto found = graph_->hnsw.searchKnn(query, std::max<std::size_t>(count, params_.ef_search));
  out.reserve(found.size());
  for (; !found.empty(); found.pop()) {
    const auto item = static_cast<ItemIdx>(found.top().second);
    out.push_back({item, linalg::dot(query, graph_->row(item), dim_)});
  }
}

bool HnswIndex::select(const float* query, std::size_t k, std::span<const ItemIdx> excluded,
                       const Eligibility& eligibility, TopK& top) const {
  queries_.fetch_add(1, std::memory_order_relaxed);
  if (k == 0) return true;
  const auto allowed = [&](ItemIdx item) {
    if (std::binary_search(excluded.begin(), excluded.end(), item)) return false;
    return eligibility.restrictive ? std::binary_search(eligibility.eligible.begin(), eligibility.eligible.end(), item)
                                   : !std::binary_search(eligibility.blocked.begin(), eligibility.blocked.end(), item);
  };
  // Enough candidates for k after the filter if it removes what it can: k, every excluded or
  // blocked item, and k more; for a restrictive filter, that many eligible ones in proportion.
  std::size_t count = 2 * k + excluded.size();
  if (eligibility.restrictive) {
    const std::size_t share = std::max<std::size_t>(eligibility.eligible.size(), 1);
    count = (count * num_items_ + share - 1) / share;
  } else {
    count += eligibility.blocked.size();
  }
  std::vector<Scored> found, kept;
  for (; count < num_items_ && count <= candidate_limit(num_items_); count *= 2) {
    nearest(query, count, found);
    kept.clear();
    for (const Scored& s : found) {
      if (allowed(s.item)) kept.push_back(s);
    }
    if (kept.size() >= k) {
      for (const Scored& s : kept) top.push(s.item, s.score);
      return true;
    }
  }
  fallbacks_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

HnswCounters HnswIndex::counters() const {
  return {queries_.load(std::memory_order_relaxed), searches_.load(std::memory_order_relaxed),
          fallbacks_.load(std::memory_order_relaxed)};
}

}  // namespace aisle
