// `neurorom info W`: what a weights file holds: architecture, parameter count
// and blocks, channels, dt, standardisation and provenance. Loading it runs
// the self-test, so a file that info describes is one that loads.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "rom/csv.hpp"
#include "rom/json_util.hpp"
#include "rom/model_spec.hpp"
#include "rom/weights_io.hpp"

namespace cli {
namespace {

std::string channel_list(const std::vector<rom::Channel>& channels) {
  std::string text;
  for (const rom::Channel& c : channels)
    text += (text.empty() ? "" : ", ") + c.name + " [" + c.unit + "]";
  return text;
}

}  // namespace

int info_command(const Args& args) {
  Options options("info", "WEIGHTS.json",
                  "Describes a weights file: architecture, parameter count, channels and\n"
                  "units, dt, standardisation and provenance. The file's self-test is run.",
                  {}, {"WEIGHTS.json"});
  if (!options.parse(args)) {
    std::cout << options.help();
    return 0;
  }
  const std::string file = options.positional()[0];
  const rom::TrainedModel model = rom::load_weights(file);
  const rom::ModelSpec& spec = model.model.spec();
  std::cout << file << "\n"
            << "architecture: " << rom::describe(spec) << "\n"
            << "parameters:   " << model.model.parameter_count() << " in";
  for (const rom::ParamBlock& block : model.model.blocks()) {
    std::cout << " " << block.name << "[" << block.value.rows() << "x" << block.value.cols() << "]";
  }
  std::cout << "\n"
            << "inputs:       " << channel_list(model.inputs) << "\n"
            << "outputs:      " << channel_list(model.outputs) << "\n"
            << "dt:           " << rom::format_number(model.dt_ms) << " ms\n"
            << "standardised: " << (model.standardisation.enabled ? "yes" : "no") << "\n"
            << "self-test:    passed\n"
            << "provenance:\n"
            << rom::dump_readable(rom::to_ordered(model.provenance)) << "\n";
  return 0;
}

}  // namespace cli
