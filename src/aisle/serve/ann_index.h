// The approximate index of the serving model (serve.ann = "hnsw", models/hnsw_index.h): built on
// the model manager's background thread after each publish, then attached to the snapshot when
// that snapshot still serves. Until then, and for models that are not factor models, answers
// are exact.
#pragma once

#include <string>

#include "aisle/serve/serve_state.h"

namespace aisle::serve {

// Builds the index serve.ann asks for, for the model of `snapshot`, and attaches it. Nothing when
// serve.ann is "off"; otherwise logs one line on stderr: the build's time and settings, or why
// there is no index (not a factor model, the server stopping, an error). Never throws.
void attach_ann_index(ServeState& state, const Snapshot& snapshot);

// The index's counters in the Prometheus text format (aisle_ann_queries_total, _searches_total,
// _exact_fallbacks_total; they restart with each model's index); empty without an index.
std::string ann_metrics_text(const Snapshot& snapshot);

}  // namespace aisle::serve
