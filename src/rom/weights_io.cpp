#include "rom/weights_io.hpp"

#include <cmath>
#include <set>

#include "rom/dataset.hpp"
#include "rom/errors.hpp"
#include "rom/json_util.hpp"
#include "rom/model_spec.hpp"
#include "rom/self_test.hpp"

namespace rom {
namespace {

const char* const kFormatName = "neurorom-weights";
const char* const kLayoutNote = ", row-major: one array per row";

bool all_finite(const Eigen::MatrixXd& values) { return values.allFinite(); }

void require_finite(const Eigen::MatrixXd& values, const std::string& what) {
  if (!all_finite(values)) {
    throw InputError("cannot save weights: " + what +
                     " holds NaN or Inf (did the training diverge?)");
  }
}

nlohmann::ordered_json standardisation_to_json(const Standardisation& s) {
  nlohmann::ordered_json out;
  out["enabled"] = s.enabled;
  if (s.enabled) {
    out["input_mean"] = vector_to_json(s.input_mean);
    out["input_std"] = vector_to_json(s.input_std);
    out["output_mean"] = vector_to_json(s.output_mean);
    out["output_std"] = vector_to_json(s.output_std);
  }
  return out;
}

Standardisation standardisation_from_json(const JsonField& field, int n_inputs, int n_outputs) {
  Standardisation s;
  s.enabled = field["enabled"].boolean();
  if (!s.enabled) return s;
  s.input_mean = field["input_mean"].vector(n_inputs);
  s.input_std = field["input_std"].vector(n_inputs);
  s.output_mean = field["output_mean"].vector(n_outputs);
  s.output_std = field["output_std"].vector(n_outputs);
  if ((s.input_std.array() <= 0).any()) field["input_std"].fail("every std must be positive");
  if ((s.output_std.array() <= 0).any()) field["output_std"].fail("every std must be positive");
  return s;
}

ModelSpec spec_from_json(const JsonField& field) {
  ModelSpec spec;
  try {
    spec.cell = parse_cell_type(field["cell"].string());
  } catch (const InputError& error) {
    field["cell"].fail(error.what());
  }
  if (spec.cell == CellType::Gru) {
    try {
      spec.gru_variant = parse_gru_variant(field["gru_variant"].string());
    } catch (const InputError& error) {
      field["gru_variant"].fail(error.what());
    }
  }
  spec.n_inputs = field["n_inputs"].integer();
  spec.hidden = field["hidden"].integer();
  spec.n_outputs = field["n_outputs"].integer();
  if (spec.n_inputs < 1) field["n_inputs"].fail("must be at least 1");
  if (spec.hidden < 1) field["hidden"].fail("must be at least 1");
  if (spec.n_outputs < 1) field["n_outputs"].fail("must be at least 1");
  return spec;
}

std::string shape_text(Eigen::Index rows, Eigen::Index cols) {
  return "[" + std::to_string(rows) + ", " + std::to_string(cols) + "]";
}

void read_parameters(const JsonField& field, SequenceModel& model) {
  if (!field.raw().is_object()) field.fail("expected an object of named matrices");
  std::set<std::string> expected;
  for (ParamBlock& block : model.blocks()) {
    expected.insert(block.name);
    const JsonField entry = field[block.name];
    const Eigen::Index rows = block.value.rows(), cols = block.value.cols();
    const JsonField shape = entry["shape"];
    if (shape.size() != 2 || shape[0].integer() != rows || shape[1].integer() != cols) {
      shape.fail("wrong shape " + shape.raw().dump() + ", the model needs " +
                 shape_text(rows, cols) + " (" + block_layout(block.name) + ")");
    }
    block.value = entry["values"].matrix(rows, cols);
  }
  for (const auto& item : field.raw().items()) {
    if (!expected.count(item.key())) {
      field[item.key()].fail("not a parameter of " + describe(model.spec()));
    }
  }
}

}  // namespace

std::string block_layout(const std::string& block_name) {
  const bool dense = block_name.rfind("dense.", 0) == 0;
  const std::string local = dense ? block_name.substr(6) : block_name;
  const std::string rows = dense ? "outputs" : "hidden";
  std::string cols = "inputs";
  if (!local.empty() && local[0] == 'b') {
    cols = "1";
  } else if (dense || (!local.empty() && local[0] == 'U')) {
    cols = "hidden";
  }
  return rows + " x " + cols;
}

nlohmann::ordered_json weights_to_json(const TrainedModel& trained) {
  const ModelSpec& spec = trained.model.spec();
  for (const ParamBlock& block : trained.model.blocks()) {
    require_finite(block.value, "parameter " + block.name);
  }
  if (trained.standardisation.enabled) {
    const Standardisation& s = trained.standardisation;
    require_finite(s.input_mean, "input_mean");
    require_finite(s.input_std, "input_std");
    require_finite(s.output_mean, "output_mean");
    require_finite(s.output_std, "output_std");
  }
  const SelfTest test = make_self_test(trained);
  require_finite(test.expected_output, "the self-test output");

  nlohmann::ordered_json out;
  out["format"] = kFormatName;
  out["format_version"] = kWeightsFormatVersion;
  nlohmann::ordered_json model;
  model["cell"] = to_string(spec.cell);
  if (spec.cell == CellType::Gru) model["gru_variant"] = to_string(spec.gru_variant);
  model["n_inputs"] = spec.n_inputs;
  model["hidden"] = spec.hidden;
  model["n_outputs"] = spec.n_outputs;
  model["parameter_count"] = trained.model.parameter_count();
  out["model"] = std::move(model);
  out["dt_ms"] = trained.dt_ms;
  out["inputs"] = channels_to_json(trained.inputs);
  out["outputs"] = channels_to_json(trained.outputs);
  out["standardisation"] = standardisation_to_json(trained.standardisation);
  nlohmann::ordered_json parameters;
  for (const ParamBlock& block : trained.model.blocks()) {
    nlohmann::ordered_json entry;
    entry["shape"] = {block.value.rows(), block.value.cols()};
    entry["layout"] = block_layout(block.name) + kLayoutNote;
    entry["values"] = matrix_to_json(block.value);
    parameters[block.name] = std::move(entry);
  }
  out["parameters"] = std::move(parameters);
  out["provenance"] = to_ordered(trained.provenance);
  nlohmann::ordered_json self_test;
  self_test["tolerance"] = kSelfTestTolerance;
  self_test["input"] = matrix_to_json(test.input);
  self_test["expected_output"] = matrix_to_json(test.expected_output);
  out["self_test"] = std::move(self_test);
  return out;
}

TrainedModel weights_from_json(const nlohmann::json& document, const std::string& file) {
  const JsonField root(document, file);
  require_format(root, kFormatName, kWeightsFormatVersion);
  const ModelSpec spec = spec_from_json(root["model"]);
  TrainedModel trained{SequenceModel(spec), {}, {}, 0.0, {}, nlohmann::json::object()};
  const int count = root["model"]["parameter_count"].integer();
  if (count != trained.model.parameter_count()) {
    root["model"]["parameter_count"].fail(std::to_string(count) + ", but " + describe(spec) +
                                          " has " +
                                          std::to_string(trained.model.parameter_count()));
  }
  trained.dt_ms = root["dt_ms"].number();
  if (trained.dt_ms <= 0) root["dt_ms"].fail("must be positive");
  trained.inputs = channels_from_json(root["inputs"]);
  trained.outputs = channels_from_json(root["outputs"]);
  if (static_cast<int>(trained.inputs.size()) != spec.n_inputs) {
    root["inputs"].fail(std::to_string(trained.inputs.size()) + " channels, model.n_inputs is " +
                        std::to_string(spec.n_inputs));
  }
  if (static_cast<int>(trained.outputs.size()) != spec.n_outputs) {
    root["outputs"].fail(std::to_string(trained.outputs.size()) + " channels, model.n_outputs is " +
                         std::to_string(spec.n_outputs));
  }
  trained.standardisation =
      standardisation_from_json(root["standardisation"], spec.n_inputs, spec.n_outputs);
  read_parameters(root["parameters"], trained.model);
  const JsonField provenance = root["provenance"];
  if (!provenance.raw().is_object()) provenance.fail("expected an object");
  trained.provenance = provenance.raw();

  const JsonField self_test = root["self_test"];
  const JsonField input = self_test["input"];
  const std::size_t steps = input.size();
  if (steps == 0) input.fail("the self-test needs at least one step");
  SelfTest test;
  test.input = input.matrix(static_cast<Eigen::Index>(steps), spec.n_inputs);
  test.expected_output =
      self_test["expected_output"].matrix(static_cast<Eigen::Index>(steps), spec.n_outputs);
  check_self_test(trained, test, file);
  return trained;
}

void save_weights(const std::filesystem::path& file, const TrainedModel& model) {
  nlohmann::ordered_json document;
  try {
    document = weights_to_json(model);
  } catch (const InputError& error) {
    throw InputError(file.string() + ": " + error.what());
  }
  write_json_file(file, document);
}

TrainedModel load_weights(const std::filesystem::path& file) {
  return weights_from_json(read_json_file(file), file.string());
}

}  // namespace rom
