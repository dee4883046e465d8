// rom_nrn_bench: the cost of one model step through the C ABI (rom_nrn_step),
// which is what a RomModel pays per model dt on top of NEURON's delivery of
// its self-event and the gather / scatter of its inputs and outputs.
//
// For each cell type and hidden size it builds a Keras-initialised model with
// 4 inputs and 4 outputs (the FCM scenario's shape) and standardisation on, as
// trained models have it, writes it as a weights file, opens that through the
// ABI (self-test included) and times rom_nrn_step in thread CPU time (time
// spent descheduled on a shared machine does not count), the best of R runs of
// N steps, since interference only ever adds time. Weight
// values do not change the cost. Prints a table; with --json the last line is
// one JSON object. --save DIR keeps the weights files (model_<cell>_<hidden>.json)
// for timing the same models inside NEURON.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "nrn/rom_nrn.h"
#include "rom/errors.hpp"
#include "rom/initialisation.hpp"
#include "rom/model_spec.hpp"
#include "rom/trained_model.hpp"
#include "rom/weights_io.hpp"

namespace {

struct Case {
  rom::CellType cell;
  rom::GruVariant variant;
  int hidden;
};

struct Options {
  long steps = 1000000;
  int repeats = 5;
  bool json = false;
  std::string save_dir;
};

int usage(const char* program) {
  std::printf(
      "usage: %s [--steps N] [--repeats R] [--save DIR] [--json]\n"
      "Times rom_nrn_step (ns per step, best of R runs of N steps) for GRU (both variants),\n"
      "LSTM and RNN at hidden sizes 4, 16 and 64, with 4 inputs and 4 outputs.\n",
      program);
  return 2;
}

bool parse(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--json") {
      options.json = true;
    } else if (arg == "--save" && i + 1 < argc) {
      options.save_dir = argv[++i];
    } else if ((arg == "--steps" || arg == "--repeats") && i + 1 < argc) {
      const long value = std::strtol(argv[++i], nullptr, 10);
      if (value < 1) {
        std::fprintf(stderr, "rom_nrn_bench: %s must be a positive integer\n", arg.c_str());
        return false;
      }
      if (arg == "--steps") options.steps = value;
      if (arg == "--repeats") options.repeats = static_cast<int>(value);
    } else {
      std::fprintf(stderr, "rom_nrn_bench: unknown argument '%s'\n", arg.c_str());
      return false;
    }
  }
  return true;
}

rom::TrainedModel make_model(const Case& c) {
  rom::ModelSpec spec;
  spec.cell = c.cell;
  spec.gru_variant = c.variant;
  spec.n_inputs = 4;
  spec.hidden = c.hidden;
  spec.n_outputs = 4;
  rom::TrainedModel trained{rom::SequenceModel(spec), {}, {}, 0.5, {}, {}};
  rom::initialise_keras(trained.model, 1);
  for (int i = 0; i < 4; ++i) {
    trained.inputs.push_back({"IN" + std::to_string(i), "nA"});
    trained.outputs.push_back({"OUT" + std::to_string(i), "mV"});
  }
  rom::Standardisation& s = trained.standardisation;
  s.enabled = true;
  s.input_mean = Eigen::VectorXd::Constant(4, 0.001);
  s.input_std = Eigen::VectorXd::Constant(4, 0.01);
  s.output_mean = Eigen::VectorXd::Constant(4, -50.0);
  s.output_std = Eigen::VectorXd::Constant(4, 10.0);
  trained.provenance = {{"generator", "rom_nrn_bench (Keras initialisation, untrained)"}};
  return trained;
}

double thread_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// Best ns per step over `repeats` runs of `steps` steps.
double time_steps(rom_nrn_model* model, const Options& options) {
  double x[4] = {0.0, 0.0, 0.0, 0.0};
  double y[4];
  double sink = 0.0;
  std::vector<double> per_step;
  for (int r = 0; r < options.repeats; ++r) {
    rom_nrn_reset(model);
    const double start = thread_seconds();
    for (long k = 0; k < options.steps; ++k) {
      x[k & 3] = 0.01 * static_cast<double>(k & 15);  // inputs that change, like stimuli
      rom_nrn_step(model, x, y);
      sink += y[0];
    }
    per_step.push_back((thread_seconds() - start) * 1e9 / static_cast<double>(options.steps));
  }
  if (sink == 1.2345) std::printf(" ");  // keeps the loop's results alive
  return *std::min_element(per_step.begin(), per_step.end());
}

std::string file_stem(const Case& c) {
  std::string stem = rom::to_string(c.cell);
  if (c.cell == rom::CellType::Gru) stem += "_" + rom::to_string(c.variant);
  return stem + "_" + std::to_string(c.hidden);
}

int run(const Options& options) {
  const std::vector<Case> cases = {{rom::CellType::Gru, rom::GruVariant::Classic, 4},
                                   {rom::CellType::Gru, rom::GruVariant::Classic, 16},
                                   {rom::CellType::Gru, rom::GruVariant::Classic, 64},
                                   {rom::CellType::Gru, rom::GruVariant::ResetAfter, 4},
                                   {rom::CellType::Gru, rom::GruVariant::ResetAfter, 16},
                                   {rom::CellType::Gru, rom::GruVariant::ResetAfter, 64},
                                   {rom::CellType::Lstm, rom::GruVariant::Classic, 4},
                                   {rom::CellType::Lstm, rom::GruVariant::Classic, 16},
                                   {rom::CellType::Lstm, rom::GruVariant::Classic, 64},
                                   {rom::CellType::Rnn, rom::GruVariant::Classic, 4},
                                   {rom::CellType::Rnn, rom::GruVariant::Classic, 16},
                                   {rom::CellType::Rnn, rom::GruVariant::Classic, 64}};
  const bool keep = !options.save_dir.empty();
  const std::filesystem::path folder = keep ? std::filesystem::path(options.save_dir)
                                            : std::filesystem::temp_directory_path() /
                                                  ("rom_nrn_bench_" + std::to_string(::getpid()));
  std::filesystem::create_directories(folder);
  std::printf("rom_nrn_step cost, 4 inputs, 4 outputs, thread CPU time, best of %d x %ld steps\n",
              options.repeats, options.steps);
  std::printf("%-42s %10s\n", "model", "ns/step");
  std::string json = "{\"steps\": " + std::to_string(options.steps) + ", \"ns_per_step\": {";
  int status = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const rom::TrainedModel trained = make_model(cases[i]);
    const std::string stem = file_stem(cases[i]);
    const std::filesystem::path file = folder / ("model_" + stem + ".json");
    rom::save_weights(file, trained);
    rom_nrn_model* model = nullptr;
    char message[1024];
    if (rom_nrn_open(file.c_str(), &model, message, sizeof message) != ROM_NRN_OK) {
      std::fprintf(stderr, "rom_nrn_bench: %s\n", message);
      status = 1;
      break;
    }
    const double ns = time_steps(model, options);
    rom_nrn_close(model);
    std::printf("%-42s %10.1f\n", rom::describe(trained.model.spec()).c_str(), ns);
    char entry[128];
    std::snprintf(entry, sizeof entry, "%s\"%s\": %.2f", i ? ", " : "", stem.c_str(), ns);
    json += entry;
  }
  if (!keep) std::filesystem::remove_all(folder);
  if (options.json && status == 0) std::printf("%s}}\n", json.c_str());
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse(argc, argv, options)) return usage(argv[0]);
  try {
    return run(options);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "rom_nrn_bench: %s\n", error.what());
    return 1;
  }
}
