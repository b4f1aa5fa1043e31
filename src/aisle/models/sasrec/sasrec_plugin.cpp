// The torch plugin's entry point (torch_models.h): the one symbol libaisle_torch.so exports
// for the aisle binary to find, and the function a binary linking the torch code hands to
// provide_torch_models.
#include <torch/version.h>

#include "aisle/models/sasrec/sasrec.h"
#include "aisle/models/torch_models.h"

namespace aisle {

namespace {

std::unique_ptr<Recommender> create_sasrec(const SasrecParams& params) {
  return std::make_unique<Sasrec>(params);
}

const TorchModels kTorchModels{TORCH_VERSION, create_sasrec};

}  // namespace

const TorchModels* linked_torch_models() {
  return &kTorchModels;
}

}  // namespace aisle

extern "C" __attribute__((visibility("default"))) const aisle::TorchModels* aisle_torch_models() {
  return aisle::linked_torch_models();
}
