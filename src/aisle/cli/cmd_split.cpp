// aisle split --out DIR (--store URL | --events F... [--format F]) [--protocol P]
// Splits the interactions (leave-last-out by default, docs EVALUATION.md) and writes
// DIR/train.csv and DIR/test.csv in the exchange format, so that aisle (`aisle evaluate --train
// --test`) and any other system are evaluated on identical data.
#include <cstdio>
#include <filesystem>

#include "aisle/cli/command.h"
#include "aisle/cli/eval_data.h"
#include "aisle/core/error.h"
#include "aisle/data/exchange.h"

namespace aisle::cli {

void add_split_command(CLI::App& sub, const GlobalOptions& global) {
  auto flags = std::make_shared<DataFlags>();
  auto out = std::make_shared<std::string>();
  add_data_flags(sub, *flags, false);
  sub.add_option("--out", *out, "folder for train.csv and test.csv")->required();
  sub.callback([flags, out, &global] {
    if ((*flags).protocol == "new-users" || (*flags).protocol == "next-item") {
      throw ConfigError("--protocol " + (*flags).protocol + " is one of aisle evaluate's");
    }
    const EvalData data = load_eval_data(*flags, global.load());
    std::error_code ec;
    std::filesystem::create_directories(*out, ec);
    if (ec) throw InputError(*out + ": cannot create the folder: " + ec.message());
    const ExchangeCounts train = write_exchange_csv(*out + "/train.csv", data.train, data.users, data.items);
    const ExchangeCounts test = write_exchange_csv(*out + "/test.csv", data.test, data.users, data.items);
    const TestSet set = make_test_set(data.train, data.test);
    std::printf(
        "%s: %s training pairs, %s test pairs of %s users (%s test pairs on items never in training); "
        "wrote %s/train.csv and %s/test.csv\n",
        data.split.c_str(), std::to_string(train.written).c_str(), std::to_string(test.written).c_str(),
        std::to_string(set.size()).c_str(), std::to_string(set.unreachable_pairs).c_str(), out->c_str(), out->c_str());
    std::printf("%s\n", describe(left_out_users(data.without_test, set)).c_str());
  });
}

}  // namespace aisle::cli
