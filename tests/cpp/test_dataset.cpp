// The dataset format: a write -> read round trip is exact, and every kind of
// bad input is refused with a one-line message naming the file and the fault.
// Also the pieces it rests on: CSV parsing, number formatting, atomic writes,
// SHA-256.
#define BOOST_TEST_MODULE rom_io_tests
#include <boost/test/unit_test.hpp>
#include <limits>

#include "rom/atomic_file.hpp"
#include "rom/csv.hpp"
#include "rom/dataset.hpp"
#include "rom/provenance.hpp"
#include "test_dataset_fixtures.hpp"

using namespace rom;
using namespace rom::test;

BOOST_AUTO_TEST_SUITE(dataset)

BOOST_AUTO_TEST_CASE(write_then_read_gives_the_same_numbers_channels_and_splits) {
  TempDir dir;
  const Dataset written = small_dataset(3, 2, 1);
  write_dataset(dir.path(), written);
  const Dataset read = read_dataset(dir.path());
  BOOST_TEST(read.dt_ms == 0.5);
  BOOST_TEST(read.n_steps == 40);
  BOOST_REQUIRE_EQUAL(read.sequences.size(), 6u);
  BOOST_TEST(read.inputs[1].name == "PLML");
  BOOST_TEST(read.outputs[0].unit == "mV");
  for (std::size_t s = 0; s < read.sequences.size(); ++s) {
    BOOST_TEST(read.sequences[s].id == written.sequences[s].id);
    BOOST_TEST(read.sequences[s].split == written.sequences[s].split);
    // Bitwise: numbers are written in shortest round-trip form.
    BOOST_TEST((read.sequences[s].inputs.array() == written.sequences[s].inputs.array()).all());
    BOOST_TEST((read.sequences[s].outputs.array() == written.sequences[s].outputs.array()).all());
  }
  BOOST_TEST(read.manifest_sha256 == sha256_of_file(dir / "manifest.json"));
  BOOST_TEST(read.data_sha256.size() == 64u);
  BOOST_TEST(read.provenance["generator"] == "test fixture");
}

BOOST_AUTO_TEST_CASE(the_csv_header_and_time_column_follow_the_spec) {
  TempDir dir;
  write_dataset(dir.path(), small_dataset(1, 1, 0, 4));
  BOOST_TEST(read_text(dir / "seq_0.csv").rfind("t_ms,AVBL,PLML,DB1,VB1\n0,0,0,", 0) == 0u);
  const CsvTable table = read_csv(dir / "seq_0.csv");
  BOOST_TEST(table.values(3, 0) == 1.5);
}

BOOST_AUTO_TEST_CASE(the_data_hash_changes_with_any_sequence_file) {
  TempDir dir;
  write_dataset(dir.path(), small_dataset());
  const std::string before = read_dataset(dir.path()).data_sha256;
  replace_in_file(dir / "seq_2.csv", "\n1,", "\n1.0,");  // same numbers, other bytes
  BOOST_TEST(read_dataset(dir.path()).data_sha256 != before);
}

struct WrittenDataset {
  TempDir dir;
  WrittenDataset() { write_dataset(dir.path(), small_dataset()); }
  fs::path csv() const { return dir / "seq_1.csv"; }
  fs::path manifest() const { return dir / "manifest.json"; }
  void expect_refused(std::initializer_list<std::string> parts) const {
    expect_input_error([this] { read_dataset(dir.path()); }, parts);
  }
};

BOOST_FIXTURE_TEST_CASE(ragged_rows_are_refused, WrittenDataset) {
  replace_in_file(csv(), "\n1,", "\n1,7,");
  expect_refused({"seq_1.csv", "line 4", "6 cells, the header has 5"});
}

BOOST_FIXTURE_TEST_CASE(non_numeric_cells_are_refused, WrittenDataset) {
  replace_in_file(csv(), "\n1,", "\n1,abc");
  expect_refused({"seq_1.csv", "line 4", "column 'AVBL'", "'abc0' is not a number"});
}

BOOST_FIXTURE_TEST_CASE(nan_is_refused, WrittenDataset) {
  replace_in_file(csv(), "\n1,0,", "\n1,nan,");
  expect_refused({"seq_1.csv", "line 4", "AVBL", "not a finite number"});
}

BOOST_FIXTURE_TEST_CASE(infinity_is_refused, WrittenDataset) {
  replace_in_file(csv(), "\n1,0,", "\n1,-inf,");
  expect_refused({"seq_1.csv", "line 4", "not a finite number"});
}

