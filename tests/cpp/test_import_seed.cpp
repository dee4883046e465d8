// import-seed on small files laid out like the study's Sequence_NN.dat: the
// published split by sequence number, absent files simply absent, volts kept,
// time converted to ms, and malformed files refused naming file and line.
#include <boost/test/unit_test.hpp>
#include <iomanip>

#include "test_dataset_fixtures.hpp"

using namespace rom;
using namespace rom::test;

namespace {

// index, time [s], DB1 LUAL PVR VB1 [V], PLML PLMR AVBL AVBR [nA]; values
// depend on the sequence number so that files cannot be confused.
std::string seed_file(int number, int rows = 6) {
  std::ostringstream text;
  text << std::setprecision(17);
  for (int k = 0; k < rows; ++k) {
    text << k << " " << k * 0.0005;
    for (int c = 0; c < 4; ++c) text << " " << -0.065 + 0.001 * (number + c) * k;
    for (int c = 0; c < 4; ++c) text << " " << 0.1 * number + 0.01 * c;
    text << "\n";
  }
  return text.str();
}

struct SeedFiles {
  TempDir dir;
  fs::path source = dir / "seed";
  fs::path target = dir / "data";
  SeedFiles() {
    fs::create_directories(source);
    for (int number : {1, 3, 11}) write_text(source / name(number), seed_file(number));
    write_text(source / "README", "not a sequence");
  }
  static std::string name(int number) {
    return std::string("Sequence_") + (number < 10 ? "0" : "") + std::to_string(number) + ".dat";
  }
  CliResult import() const {
    return run_cli("import-seed " + quoted(source) + " " + quoted(target));
  }
};

void expect_import_error(const CliResult& result, std::initializer_list<std::string> parts) {
  expect_cli_error(result, "import-seed", parts);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(import_seed)

BOOST_FIXTURE_TEST_CASE(the_published_split_applies_and_absent_files_are_absent, SeedFiles) {
  const CliResult result = import();
  BOOST_TEST_INFO(result.err);
  BOOST_REQUIRE(result.status == 0);
  const Dataset dataset = read_dataset(target);
  BOOST_REQUIRE(dataset.sequences.size() == 3u);
  BOOST_TEST(dataset.sequences[0].id == "seq_01");
  BOOST_TEST(dataset.sequences[0].split == "valid");
  BOOST_TEST(dataset.sequences[1].id == "seq_03");
  BOOST_TEST(dataset.sequences[1].split == "train");
  BOOST_TEST(dataset.sequences[2].id == "seq_11");
  BOOST_TEST(dataset.sequences[2].split == "test");
  BOOST_TEST(result.out.find("train 1, valid 1, test 1") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(volts_are_kept_currents_are_nA_and_time_becomes_ms, SeedFiles) {
  BOOST_REQUIRE(import().status == 0);
  const Dataset dataset = read_dataset(target);
  BOOST_TEST(dataset.dt_ms == 0.5);
  BOOST_TEST(dataset.n_steps == 6);
  BOOST_TEST(dataset.outputs[0].name == "DB1");
  BOOST_TEST(dataset.outputs[3].name == "VB1");
  BOOST_TEST(dataset.outputs[0].unit == "V");
  BOOST_TEST(dataset.inputs[0].name == "PLML");
  BOOST_TEST(dataset.inputs[3].name == "AVBR");
  BOOST_TEST(dataset.inputs[0].unit == "nA");
  const DatasetSequence& s3 = dataset.sequences[1];
  // Exactly the published numbers: VB1 of sequence 3 at row 5, AVBL of sequence 3.
  BOOST_TEST(s3.outputs(5, 3) == -0.065 + 0.001 * (3 + 3) * 5);
  BOOST_TEST(s3.inputs(0, 2) == 0.1 * 3 + 0.01 * 2);
  BOOST_TEST(read_text(target / "seq_03.csv").find("\n2.5,") != std::string::npos);
  BOOST_TEST(dataset.provenance["source_files"].size() == 3u);
  BOOST_TEST(dataset.provenance["source_files"][1]["sha256"].get<std::string>().size() == 64u);
}

BOOST_FIXTURE_TEST_CASE(a_folder_of_other_files_is_refused_an_earlier_import_is_replaced,
                        SeedFiles) {
  fs::create_directories(target);
  write_text(target / "notes.txt", "mine");
  expect_import_error(import(), {target.string(), "folder is not empty and holds no dataset"});
  BOOST_TEST(!fs::exists(target / "manifest.json"));
  fs::remove(target / "notes.txt");
  BOOST_REQUIRE(import().status == 0);
  BOOST_TEST(import().status == 0);  // over its own earlier output
}

BOOST_FIXTURE_TEST_CASE(a_sequence_number_outside_the_study_is_refused, SeedFiles) {
  write_text(source / "Sequence_41.dat", seed_file(41));
  expect_import_error(import(), {"Sequence_41.dat", "not in the published split"});
}

BOOST_FIXTURE_TEST_CASE(a_file_with_a_missing_column_is_refused, SeedFiles) {
  std::string text;
  for (int k = 0; k < 3; ++k) text += std::to_string(k) + " 0 1 2 3 4 5 6 7\n";
  write_text(source / name(3), text);
  expect_import_error(import(), {"Sequence_03.dat", "9 columns, expected 10"});
}

BOOST_FIXTURE_TEST_CASE(ragged_rows_are_refused, SeedFiles) {
  write_text(source / name(3), seed_file(3) + "6 0.003 1 2 3\n");
  expect_import_error(import(), {"Sequence_03.dat", "line 7", "5 values, line 1 has 10"});
}

BOOST_FIXTURE_TEST_CASE(non_numeric_values_are_refused, SeedFiles) {
  replace_in_file(source / name(11), "\n3 ", "\n3x ");
  expect_import_error(import(), {"Sequence_11.dat", "line 4", "column 1", "'3x' is not a number"});
}

BOOST_FIXTURE_TEST_CASE(a_non_uniform_time_column_is_refused, SeedFiles) {
  replace_in_file(source / name(1), "\n2 0.001 ", "\n2 0.0011 ");
  expect_import_error(import(), {"Sequence_01.dat", "line 3", "breaks the uniform step of 0.5 ms"});
}

BOOST_FIXTURE_TEST_CASE(files_with_different_lengths_are_refused, SeedFiles) {
  write_text(source / name(3), seed_file(3, 8));
  expect_import_error(import(), {"Sequence_03.dat", "8 rows", "the first file has 6 rows"});
}

BOOST_AUTO_TEST_CASE(a_directory_without_sequence_files_is_refused) {
  TempDir dir;
  expect_import_error(run_cli("import-seed " + quoted(dir.path()) + " " + quoted(dir / "out")),
                      {"no Sequence_NN.dat files"});
}

BOOST_AUTO_TEST_SUITE_END()
