// aisle: the command-line entry point. The only place errors become exit codes:
//   0 ok, 1 any other error (an MPI failure, another rank's failure in a distributed job), 2 bad
//   usage or configuration, 3 bad input data, 4 store failure, 5 a model could not be fitted (it
//   diverged).
#include <cstdio>

#include "aisle/build_info.h"
#include "aisle/cli/command.h"
#include "aisle/core/error.h"

int main(int argc, char** argv) {
  CLI::App app{"aisle: a recommendation engine for online shops"};
  app.require_subcommand(1);
  aisle::cli::GlobalOptions global;
  global.command_line = "aisle";
  for (int i = 1; i < argc; ++i) global.command_line += std::string(" ") + argv[i];
  app.add_option("--config", global.config_path, "configuration file (default: ./aisle.toml when present)");
  app.set_version_flag("--version", "aisle " AISLE_VERSION " (commit " AISLE_COMMIT ", " AISLE_BUILD_TYPE
                                    " build; features: " AISLE_FEATURES ")");
  for (const auto& cmd : aisle::cli::command_table()) {
    CLI::App* sub = app.add_subcommand(std::string(cmd.name), std::string(cmd.summary));
    // Options the subcommand does not know go to the top level, so `aisle stats --config F`
    // works as well as `aisle --config F stats`.
    sub->fallthrough();
    cmd.setup(*sub, global);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const aisle::ConfigError& e) {
    std::fprintf(stderr, "aisle: %s\n", e.what());
    return 2;
  } catch (const aisle::InputError& e) {
    std::fprintf(stderr, "aisle: %s\n", e.what());
    return 3;
  } catch (const aisle::StoreError& e) {
    std::fprintf(stderr, "aisle: %s\n", e.what());
    return 4;
  } catch (const aisle::FitError& e) {
    std::fprintf(stderr, "aisle: %s\n", e.what());
    return 5;
  } catch (const aisle::Error& e) {
    std::fprintf(stderr, "aisle: %s\n", e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "aisle: out of memory\n");
    return 4;
  }
  return 0;
}
