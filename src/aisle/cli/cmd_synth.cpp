// aisle synth --users N --items M --events E --seed S [--out DIR]
#include <cstdio>
#include <memory>

#include "aisle/cli/command.h"
#include "aisle/cli/progress_bar.h"
#include "aisle/core/error.h"
#include "aisle/data/synth.h"

namespace aisle::cli {

void add_synth_command(CLI::App& sub, const GlobalOptions&) {
  auto spec = std::make_shared<SynthSpec>();
  auto dir = std::make_shared<std::string>("synth");
  sub.add_option("--users", spec->users, "distinct users")->capture_default_str()->check(CLI::Range(1u, 1u << 30));
  sub.add_option("--items", spec->items, "distinct items")->capture_default_str()->check(CLI::Range(1u, 1u << 30));
  sub.add_option("--events", spec->events, "events")->capture_default_str()->check(CLI::Range(1ull, 1ull << 31));
  sub.add_option("--seed", spec->seed, "random seed")->capture_default_str();
  sub.add_option("--out", *dir, "output folder")->capture_default_str();
  sub.callback([spec, dir] {
    if (spec->events < spec->users || spec->events < spec->items) {
      throw ConfigError("synth: --events must be at least --users and --items (every user and item occurs)");
    }
    const SynthFiles files = write_synthetic_retailrocket(*spec, *dir);
    std::printf("wrote %s events of %s users and %s items:\n  %s\n  %s\n  %s\n", with_commas(spec->events).c_str(),
                with_commas(spec->users).c_str(), with_commas(spec->items).c_str(), files.events.c_str(),
                files.item_properties.c_str(), files.category_tree.c_str());
  });
}

}  // namespace aisle::cli
