// sasrec's parameters. The defaults are the setting chosen on the validation curves of the shared
// data sets (docs/RESULTS.md, "SASRec"): length 50, every event in windows, dropout 0.5, and 20
// epochs (the data sets' best epochs were 12 to 29); the original's newest-window training and
// dropout 0.2 are windows=last, dropout=0.2. They live apart from the model (sasrec.h, built only with libtorch) so
// that every build can parse, list and shorten a sasrec spec, and a build without libtorch can
// say what a sasrec model file needs instead of calling the model unknown.
#pragma once

#include <string>

#include "aisle/models/params.h"

namespace aisle {

struct SasrecParams {
  int max_length = 50;  // L: the newest items of a history the model reads
  int blocks = 2;
  int heads = 1;
  int hidden = 64;  // embedding and attention width; a multiple of heads
  float dropout = 0.5f;
  float learning_rate = 1e-3f;
  int batch_size = 128;
  int epochs = 20;
  // all: every event, in windows of max_length + 1; last: each user's newest max_length + 1
  // events per epoch (the original).
  std::string windows = "all";
  // fixed: events with equal timestamps are predicted in the order the seed gave them, each from the
  // ones before it; sets: each is predicted from the events before their timestamp only.
  std::string ties = "fixed";
  // softmax: cross-entropy over the whole catalog at every position; sampled: over the target and
  // `negatives` items drawn uniformly, for catalogs too large for a full softmax.
  std::string loss = "softmax";
  int negatives = 256;
  std::string output = "shared";    // shared: scores are dot products with the input embeddings; separate
  std::string event_types = "off";  // on: an embedding of each event's type is added to its item's
  // Where the fit runs: cpu, or cuda where the installed libtorch has it (Debian's has not).
  // Scoring always runs on the CPU.
  std::string device = "cpu";
  static const ParamSchema<SasrecParams>& schema();
};

}  // namespace aisle
