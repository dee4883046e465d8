// neurorom-cli: the C++ half of the ./neurorom door (import-seed, train, eval,
// info; bench-train for `bench train`, saliency for `experiments`). User errors print one line
// "neurorom <command>: error: <file>: <what>" and exit with status 2.
#include <cstdio>
#include <exception>
#include <iostream>
#include <map>
#include <string>

#include "cli/commands.hpp"
#include "rom/errors.hpp"

namespace {

struct Command {
  int (*run)(const cli::Args&);
  const char* summary;
};

const std::map<std::string, Command>& commands() {
  static const std::map<std::string, Command> table = {
      {"import-seed", {cli::import_seed_command, "convert the study's Sequence_NN.dat files"}},
      {"train", {cli::train_command, "train an RNN / LSTM / GRU on a dataset"}},
      {"eval", {cli::eval_command, "RMSE of a weights file on a dataset split"}},
      {"info", {cli::info_command, "describe a weights file"}},
      {"bench-train", {cli::bench_train_command, "time per epoch of a GRU-4 (for bench train)"}},
      {"saliency", {cli::saliency_command, "input saliency of a weights file (BPTT)"}},
  };
  return table;
}

void print_usage() {
  std::cout << "usage: neurorom-cli COMMAND [options]   (COMMAND --help for details)\n\n";
  for (const auto& [name, command] : commands()) {
    std::cout << "  " << name << std::string(14 - name.size(), ' ') << command.summary << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    print_usage();
    return argc < 2 ? 2 : 0;
  }
  const std::string name = argv[1];
  const auto found = commands().find(name);
  if (found == commands().end()) {
    std::cerr << "neurorom: error: unknown command '" << name << "' (see --help)\n";
    return 2;
  }
  const cli::Args args(argv + 2, argv + argc);
  try {
    return found->second.run(args);
  } catch (const rom::InputError& error) {
    std::cout.flush();
    std::string message = error.what();
    for (char& c : message) c = (c == '\n' || c == '\r') ? ' ' : c;  // always one line
    std::cerr << "neurorom " << name << ": error: " << message << "\n";
    return 2;
  } catch (const std::exception& error) {
    std::cout.flush();
    std::cerr << "neurorom " << name << ": internal error: " << error.what() << "\n";
    return 3;
  }
}
