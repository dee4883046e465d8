// neurorom-cli end to end, on small generated datasets: train (runs, seeds,
// history, channel subsets, standardisation, determinism across threads),
// eval (JSON report, predictions, channel / dt / split mismatches), info,
// bench-train, and the one-line error format with exit status 2.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "rom/csv.hpp"
#include "rom/weights_io.hpp"
#include "test_dataset_fixtures.hpp"

using namespace rom;
using namespace rom::test;

namespace {

// A dataset in a temporary directory, and cheap training options.
struct Workspace {
  TempDir dir;
  fs::path data = dir / "data";
  fs::path weights = dir / "w.json";
  Workspace() { write_dataset(data, small_dataset()); }
  CliResult train(const std::string& extra) const {
    return run_cli("train --data " + quoted(data) + " --out " + quoted(weights) +
                   " --hidden 3 --epochs 15 " + extra);
  }
};

nlohmann::json last_json(const std::string& out) { return nlohmann::json::parse(last_line(out)); }

}  // namespace

BOOST_AUTO_TEST_SUITE(cli)

BOOST_FIXTURE_TEST_CASE(train_runs_seeds_s_to_s_plus_r_minus_1_and_keeps_the_best_on_valid,
                        Workspace) {
  const CliResult result = train("--runs 3 --seed 5 --json");
  BOOST_TEST_INFO(result.err);
  BOOST_REQUIRE(result.status == 0);
  const nlohmann::json report = last_json(result.out);
  BOOST_REQUIRE(report["runs"].size() == 3u);
  double best_valid = 1e300;
  int best_seed = 0;
  for (int r = 0; r < 3; ++r) {
    BOOST_TEST(report["runs"][r]["seed"] == 5 + r);
    const double valid = report["runs"][r]["valid_rmse"];
    if (valid < best_valid) best_valid = valid, best_seed = 5 + r;
  }
  BOOST_TEST(report["best_run"]["seed"] == best_seed);
  const double mean = report["summary"]["valid_rmse"]["mean"];
  const double sum = report["runs"][0]["valid_rmse"].get<double>() +
                     report["runs"][1]["valid_rmse"].get<double>() +
                     report["runs"][2]["valid_rmse"].get<double>();
  BOOST_TEST(mean == sum / 3, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(report["summary"]["test_rmse"]["min"].get<double>() > 0.0);
  BOOST_TEST(report["summary"]["train_rmse"]["std"].get<double>() >= 0.0);

  const TrainedModel model = load_weights(weights);
  BOOST_TEST(model.provenance["seed"] == best_seed);
  BOOST_TEST(model.provenance["hyperparameters"]["epochs"] == 15);
  BOOST_TEST(model.provenance["dataset"]["manifest_sha256"] == read_dataset(data).manifest_sha256);
  BOOST_TEST(model.provenance["losses"]["valid_rmse"].get<double>() == best_valid);
  BOOST_TEST(model.provenance.contains("git_commit"));
}

BOOST_FIXTURE_TEST_CASE(without_a_test_split_the_test_rmse_is_null, Workspace) {
  write_dataset(dir / "no_test", small_dataset(2, 1, 0));
  const CliResult result = run_cli("train --data " + quoted(dir / "no_test") + " --out " +
                                   quoted(weights) + " --hidden 2 --epochs 3 --json");
  BOOST_REQUIRE(result.status == 0);
  const nlohmann::json report = last_json(result.out);
  BOOST_TEST(report["best_run"]["test_rmse"].is_null());
  BOOST_TEST(report["summary"]["test_rmse"]["std"].is_null());
  BOOST_TEST(report["summary"]["valid_rmse"]["std"] == 0.0);
}

BOOST_FIXTURE_TEST_CASE(eval_reports_the_same_rmse_as_training_and_writes_predictions, Workspace) {
  const CliResult trained = train("--json");
  BOOST_REQUIRE(trained.status == 0);
  const double trained_test = last_json(trained.out)["best_run"]["test_rmse"];
  const CliResult result = run_cli("eval --weights " + quoted(weights) + " --data " + quoted(data) +
                                   " --predictions " + quoted(dir / "p") + " --json");
  BOOST_TEST_INFO(result.err);
  BOOST_REQUIRE(result.status == 0);
  const nlohmann::json report = last_json(result.out);
  BOOST_TEST(report["split"] == "test");
  BOOST_TEST(report["rmse"].get<double>() == trained_test);
  BOOST_TEST(report["per_output"].size() == 2u);
  const double db1_rmse = report["per_output"]["DB1"]["rmse"];
  const double db1_range = report["per_output"]["DB1"]["range"];
  BOOST_TEST(report["per_output"]["DB1"]["nrmse"].get<double>() == db1_rmse / db1_range);
  BOOST_TEST(report["nrmse"].is_number());

  const Dataset predictions = read_dataset(dir / "p");
  const Dataset source = read_dataset(data);
  BOOST_REQUIRE(predictions.sequences.size() == 1u);
  const TrainedModel model = load_weights(weights);
  const DatasetSequence& test = source.sequences.back();
  BOOST_TEST(predictions.sequences[0].id == test.id);
  BOOST_TEST(
      (predictions.sequences[0].outputs.array() == model.predict(test.inputs).array()).all());
}

BOOST_FIXTURE_TEST_CASE(eval_of_all_splits_pools_every_sequence, Workspace) {
  BOOST_REQUIRE(train("").status == 0);
  const CliResult result = run_cli("eval --weights " + quoted(weights) + " --data " + quoted(data) +
                                   " --split all --json");
  BOOST_REQUIRE(result.status == 0);
  BOOST_TEST(last_json(result.out)["n_sequences"] == 6);
  BOOST_TEST(last_json(result.out)["n_steps"] == 240);
}

BOOST_FIXTURE_TEST_CASE(the_weights_file_is_bitwise_identical_on_1_and_2_threads, Workspace) {
  BOOST_REQUIRE(train("--threads 1 --runs 2").status == 0);
  const std::string one = read_text(weights);
  BOOST_REQUIRE(train("--threads 2 --runs 2").status == 0);
  BOOST_TEST(read_text(weights) == one);
}

BOOST_FIXTURE_TEST_CASE(the_history_csv_has_one_row_per_run_and_epoch, Workspace) {
  BOOST_REQUIRE(train("--runs 2 --history " + quoted(dir / "h.csv")).status == 0);
  const CsvTable history = read_csv(dir / "h.csv");
  BOOST_TEST(history.header ==
                 std::vector<std::string>({"run", "seed", "epoch", "train_rmse", "valid_rmse"}),
             boost::test_tools::per_element());
  BOOST_REQUIRE(history.values.rows() == 30);
  BOOST_TEST(history.values(29, 0) == 2);
  BOOST_TEST(history.values(29, 2) == 15);
  BOOST_TEST(history.values(0, 3) > 0);
}

BOOST_FIXTURE_TEST_CASE(a_channel_subset_trains_and_evaluates_on_the_full_dataset, Workspace) {
  const CliResult trained = train("--inputs PLML --outputs VB1 --cell lstm");
  BOOST_TEST_INFO(trained.err);
  BOOST_REQUIRE(trained.status == 0);
  const TrainedModel model = load_weights(weights);
  BOOST_TEST(model.inputs.size() == 1u);
  BOOST_TEST(model.inputs[0].name == "PLML");
  BOOST_TEST(model.outputs[0].name == "VB1");
  const CliResult info = run_cli("info " + quoted(weights));
  BOOST_TEST(info.status == 0);
  BOOST_TEST(info.out.find("LSTM-3, 1 inputs, 1 outputs") != std::string::npos);
  BOOST_TEST(info.out.find("PLML [nA]") != std::string::npos);
  const CliResult eval =
      run_cli("eval --weights " + quoted(weights) + " --data " + quoted(data) + " --json");
  BOOST_REQUIRE(eval.status == 0);
  BOOST_TEST(last_json(eval.out)["per_output"].size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(an_unknown_channel_in_a_subset_is_refused, Workspace) {
  expect_cli_error(train("--inputs PLML,AVAL"), "train",
                   {"manifest.json", "channel AVAL is not among the dataset's inputs"});
}

BOOST_FIXTURE_TEST_CASE(an_empty_channel_list_is_refused, Workspace) {
  expect_cli_error(train("--inputs ,"), "train", {"--inputs: empty channel name (name 1) in ','"});
  expect_cli_error(train("--inputs PLML,,AVBL"), "train",
                   {"--inputs: empty channel name (name 2) in 'PLML,,AVBL'"});
  expect_cli_error(train("--outputs VB1,"), "train",
                   {"--outputs: empty channel name (name 2) in 'VB1,'"});
  expect_cli_error(train("--outputs ''"), "train", {"--outputs: no channel names"});
  BOOST_TEST(!fs::exists(weights));
}

BOOST_FIXTURE_TEST_CASE(standardisation_is_stored_in_the_weights, Workspace) {
  BOOST_REQUIRE(train("--standardise --cell rnn --lr 0.01").status == 0);
  const TrainedModel model = load_weights(weights);
  BOOST_TEST(model.standardisation.enabled);
  // The outputs rest near -65 and -60 mV; their training means must be close.
  BOOST_TEST(model.standardisation.output_mean(0) < -60.0);
  BOOST_TEST(model.standardisation.output_std(0) > 0.1);
  BOOST_TEST(model.provenance["hyperparameters"]["standardise"] == true);
}

BOOST_FIXTURE_TEST_CASE(truncation_and_clipping_reach_the_trainer_and_the_provenance, Workspace) {
  auto trained_parameters = [&](const std::string& options) {
    BOOST_REQUIRE(train(options).status == 0);
    return load_weights(weights).model.packed_parameters();
  };
  const Eigen::VectorXd plain = trained_parameters("");
  BOOST_TEST((trained_parameters("--truncate 5").array() != plain.array()).any());
  BOOST_TEST(load_weights(weights).provenance["hyperparameters"]["truncation"] == 5);
  BOOST_TEST((trained_parameters("--clip 0.01").array() != plain.array()).any());
  BOOST_TEST(load_weights(weights).provenance["hyperparameters"]["clip_norm"] == 0.01);
  BOOST_TEST((trained_parameters("--lr 0.02 --batch 2").array() != plain.array()).any());
  BOOST_TEST(load_weights(weights).provenance["hyperparameters"]["batch_size"] == 2);
  BOOST_TEST((trained_parameters("").array() == plain.array()).all());  // and reproducible
}

BOOST_FIXTURE_TEST_CASE(eval_refuses_data_without_the_weights_channels, Workspace) {
  BOOST_REQUIRE(train("").status == 0);
  Dataset other = small_dataset();
  other.outputs[0].name = "DB2";
  write_dataset(dir / "other", other);
  expect_cli_error(
      run_cli("eval --weights " + quoted(weights) + " --data " + quoted(dir / "other")), "eval",
      {"other/manifest.json", "needs output DB1, which the dataset lacks"});
}

BOOST_FIXTURE_TEST_CASE(eval_refuses_channels_in_other_units, Workspace) {
  BOOST_REQUIRE(train("").status == 0);
  Dataset other = small_dataset();
  other.inputs[1].unit = "pA";
  write_dataset(dir / "other", other);
  expect_cli_error(
      run_cli("eval --weights " + quoted(weights) + " --data " + quoted(dir / "other")), "eval",
      {"input PLML is in pA", "expects nA"});
}

BOOST_FIXTURE_TEST_CASE(eval_refuses_data_at_another_dt, Workspace) {
  BOOST_REQUIRE(train("").status == 0);
  Dataset other = small_dataset();
  other.dt_ms = 0.1;
  write_dataset(dir / "other", other);
  expect_cli_error(
      run_cli("eval --weights " + quoted(weights) + " --data " + quoted(dir / "other")), "eval",
      {"dt_ms 0.1", "trained at dt_ms 0.5"});
}

BOOST_FIXTURE_TEST_CASE(an_empty_split_is_refused_by_eval_and_train, Workspace) {
  write_dataset(dir / "no_test", small_dataset(2, 1, 0));
  write_dataset(dir / "no_valid", small_dataset(2, 0, 1));
  BOOST_REQUIRE(train("").status == 0);
  expect_cli_error(run_cli("eval --weights " + quoted(weights) + " --data " +
                           quoted(dir / "no_test") + " --split test"),
                   "eval", {"no_test/manifest.json", "no sequences in split test"});
  expect_cli_error(
      run_cli("train --data " + quoted(dir / "no_valid") + " --out " + quoted(dir / "x.json")),
      "train", {"no_valid/manifest.json", "no sequences in split valid"});
  BOOST_TEST(!fs::exists(dir / "x.json"));
}

BOOST_FIXTURE_TEST_CASE(bad_files_reach_the_user_as_one_line_naming_the_file, Workspace) {
  write_text(dir / "bad.json", "{\"format\": \"neurorom-weights\", ");
  expect_cli_error(run_cli("info " + quoted(dir / "bad.json")), "info",
                   {"bad.json", "malformed JSON"});
  replace_in_file(data / "seq_2.csv", "\n1,", "\n1,x");
  expect_cli_error(train(""), "train", {"seq_2.csv", "line 4", "is not a number"});
}

BOOST_FIXTURE_TEST_CASE(bad_options_are_refused, Workspace) {
  expect_cli_error(train("--bogus 3"), "train", {"--bogus: unknown option"});
  expect_cli_error(train("--runs 0"), "train", {"--runs", "expected an integer >= 1, got '0'"});
  expect_cli_error(train("--hidden 4"), "train", {"--hidden: given twice"});
  expect_cli_error(train("--cell gru --variant sideways"), "train",
                   {"unknown GRU variant 'sideways'"});
  expect_cli_error(run_cli("train --data " + quoted(data)), "train", {"--out is required"});
  expect_cli_error(
      run_cli("train --data " + quoted(data) + " --out " + quoted(dir / "no" / "w.json")), "train",
      {"--out", "no/w.json", "does not exist"});
  BOOST_REQUIRE(train("").status == 0);
  expect_cli_error(run_cli("eval --weights " + quoted(weights) + " --data " + quoted(data) +
                           " --split everything"),
                   "eval", {"split everything: must be train, valid, test or all"});
}

BOOST_AUTO_TEST_CASE(every_command_has_help) {
  for (const std::string command : {"import-seed", "train", "eval", "info", "bench-train"}) {
    const CliResult result = run_cli(command + " --help");
    BOOST_TEST_INFO(command);
    BOOST_TEST(result.status == 0);
    BOOST_TEST(result.out.rfind("usage: neurorom " + command, 0) == 0u);
  }
  BOOST_TEST(run_cli("--help").status == 0);
  BOOST_TEST(run_cli("frobnicate").status == 2);
}

BOOST_AUTO_TEST_CASE(bench_train_times_epochs_and_writes_its_problem) {
  TempDir dir;
  const CliResult result =
      run_cli("bench-train --epochs 2 --json --write-data " + quoted(dir / "bench"));
  BOOST_TEST_INFO(result.err);
  BOOST_REQUIRE(result.status == 0);
  const nlohmann::json report = last_json(result.out);
  BOOST_TEST(report["epoch_s"].get<double>() > 0.0);
  BOOST_TEST(report["parameters"] == 128);  // GRU-4 classic, 4 in, 4 out: 3*4*9 + 20
  const Dataset problem = read_dataset(dir / "bench");
  BOOST_TEST(sequences_in_split(problem, "train", "bench").size() == 20u);
  BOOST_TEST(sequences_in_split(problem, "valid", "bench").size() == 10u);
  BOOST_TEST(problem.n_steps == 1000);
}

BOOST_AUTO_TEST_SUITE_END()
