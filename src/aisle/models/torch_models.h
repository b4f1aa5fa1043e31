// The boundary to the models that need libtorch (sasrec). They are built, when libtorch is
// present, into a plugin (libaisle_torch.so) that the aisle binary loads the first time such a
// model is created: linking libtorch into the binary would cost every command, `aisle recommend`
// and the server included, about 0.4 s and 150 MB at start-up (measured with Debian's libtorch
// 1.13 on the 2-core machine; docs/architecture.md). The plugin resolves aisle's own symbols
// against the binary that loads it (built with ENABLE_EXPORTS); a binary that links the torch
// code itself (its test binary) hands it over with provide_torch_models instead.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "aisle/models/recommender.h"
#include "aisle/models/sasrec/sasrec_params.h"

namespace aisle {

struct TorchModels {
  std::string_view torch_version;  // libtorch's, e.g. "1.13.0"
  std::unique_ptr<Recommender> (*create_sasrec)(const SasrecParams& params);
};

// The symbol the plugin exports (extern "C"): returns its TorchModels, valid for the process.
inline constexpr const char* kTorchModelsEntry = "aisle_torch_models";

// The torch code's own TorchModels (sasrec_plugin.cpp): defined only in the plugin and in binaries
// that link the torch code.
const TorchModels* linked_torch_models();

// Makes `models` what torch_models() returns, without a plugin. Call before any model is created.
void provide_torch_models(const TorchModels* models);

// The torch models: provided, or the plugin loaded on the first call (from $AISLE_TORCH_PLUGIN, a
// path, else libaisle_torch.so beside the running binary, else in the plugin directory relative to
// it (/usr/bin/aisle -> /usr/lib/aisle), else in the configured install directory).
// Null when there is none; torch_status() says why. Thread-safe.
const TorchModels* torch_models();

// One line for `aisle --version` and `aisle models`: "libtorch 1.13.0 (plugin PATH)", or why the
// torch models are missing ("not built: libtorch was not found when aisle was configured", or the
// loader's error).
std::string torch_status();

}  // namespace aisle
