// An approximate nearest-neighbour index (HNSW, Debian's hnswlib 0.6) over the item vectors of a
// factor model, for catalogs where the exact top k (rank_requests, pruned by norm bounds) is too
// slow. Never the default: `serve.ann = "hnsw"` or a caller asks for it, and its recall against
// the exact top k is measured by bench/bench_ann and checked by tests/models/hnsw_index_test.cpp.
//
// What it indexes: every item's full factor row (FactorScorer: latent factors and bias columns,
// dim() floats), in a graph built on the angles between items and searched by inner product
// with the query (see hnsw_index.cpp for why). A query is the vector the exact path scores with
// (ItemRangeScorer::prepare: a known user's row, or the fold-in of the query's history). Only the
// choice of items is approximate: every score returned is the exact dot product (linalg::dot of
// the query and the item's row, recomputed; the exact path's BLAS may differ in the last bits),
// and results are ordered by ranks_before like the exact path's.
//
// Filters are applied to the candidates a search returns; hnswlib 0.6 cannot filter during the
// search, so select() asks for more candidates than k (k plus the items the filter may remove,
// more still for restrictive filters) and doubles that count while fewer than k eligible items
// come back, then gives up so that the caller answers exactly (rank_requests does): exactly
// min(k, eligible items) come back whatever the filter.
//
// Determinism: built on the calling thread, items in index order, with hnswlib's level generator
// seeded by `seed`: the same model and parameters give the same graph, and the same queries the
// same answers, bit for bit. There is no parallel build: hnswlib 0.6.2's addPoint draws levels
// from an unsynchronized generator, so concurrent inserts would race as well as vary. Building
// costs O(items x ef_construction x M) distance computations (seconds for 50,000 items).
//
// Thread safety: immutable once built, except set_ef_search(). select(), search() and counters()
// may be called from many threads at once (hnswlib's searchKnn is const and takes its visited
// list from a locked pool; the search's ef is an argument here, so hnswlib's setEf, which is not
// safe during searches, is never called).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "aisle/core/top_k.h"
#include "aisle/models/recommender.h"
#include "aisle/models/selection.h"

namespace aisle {

struct HnswParams {
  std::uint32_t m = 16;                 // graph degree (hnswlib M; 2M on the bottom layer), 2..256
  std::uint32_t ef_construction = 200;  // candidate list while building, 1..10,000
  std::uint32_t ef_search = 100;        // candidate list while searching, 1..10,000
  std::uint64_t seed = 42;              // hnswlib's random_seed: the levels drawn for items
};

// What the index has done since it was built (relaxed counters; for tests, benchmarks, logs).
struct HnswCounters {
  std::uint64_t queries = 0;    // select() calls
  std::uint64_t searches = 0;   // graph searches they made (the first and every retry)
  std::uint64_t fallbacks = 0;  // select() calls that gave up: answered exactly by the caller
};

class HnswIndex {
 public:
  // Indexes the item rows of `model`. Throws ConfigError when it is not a factor model
  // (indexable() is false) or a parameter is out of range. The index copies the rows: it does
  // not refer to `model` afterwards.
  HnswIndex(const Recommender& model, const HnswParams& params);
  ~HnswIndex();
  HnswIndex(const HnswIndex&) = delete;
  HnswIndex& operator=(const HnswIndex&) = delete;

  // Whether `model` scores by dot products of query and item vectors (als, bpr, mf).
  static bool indexable(const Recommender& model);

  std::uint32_t num_items() const { return num_items_; }
  std::size_t dim() const { return dim_; }
  const HnswParams& params() const { return params_; }
  // Not thread-safe: call only while no search runs (the server fixes it at build).
  void set_ef_search(std::uint32_t ef);

  // The approximate nearest items of one query vector (dim() floats) by inner product: up to
  // max(count, ef_search) items (fewer only when the graph reaches fewer), exact scores, best first.
  std::vector<Scored> search(const float* query, std::size_t count) const;

  // The approximate top k of one query vector under a filter: the query's `excluded` items
  // (ascending) and what `eligibility` (compiled for this index's catalog) leaves out never come
  // back. On success pushes the k best eligible candidates found into `top` (empty, built with
  // this k) and returns true. Returns false, with `top` untouched, when the candidates asked for
  // would reach max(1024, items / 16) or the whole catalog before k eligible items came back:
  // the exact path is then the cheaper one, and the only one that can find every eligible item.
  bool select(const float* query, std::size_t k, std::span<const ItemIdx> excluded, const Eligibility& eligibility,
              TopK& top) const;

  HnswCounters counters() const;

 private:
  struct Graph;
  // search() unsorted, into `out`.
  void nearest(const float* query, std::size_t count, std::vector<Scored>& out) const;

  std::uint32_t num_items_ = 0;
  std::size_t dim_ = 0;
  HnswParams params_;
  std::unique_ptr<Graph> graph_;
  mutable std::atomic<std::uint64_t> queries_{0}, searches_{0}, fallbacks_{0};
};

}  // namespace aisle
