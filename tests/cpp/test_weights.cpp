// The weights file: save -> load gives a model with identical outputs, for
// every cell type, with and without standardisation; every defect of a file
// (altered numbers, bad JSON, unknown version, wrong shapes, NaN/Inf, missing
// fields, a self-test that does not match) is refused with a one-line message.
#include <boost/test/unit_test.hpp>
#include <limits>

#include "rom/json_util.hpp"
#include "rom/model_spec.hpp"
#include "rom/self_test.hpp"
#include "rom/weights_io.hpp"
#include "test_dataset_fixtures.hpp"
#include "test_support.hpp"

using namespace rom;
using namespace rom::test;

namespace {

TrainedModel example_model(CellType cell, GruVariant variant, bool standardised,
                           std::uint64_t seed = 7) {
  ModelSpec spec;
  spec.cell = cell;
  spec.gru_variant = variant;
  spec.n_inputs = 3;
  spec.hidden = 5;
  spec.n_outputs = 2;
  TrainedModel model{SequenceModel(spec),
                     {{"PLML", "nA"}, {"PLMR", "nA"}, {"AVBL", "nA"}},
                     {{"DB1", "mV"}, {"VB1", "mV"}},
                     0.5,
                     {},
                     {{"seed", seed}}};
  randomise(model.model, seed);
  if (standardised) {
    model.standardisation.enabled = true;
    auto& s = model.standardisation;
    s.input_mean.resize(3);
    s.input_mean << 0.1, 0.2, -0.3;
    s.input_std.resize(3);
    s.input_std << 0.5, 1.5, 2.0;
    s.output_mean.resize(2);
    s.output_mean << -65.0, -60.0;
    s.output_std.resize(2);
    s.output_std << 4.0, 0.25;
  }
  return model;
}

// Reads the file as JSON, lets `edit` change it, writes it back.
template <typename Edit>
void edit_json(const fs::path& file, Edit edit) {
  nlohmann::json document = read_json_file(file);
  edit(document);
  write_text(file, document.dump(1));
}

struct SavedGru {
  TempDir dir;
  fs::path file = dir / "w.json";
  SavedGru() { save_weights(file, example_model(CellType::Gru, GruVariant::Classic, false)); }
  void expect_refused(std::initializer_list<std::string> parts) const {
    expect_input_error([this] { load_weights(file); }, parts);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(weights)

BOOST_AUTO_TEST_CASE(save_then_load_gives_identical_outputs_for_every_cell) {
  const std::vector<std::pair<CellType, GruVariant>> cells = {
      {CellType::Rnn, GruVariant::Classic},
      {CellType::Lstm, GruVariant::Classic},
      {CellType::Gru, GruVariant::Classic},
      {CellType::Gru, GruVariant::ResetAfter}};
  const Eigen::MatrixXd input = random_matrix(30, 3, 11, 2.0);
  for (const auto& [cell, variant] : cells) {
    for (bool standardised : {false, true}) {
      TempDir dir;
      const TrainedModel saved = example_model(cell, variant, standardised);
      save_weights(dir / "w.json", saved);
      const TrainedModel loaded = load_weights(dir / "w.json");
      BOOST_TEST_INFO("cell " << int(cell) << " variant " << int(variant) << " standardised "
                              << standardised);
      BOOST_TEST(to_string(loaded.model.spec().cell) == to_string(cell));
      BOOST_TEST(to_string(loaded.model.spec().gru_variant) == to_string(variant));
      BOOST_TEST(loaded.model.parameter_count() == saved.model.parameter_count());
      for (std::size_t b = 0; b < saved.model.blocks().size(); ++b) {
        BOOST_TEST(loaded.model.blocks()[b].name == saved.model.blocks()[b].name);
        BOOST_TEST((loaded.model.blocks()[b].value.array() == saved.model.blocks()[b].value.array())
                       .all());
      }
      BOOST_TEST((loaded.predict(input).array() == saved.predict(input).array()).all());
      BOOST_TEST(loaded.standardisation.enabled == standardised);
      BOOST_TEST(loaded.inputs[2].name == "AVBL");
      BOOST_TEST(loaded.outputs[1].unit == "mV");
      BOOST_TEST(loaded.dt_ms == 0.5);
      BOOST_TEST(loaded.provenance == saved.provenance);
    }
  }
}

BOOST_AUTO_TEST_CASE(standardisation_is_applied_to_inputs_and_undone_on_outputs) {
  TrainedModel plain = example_model(CellType::Gru, GruVariant::Classic, false);
  TrainedModel scaled = example_model(CellType::Gru, GruVariant::Classic, true);
  const Standardisation& s = scaled.standardisation;
  const Eigen::MatrixXd input = random_matrix(10, 3, 5);
  // scaled(x) = plain((x - mean) / std) * out_std + out_mean
  Eigen::MatrixXd model_units = input;
  for (int i = 0; i < 3; ++i) {
    model_units.col(i) = (input.col(i).array() - s.input_mean(i)) / s.input_std(i);
  }
  Eigen::MatrixXd expected = plain.predict(model_units);
  for (int o = 0; o < 2; ++o) {
    expected.col(o) = expected.col(o).array() * s.output_std(o) + s.output_mean(o);
  }
  BOOST_TEST((scaled.predict(input) - expected).cwiseAbs().maxCoeff() < 1e-12);
}

BOOST_AUTO_TEST_CASE(streaming_steps_equal_the_whole_sequence_prediction) {
  const TrainedModel model = example_model(CellType::Lstm, GruVariant::Classic, true);
  const Eigen::MatrixXd input = random_matrix(12, 3, 3);
  const Eigen::MatrixXd whole = model.predict(input);
  StreamState state = model.make_state();
  model.reset(state);
  Eigen::Vector2d y;
  for (Eigen::Index t = 0; t < input.rows(); ++t) {
    const Eigen::Vector3d x = input.row(t).transpose();
    model.step(state, x.data(), y.data());
    BOOST_TEST((y.transpose().array() == whole.row(t).array()).all());
  }
}

BOOST_AUTO_TEST_CASE(the_file_names_every_block_with_its_layout_and_carries_a_self_test) {
  TempDir dir;
  save_weights(dir / "w.json", example_model(CellType::Gru, GruVariant::ResetAfter, false));
  const nlohmann::json document = read_json_file(dir / "w.json");
  BOOST_TEST(document["format_version"] == 1);
  BOOST_TEST(document["model"]["gru_variant"] == "reset_after");
  BOOST_TEST(
      document["parameters"]["U_h"]["layout"].get<std::string>().rfind("hidden x hidden", 0) == 0u);
  BOOST_TEST(document["parameters"]["W_z"]["shape"] == nlohmann::json({5, 3}));
  BOOST_TEST(document["parameters"]["dense.W"]["layout"].get<std::string>().rfind(
                 "outputs x hidden", 0) == 0u);
  BOOST_TEST(document["self_test"]["input"].size() == std::size_t(kSelfTestSteps));
  BOOST_TEST(document["self_test"]["expected_output"][0].size() == 2u);
}

BOOST_FIXTURE_TEST_CASE(an_altered_weight_is_refused_by_the_self_test, SavedGru) {
  edit_json(file, [](nlohmann::json& d) {
    double& w = d["parameters"]["W_h"]["values"][1][2].get_ref<double&>();
    w += 1e-3;
  });
  expect_refused({"w.json", "self-test failed", "the file is altered or mis-read"});
}

BOOST_FIXTURE_TEST_CASE(an_altered_expected_output_is_refused, SavedGru) {
  edit_json(file, [](nlohmann::json& d) {
    double& y = d["self_test"]["expected_output"][3][1].get_ref<double&>();
    y += 1e-6;
  });
  expect_refused({"w.json", "self-test failed", "output VB1 at step 3"});
}

BOOST_FIXTURE_TEST_CASE(a_truncated_file_is_refused, SavedGru) {
  const std::string text = read_text(file);
  write_text(file, text.substr(0, text.size() - 40));
  expect_refused({"w.json", "malformed JSON"});
}

BOOST_FIXTURE_TEST_CASE(a_missing_file_or_a_directory_is_refused, SavedGru) {
  expect_input_error([this] { load_weights(dir / "absent.json"); },
                     {"absent.json", "cannot read file"});
  expect_input_error([this] { load_weights(dir.path()); }, {"is a directory"});
}

BOOST_FIXTURE_TEST_CASE(malformed_json_is_refused, SavedGru) {
  replace_in_file(file, "\"dt_ms\": 0.5,", "\"dt_ms\": 0.5,,");
  expect_refused({"w.json", "malformed JSON", "line"});
}

BOOST_FIXTURE_TEST_CASE(an_unknown_format_version_is_refused, SavedGru) {
  edit_json(file, [](nlohmann::json& d) { d["format_version"] = 2; });
  expect_refused({"w.json", "format_version", "unknown format version 2"});
}

BOOST_FIXTURE_TEST_CASE(a_wrong_declared_shape_is_refused, SavedGru) {
  edit_json(file, [](nlohmann::json& d) { d["parameters"]["U_r"]["shape"] = {5, 4}; });
  expect_refused({"w.json", "parameters.U_r.shape", "wrong shape [5,4]", "needs [5, 5]"});
}

BOOST_FIXTURE_TEST_CASE(a_matrix_with_a_missing_column_is_refused, SavedGru) {
  edit_json(file, [](nlohmann::json& d) { d["parameters"]["W_z"]["values"][4].erase(2); });
  expect_refused({"w.json", "parameters.W_z.values[4]", "expected 3 columns, found 2"});
}

BOOST_FIXTURE_TEST_CASE(a_matrix_with_a_missing_row_is_refused, SavedGru) {
  edit_json(file, [](nlohmann::json& d) { d["parameters"]["dense.W"]["values"].erase(1); });
  expect_refused({"w.json", "parameters.dense.W.values", "expected 2 rows, found 1"});
}

BOOST_FIXTURE_TEST_CASE(nan_written_as_a_literal_is_refused, SavedGru) {
  edit_json(file, [](nlohmann::json& d) { d["parameters"]["b_z"]["values"][0][0] = 12345.5; });
  replace_in_file(file, "12345.5", "NaN");
  expect_refused({"w.json", "malformed JSON"});
}

BOOST_FIXTURE_TEST_CASE(nan_written_as_null_is_refused, SavedGru) {
  edit_json(file, [](nlohmann::json& d) { d["parameters"]["b_z"]["values"][0][0] = nullptr; });
  expect_refused({"w.json", "parameters.b_z.values[0][0]", "expected a number, found null"});
}

BOOST_FIXTURE_TEST_CASE(infinity_is_refused, SavedGru) {
  edit_json(file, [](nlohmann::json& d) { d["parameters"]["U_z"]["values"][2][2] = 12345.5; });
  replace_in_file(file, "12345.5", "1e999");
  expect_refused({"w.json", "line ", "number 1e999 is not finite"});
}

BOOST_FIXTURE_TEST_CASE(infinity_in_the_standardisation_is_refused, SavedGru) {
  edit_json(file, [](nlohmann::json& d) {
    d["standardisation"] = {{"enabled", true},
                            {"input_mean", {0, 0, 0}},
                            {"input_std", {1, 1, 1}},
                            {"output_mean", {0, 12345.5}},
                            {"output_std", {1, 1}}};
  });
  replace_in_file(file, "12345.5", "-1e400");
  expect_refused({"w.json", "line ", "number -1e400 is not finite"});
}

BOOST_FIXTURE_TEST_CASE(a_missing_field_is_refused, SavedGru) {
  edit_json(file, [](nlohmann::json& d) { d.erase("dt_ms"); });
  expect_refused({"w.json", "dt_ms", "missing field"});
}

BOOST_FIXTURE_TEST_CASE(a_missing_parameter_block_is_refused, SavedGru) {
  edit_json(file, [](nlohmann::json& d) { d["parameters"].erase("U_r"); });
  expect_refused({"w.json", "parameters.U_r", "missing field"});
}

BOOST_FIXTURE_TEST_CASE(a_missing_self_test_is_refused, SavedGru) {
  edit_json(file, [](nlohmann::json& d) { d.erase("self_test"); });
  expect_refused({"w.json", "self_test", "missing field"});
}

BOOST_FIXTURE_TEST_CASE(a_block_of_another_cell_type_is_refused, SavedGru) {
  edit_json(file, [](nlohmann::json& d) { d["parameters"]["b_hz"] = d["parameters"]["b_z"]; });
  expect_refused({"w.json", "parameters.b_hz", "not a parameter of GRU-5 (classic)"});
}

BOOST_FIXTURE_TEST_CASE(a_wrong_parameter_count_is_refused, SavedGru) {
  edit_json(file, [](nlohmann::json& d) { d["model"]["parameter_count"] = 100; });
  expect_refused({"w.json", "model.parameter_count", "has 147"});
}

BOOST_FIXTURE_TEST_CASE(channels_that_disagree_with_the_sizes_are_refused, SavedGru) {
  edit_json(file, [](nlohmann::json& d) { d["inputs"].erase(0); });
  expect_refused({"w.json", "inputs", "2 channels, model.n_inputs is 3"});
}

BOOST_FIXTURE_TEST_CASE(an_unknown_cell_type_is_refused, SavedGru) {
  edit_json(file, [](nlohmann::json& d) { d["model"]["cell"] = "transformer"; });
  expect_refused({"w.json", "model.cell", "unknown cell type 'transformer'"});
}

BOOST_AUTO_TEST_CASE(weights_holding_nan_are_not_saved) {
  TempDir dir;
  TrainedModel model = example_model(CellType::Rnn, GruVariant::Classic, false);
  model.model.blocks()[1].value(0, 0) = std::numeric_limits<double>::quiet_NaN();
  expect_input_error([&] { save_weights(dir / "w.json", model); },
                     {"w.json", "cannot save weights", "NaN or Inf"});
  BOOST_TEST(!fs::exists(dir / "w.json"));
}

BOOST_AUTO_TEST_SUITE_END()
