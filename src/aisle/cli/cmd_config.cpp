// aisle config: the reference of every aisle.toml key, and the effective settings.
#include <cstdio>

#include "aisle/cli/command.h"

namespace aisle::cli {

void add_config_command(CLI::App& sub, const GlobalOptions& global) {
  sub.callback([&global] {
    const Config c = global.load();
    std::printf("# aisle.toml reference\n\n%s\n", config_reference().c_str());
    std::printf("effective settings (from %s): store.url = %s; interactions.weights = %s\n", c.source.c_str(),
                c.store_url.c_str(), c.weighting.to_string().c_str());
  });
}

}  // namespace aisle::cli
