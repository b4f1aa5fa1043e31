// Publishing a model file to the store (aisle publish, aisle train --publish).
#pragma once

#include <cstdint>
#include <string>

namespace aisle::cli {

// Checks the model file at `path`, stores it in the store at `store` as its next version and
// returns that version. Throws InputError for a file that is not a sound model, StoreError when
// the store refuses it.
std::int64_t publish_model_file(const std::string& path, const std::string& store);

}  // namespace aisle::cli