BOOST_FIXTURE_TEST_CASE(a_time_step_other_than_the_manifests_is_refused, WrittenDataset) {
  replace_in_file(manifest(), "\"dt_ms\": 0.5", "\"dt_ms\": 0.25");
  replace_in_file(manifest(), "\"duration_ms\": 20.0", "\"duration_ms\": 10.0");
  expect_refused(
      {"seq_0.csv", "line 3", "time step 0.5 ms differs from the manifest's dt_ms 0.25"});
}

BOOST_FIXTURE_TEST_CASE(a_non_uniform_time_step_is_refused, WrittenDataset) {
  replace_in_file(csv(), "\n3,", "\n3.1,");
  expect_refused({"seq_1.csv", "line 8", "non-uniform time step", "t_ms 3.1 should be 3"});
}

BOOST_FIXTURE_TEST_CASE(a_channel_missing_from_a_csv_header_is_refused, WrittenDataset) {
  replace_in_file(csv(), "t_ms,AVBL,PLML,DB1,VB1", "t_ms,AVBL,PLML,DB1,VB2");
  expect_refused({"seq_1.csv", "line 1", "channel VB1 of the manifest is missing"});
}

BOOST_FIXTURE_TEST_CASE(columns_out_of_the_manifests_order_are_refused, WrittenDataset) {
  replace_in_file(csv(), "t_ms,AVBL,PLML", "t_ms,PLML,AVBL");
  expect_refused({"seq_1.csv", "column 2 is PLML", "needs AVBL"});
}

BOOST_FIXTURE_TEST_CASE(a_channel_without_a_unit_is_refused, WrittenDataset) {
  replace_in_file(manifest(), "{\"name\":\"PLML\",\"unit\":\"nA\"}", "{\"name\":\"PLML\"}");
  expect_refused({"manifest.json", "inputs[1].unit", "missing field"});
}

BOOST_FIXTURE_TEST_CASE(a_missing_manifest_field_is_refused, WrittenDataset) {
  replace_in_file(manifest(), "\"n_steps\": 40,", "");
  expect_refused({"manifest.json", "n_steps", "missing field"});
}

BOOST_FIXTURE_TEST_CASE(a_row_count_other_than_n_steps_is_refused, WrittenDataset) {
  std::string text = read_text(csv());
  text.erase(text.rfind('\n', text.size() - 2) + 1);  // drop the last row
  write_text(csv(), text);
  expect_refused({"seq_1.csv", "39 rows", "n_steps 40"});
}

BOOST_FIXTURE_TEST_CASE(an_unknown_format_version_is_refused, WrittenDataset) {
  replace_in_file(manifest(), "\"format_version\": 1", "\"format_version\": 2");
  expect_refused({"manifest.json", "format_version", "unknown format version 2"});
}

BOOST_FIXTURE_TEST_CASE(a_truncated_manifest_is_refused, WrittenDataset) {
  const std::string text = read_text(manifest());
  write_text(manifest(), text.substr(0, text.size() / 2));
  expect_refused({"manifest.json", "malformed JSON"});
}

BOOST_FIXTURE_TEST_CASE(a_missing_sequence_file_is_refused, WrittenDataset) {
  fs::remove(csv());
  expect_refused({"seq_1.csv", "missing"});
}

BOOST_FIXTURE_TEST_CASE(an_unknown_split_name_is_refused, WrittenDataset) {
  replace_in_file(manifest(), "\"split\":\"valid\"", "\"split\":\"validation\"");
  expect_refused({"manifest.json", "sequences[3].split", "must be train, valid or test"});
}

BOOST_AUTO_TEST_CASE(an_empty_split_is_refused) {
  TempDir dir;
  write_dataset(dir.path(), small_dataset(2, 1, 0));
  const Dataset read = read_dataset(dir.path());
  BOOST_TEST(sequences_in_split(read, "train", "data").size() == 2u);
  BOOST_TEST(sequences_in_split(read, "all", "data").size() == 3u);
  expect_input_error([&] { sequences_in_split(read, "test", "data/manifest.json"); },
                     {"data/manifest.json", "no sequences in split test"});
}

