#include <array>
#include <filesystem>

#include "aisle/cli/command.h"

namespace aisle::cli {

Config GlobalOptions::load() const {
  if (!config_path.empty()) return load_config(config_path);
  if (std::filesystem::exists("aisle.toml")) return load_config("aisle.toml");
  return Config{};
}

std::span<const Command> command_table() {
  static const std::array<Command, 17> kCommands = {{
      {"ingest", "read interaction logs of a known format into the store", add_ingest_command},
      {"stats", "describe what the store holds", add_stats_command},
      {"categories", "list the catalog's categories with their item and event counts", add_categories_command},
      {"export", "write the store's user-item pairs as the canonical CSV (user,item,weight,timestamp)",
       add_export_command},
      {"synth", "write a synthetic RetailRocket-format log (power-law users and items)", add_synth_command},
      {"config", "print the reference of every aisle.toml key", add_config_command},
      {"train", "fit a model on the store or on files and write a model file", add_train_command},
      {"publish", "store a model file in the store as its next version, for servers that load models from the store",
       add_publish_command},
      {"recommend", "recommend items for a user or an anonymous history from a model file", add_recommend_command},
      {"similar", "items similar to an item, from a model file", add_similar_command},
      {"batch", "recommend for every user of a model and write the lists to the store (one batch; MPI ranks share it)",
       add_batch_command},
      {"models", "list every model with its parameters", add_models_command},
      {"split", "split interactions into train.csv and test.csv (exchange format)", add_split_command},
      {"evaluate", "fit models on a split and report ranking metrics with intervals and significance",
       add_evaluate_command},
      {"tune", "search a model's parameters on a validation split (TPE with median pruning, resumable)",
       add_tune_command},
      {"serve", "answer recommendation requests over HTTP, learn from feedback, swap models without downtime",
       add_serve_command},
      {"replay", "feed held-out events to a running server as visitors and print its experiments' results",
       add_replay_command},
  }};
  return kCommands;
}

}  // namespace aisle::cli
