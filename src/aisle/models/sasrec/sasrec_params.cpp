#include "aisle/models/sasrec/sasrec_params.h"

namespace aisle {

const ParamSchema<SasrecParams>& SasrecParams::schema() {
  static const ParamSchema<SasrecParams> kSchema(
      "sasrec",
      {
          {"max_length", &SasrecParams::max_length, 2, 2048, false, {}, "newest history items read (L)"},
          {"blocks", &SasrecParams::blocks, 1, 16, false, {}, "self-attention blocks"},
          {"heads", &SasrecParams::heads, 1, 16, false, {}, "attention heads; hidden must be a multiple"},
          {"hidden", &SasrecParams::hidden, 4, 1024, true, {}, "embedding and attention width"},
          {"dropout", &SasrecParams::dropout, 0, 0.9, false, {}, "dropout rate in training"},
          {"learning_rate", &SasrecParams::learning_rate, 1e-5, 1, true, {}, "Adam step size"},
          {"batch_size", &SasrecParams::batch_size, 1, 4096, true, {}, "sequences per step"},
          {"epochs", &SasrecParams::epochs, 1, 10000, false, {}, "passes over the training sequences"},
          {"windows",
           &SasrecParams::windows,
           0,
           0,
           false,
           {"all", "last"},
           "per epoch, each user's newest max_length + 1 events (last) or all their events in such windows (all)"},
          {"loss",
           &SasrecParams::loss,
           0,
           0,
           false,
           {"softmax", "sampled"},
           "softmax: cross-entropy over every item; sampled: over the target and `negatives` uniform items"},
          {"negatives", &SasrecParams::negatives, 1, 100000, true, {}, "negatives per position of the sampled loss"},
          {"output",
           &SasrecParams::output,
           0,
           0,
           false,
           {"shared", "separate"},
           "output layer: the item embeddings (shared) or a table of its own"},
          {"event_types",
           &SasrecParams::event_types,
           0,
           0,
           false,
           {"off", "on"},
           "on: each event's type (view, cart, purchase, ...) is an input feature"},
          {"device",
           &SasrecParams::device,
           0,
           0,
           false,
           {"cpu", "cuda"},
           "where the fit runs (cuda needs a libtorch built with CUDA); scoring runs on the CPU"},
      },
      {{"max_length", 20, 200},
       {"blocks", 1, 3},
       {"hidden", 32, 256},
       {"dropout", 0, 0.5},
       {"learning_rate", 1e-4, 1e-2}});
  return kSchema;
}

}  // namespace aisle
