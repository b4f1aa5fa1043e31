// Training a model from the store for a running server, and the check that decides whether it
// may replace the model in service. What the server's retrain (scheduled or asked for) calls;
// the CLI's `train` shares load_events and pairs_of with it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "aisle/app/training_data.h"
#include "aisle/models/trained_model.h"

namespace aisle {

// How a candidate compares with the serving model on the same users: each user's newest pair
// (leave-last-out of the current data) that the serving model has not seen. The candidate is
// fitted without those pairs; the serving model never had them; both rank for the user's history
// as each knows it, seen items excluded.
struct ModelComparison {
  std::size_t users = 0;                        // users both can be judged on
  double candidate_ndcg = 0, serving_ndcg = 0;  // mean NDCG@10 over those users
  std::string summary;                          // one line for the log and the admin answer
};

struct Retrained {
  std::shared_ptr<TrainedModel> model;  // fitted on all of the store's events
  ModelComparison comparison;
  bool accepted = true;
  double seconds = 0;  // load + compare + fit
};

// Reads the store's events (config weights), compares `spec` (empty: the serving model's spec)
// fitted on the validation split with `serving`, and when the candidate is no more than
// `max_drop` (relative) worse, fits it on all events. Fewer than 20 comparable users: accepted
// without a comparison (said in the summary). A model that learns from the order of events
// (session_knn, sequential_rules) also gets the store's events as sequences (sequence_options),
// the candidate's without the held-out pairs' events. Throws StoreError / FitError as training does, and
// Cancelled between its stages and the fit's steps once `run` is cancelled.
Retrained retrain_from_store(const std::string& store_url, const Config& config, std::string spec,
                             const TrainedModel* serving, double max_drop, const RunContext& run);

}  // namespace aisle
