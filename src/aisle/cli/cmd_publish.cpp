// aisle publish MODEL_FILE [--store URL]
// Stores a model file in the store as its next version (EventStore::publish_model), for the
// servers that load their model from the store (serve.model_source = "store"; docs/SCALE.md).
// The file is read and checked (magic, version, checksum) first, so a damaged file is never
// published. Prints the version on stdout. `aisle train --publish` does the same after training.
#include <cstdio>
#include <fstream>
#include <iterator>

#include "aisle/app/training_data.h"
#include "aisle/cli/command.h"
#include "aisle/cli/publishing.h"
#include "aisle/core/error.h"
#include "aisle/models/model_file.h"
#include "aisle/store/event_store.h"

namespace aisle::cli {

std::int64_t publish_model_file(const std::string& path, const std::string& store) {
  const TrainedModel model = load_model(path);  // InputError for a file that is not a sound model
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) throw InputError(path + ": cannot read the model file");
  const std::int64_t version = open_store(store, OpenMode::kExisting)->publish_model(model.spec(), bytes);
  std::fprintf(stderr, "published %s (%s, %zu bytes) to %s as version %lld\n", path.c_str(), model.spec().c_str(),
               bytes.size(), store.c_str(), static_cast<long long>(version));
  return version;
}

namespace {

struct PublishFlags {
  std::string model, store;
};

}  // namespace

void add_publish_command(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<PublishFlags>();
  sub.add_option("model", flags->model, "model file to publish (what aisle train wrote)")->required();
  sub.add_option("--store", flags->store, "store to publish to (default: store.url of the config)");
  sub.callback([flags, &global] {
    const Config config = global.load();
    std::printf("%lld\n", static_cast<long long>(publish_model_file(flags->model, store_url(flags->store, config))));
  });
}

}  // namespace aisle::cli
