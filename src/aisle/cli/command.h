// The command table: every subcommand of `aisle` is one file defining one add_*_command.
// Commands parse flags with CLI11 and call the library; errors propagate to main.cpp, the
// one place that turns them into messages and exit codes.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <span>
#include <string>

#include "aisle/config/config.h"

namespace aisle::cli {

// Options every command shares, filled before a command's callback runs.
struct GlobalOptions {
  std::string config_path;   // --config; empty: ./aisle.toml when it exists
  std::string command_line;  // as typed, for reports
  // The configuration: the file's settings over the built-in defaults.
  Config load() const;
};

struct Command {
  std::string_view name;
  std::string_view summary;
  // Adds the subcommand's flags to `sub` and sets its callback.
  std::function<void(CLI::App& sub, const GlobalOptions& global)> setup;
};

std::span<const Command> command_table();

void add_ingest_command(CLI::App& sub, const GlobalOptions& global);
void add_stats_command(CLI::App& sub, const GlobalOptions& global);
void add_categories_command(CLI::App& sub, const GlobalOptions& global);
void add_export_command(CLI::App& sub, const GlobalOptions& global);
void add_synth_command(CLI::App& sub, const GlobalOptions& global);
void add_config_command(CLI::App& sub, const GlobalOptions& global);
void add_train_command(CLI::App& sub, const GlobalOptions& global);
void add_publish_command(CLI::App& sub, const GlobalOptions& global);
void add_recommend_command(CLI::App& sub, const GlobalOptions& global);
void add_similar_command(CLI::App& sub, const GlobalOptions& global);
void add_models_command(CLI::App& sub, const GlobalOptions& global);
void add_split_command(CLI::App& sub, const GlobalOptions& global);
void add_evaluate_command(CLI::App& sub, const GlobalOptions& global);
void add_tune_command(CLI::App& sub, const GlobalOptions& global);
void add_serve_command(CLI::App& sub, const GlobalOptions& global);
void add_replay_command(CLI::App& sub, const GlobalOptions& global);
void add_batch_command(CLI::App& sub, const GlobalOptions& global);

// The Markdown reference of every model (docs/MODELS.md).
std::string models_reference();

}  // namespace aisle::cli
