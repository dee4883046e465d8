// The subcommands of neurorom-cli. Each takes its arguments (without the
// command name), returns the exit status and reports user errors by throwing
// rom::InputError (main() prints it on one line and exits 2).
#pragma once

#include <string>
#include <vector>

namespace cli {

using Args = std::vector<std::string>;

int import_seed_command(const Args& args);
int train_command(const Args& args);
int eval_command(const Args& args);
int info_command(const Args& args);
int bench_train_command(const Args& args);
int saliency_command(const Args& args);

}  // namespace cli