BOOST_AUTO_TEST_CASE(a_dataset_without_sequences_is_refused) {
  TempDir dir;
  Dataset empty = small_dataset(0, 0, 0);
  write_dataset(dir.path(), empty);
  expect_input_error([&] { read_dataset(dir.path()); },
                     {"manifest.json", "sequences", "no sequences"});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(csv)

BOOST_AUTO_TEST_CASE(numbers_are_written_in_shortest_round_trip_form) {
  BOOST_TEST(format_number(0.1) == "0.1");
  BOOST_TEST(format_number(-65.0) == "-65");
  for (double value :
       {1.0 / 3.0, -0.065, 1e-300, 5e-324, 6.02214076e23, std::numeric_limits<double>::max()}) {
    double back = 0.0;
    BOOST_REQUIRE(parse_number(format_number(value), back));
    BOOST_TEST(back == value);
  }
}

BOOST_AUTO_TEST_CASE(parsing_takes_whole_decimal_numbers_only) {
  double value = 0.0;
  BOOST_TEST(parse_number("+1.5", value));
  BOOST_TEST(value == 1.5);
  BOOST_TEST(parse_number("1e+05", value));
  BOOST_TEST(value == 1e5);
  BOOST_TEST(!parse_number("", value));
  BOOST_TEST(!parse_number("1.0x", value));
  BOOST_TEST(!parse_number("0x10", value));
  BOOST_TEST(!parse_number("1,5", value));
}

BOOST_AUTO_TEST_CASE(windows_line_ends_and_spaces_are_accepted) {
  TempDir dir;
  write_text(dir / "a.csv", "t_ms, x\r\n0, 1.5\r\n0.5 ,2\r\n");
  const CsvTable table = read_csv(dir / "a.csv");
  BOOST_TEST(table.header.size() == 2u);
  BOOST_TEST(table.header[1] == "x");
  BOOST_TEST(table.values(1, 1) == 2.0);
}

BOOST_AUTO_TEST_CASE(whitespace_tables_are_read_and_checked) {
  TempDir dir;
  write_text(dir / "a.dat", "0 0.0 -0.065\n1\t0.0005  -0.064\n");
  const Eigen::MatrixXd table = read_whitespace_table(dir / "a.dat");
  BOOST_TEST(table.rows() == 2);
  BOOST_TEST(table(1, 2) == -0.064);
  write_text(dir / "b.dat", "0 0.0 -0.065\n1 0.0005\n");
  expect_input_error([&] { read_whitespace_table(dir / "b.dat"); },
                     {"b.dat", "line 2", "2 values, line 1 has 3"});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(atomic_file)

BOOST_AUTO_TEST_CASE(a_file_is_created_and_replaced_without_leftovers) {
  TempDir dir;
  write_file_atomically(dir / "f.txt", "old");
  write_file_atomically(dir / "f.txt", "new");
  BOOST_TEST(read_text(dir / "f.txt") == "new");
  BOOST_TEST(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
}

BOOST_AUTO_TEST_CASE(an_interrupted_write_leaves_the_old_file_and_no_temporary) {
  TempDir dir;
  write_file_atomically(dir / "f.txt", "old content");
  BOOST_CHECK_THROW(write_file_atomically(dir / "f.txt",
                                          [](std::ostream& out) {
                                            out << "half of the new";
                                            throw std::runtime_error("interrupted");
                                          }),
                    std::runtime_error);
  BOOST_TEST(read_text(dir / "f.txt") == "old content");
  BOOST_TEST(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
}

BOOST_AUTO_TEST_CASE(an_unwritable_place_is_an_input_error_naming_the_file) {
  TempDir dir;
  expect_input_error([&] { write_file_atomically(dir / "no_such_dir" / "f.txt", "x"); },
                     {"no_such_dir/f.txt", "cannot write"});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(provenance)

BOOST_AUTO_TEST_CASE(sha256_matches_the_fips_180_examples) {
  BOOST_TEST(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BOOST_TEST(sha256_hex("abc") ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  TempDir dir;
  const std::string big(100000, 'a');  // several read buffers' worth
  write_text(dir / "big", big);
  BOOST_TEST(sha256_of_file(dir / "big") == sha256_hex(big));
}

BOOST_AUTO_TEST_CASE(the_git_commit_is_a_hash_or_unknown_outside_a_repository) {
  TempDir dir;
  const char* old = std::getenv("NEUROROM_ROOT");
  const std::string saved = old ? old : "";
  ::setenv("NEUROROM_ROOT", dir.path().c_str(), 1);
  const std::string outside = git_commit();
  if (old)
    ::setenv("NEUROROM_ROOT", saved.c_str(), 1);
  else
    ::unsetenv("NEUROROM_ROOT");
  BOOST_TEST(outside == "unknown");
  const std::string commit = git_commit();
  BOOST_TEST((commit == "unknown" || commit.size() == 40u));
}

BOOST_AUTO_TEST_SUITE_END()
