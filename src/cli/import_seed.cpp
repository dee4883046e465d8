// `neurorom import-seed SRC DST`: the study's published Sequence_NN.dat files
// (whitespace-separated: index, time [s], DB1 LUAL PVR VB1 [V], PLML PLMR AVBL
// AVBR [nA]) -> a dataset in our format, with the published split. Volts are
// kept so that RMSE compares directly with the paper's tables; time becomes ms.
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <regex>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "rom/csv.hpp"
#include "rom/dataset.hpp"
#include "rom/errors.hpp"
#include "rom/provenance.hpp"

namespace cli {
namespace {

namespace fs = std::filesystem;
using rom::InputError;

// Barbulescu et al. (2023), split by sequence number.
const std::map<int, std::string>& published_split() {
  static const std::map<int, std::string> split = [] {
    std::map<int, std::string> s;
    for (int n : {3, 4, 6, 8, 9, 10, 12, 13, 14, 16, 20, 22, 23, 26, 28, 29, 30, 31, 38, 40}) {
      s[n] = "train";
    }
    for (int n : {1, 2, 5, 7, 15, 17, 19, 21, 33, 37}) s[n] = "valid";
    for (int n : {11, 18, 24, 25, 27, 32, 34, 35, 36, 39}) s[n] = "test";
    return s;
  }();
  return split;
}

constexpr int kColumns = 10;  // index, time, 4 outputs, 4 inputs
const char* const kOutputNames[] = {"DB1", "LUAL", "PVR", "VB1"};
const char* const kInputNames[] = {"PLML", "PLMR", "AVBL", "AVBR"};

struct SeedFile {
  int number;
  fs::path path;
};

std::vector<SeedFile> find_seed_files(const fs::path& source) {
  if (!fs::is_directory(source)) throw InputError(source.string() + ": not a directory");
  const std::regex pattern(R"(Sequence_(\d+)\.dat)");
  std::map<int, fs::path> found;
  for (const auto& entry : fs::directory_iterator(source)) {
    const std::string name = entry.path().filename().string();
    std::smatch match;
    if (!std::regex_match(name, match, pattern)) continue;
    const int number = std::stoi(match[1].str());
    if (!published_split().count(number)) {
      throw InputError(entry.path().string() + ": sequence " + std::to_string(number) +
                       " is not in the published split (1..40)");
    }
    if (found.count(number)) {
      throw InputError(entry.path().string() + ": sequence " + std::to_string(number) +
                       " also in " + found[number].filename().string());
    }
    found[number] = entry.path();
  }
  if (found.empty()) throw InputError(source.string() + ": no Sequence_NN.dat files");
  std::vector<SeedFile> files;
  for (const auto& [number, path] : found) files.push_back({number, path});
  return files;
}

// Time step in ms from the file's time column [s], checked to be uniform and
// to start at 0; rounded to 1e-12 ms to drop binary noise (0.0005 s is not exact).
double time_step_ms(const Eigen::MatrixXd& table, const fs::path& file) {
  const Eigen::Index rows = table.rows();
  if (rows < 2) throw InputError(file.string() + ": needs at least 2 rows");
  const double dt_s = (table(rows - 1, 1) - table(0, 1)) / static_cast<double>(rows - 1);
  if (!(dt_s > 0)) throw InputError(file.string() + ": time column does not increase");
  const double dt_ms = std::stod(rom::format_number(std::round(dt_s * 1e3 * 1e12) / 1e12));
  for (Eigen::Index k = 0; k < rows; ++k) {
    const std::string line = file.string() + ": line " + std::to_string(k + 1);
    if (table(k, 0) != static_cast<double>(k)) {
      throw InputError(line + ": index " + rom::format_number(table(k, 0)) + ", expected " +
                       std::to_string(k));
    }
    const double expected_s = static_cast<double>(k) * dt_ms * 1e-3;
    if (std::abs(table(k, 1) - expected_s) > 1e-6 * dt_ms * 1e-3) {
      throw InputError(line + ": time " + rom::format_number(table(k, 1)) +
                       " s breaks the uniform step of " + rom::format_number(dt_ms) + " ms");
    }
  }
  return dt_ms;
}

std::string two_digits(int number) { return (number < 10 ? "0" : "") + std::to_string(number); }

}  // namespace

int import_seed_command(const Args& args) {
  Options options("import-seed", "SRC DST",
                  "Converts the study's published files SRC/Sequence_NN.dat (Barbulescu et al.\n"
                  "2023) into a dataset directory DST (manifest.json + one CSV per sequence).\n"
                  "The published train/valid/test split is applied by sequence number; a\n"
                  "sequence whose file is absent is simply absent. Voltages stay in V as\n"
                  "published; currents are nA; time becomes t_ms.",
                  {}, {"SRC", "DST"});
  if (!options.parse(args)) {
    std::cout << options.help();
    return 0;
  }
  const fs::path source = options.positional()[0];
  const fs::path destination = options.positional()[1];

  rom::Dataset dataset;
  for (const char* name : kInputNames) dataset.inputs.push_back({name, "nA"});
  for (const char* name : kOutputNames) dataset.outputs.push_back({name, "V"});
  nlohmann::json source_files = nlohmann::json::array();
  for (const SeedFile& seed : find_seed_files(source)) {
    const Eigen::MatrixXd table = rom::read_whitespace_table(seed.path);
    if (table.cols() != kColumns) {
      throw InputError(
          seed.path.string() + ": " + std::to_string(table.cols()) +
          " columns, expected 10 (index, time, DB1 LUAL PVR VB1, PLML PLMR AVBL AVBR)");
    }
    const double dt_ms = time_step_ms(table, seed.path);
    if (dataset.sequences.empty()) {
      dataset.dt_ms = dt_ms;
      dataset.n_steps = static_cast<int>(table.rows());
    } else if (dt_ms != dataset.dt_ms || table.rows() != dataset.n_steps) {
      throw InputError(seed.path.string() + ": " + std::to_string(table.rows()) + " rows at " +
                       rom::format_number(dt_ms) + " ms, the first file has " +
                       std::to_string(dataset.n_steps) + " rows at " +
                       rom::format_number(dataset.dt_ms) + " ms");
    }
    rom::DatasetSequence sequence;
    sequence.id = "seq_" + two_digits(seed.number);
    sequence.file = sequence.id + ".csv";
    sequence.split = published_split().at(seed.number);
    sequence.outputs = table.middleCols(2, 4);
    sequence.inputs = table.middleCols(6, 4);
    source_files.push_back({{"sequence", sequence.id},
                            {"file", seed.path.filename().string()},
                            {"sha256", rom::sha256_of_file(seed.path)}});
    dataset.sequences.push_back(std::move(sequence));
  }
  dataset.provenance = {
      {"generator", "neurorom import-seed"},
      {"source", "Barbulescu et al., Sci Rep 13, 467 (2023): published FCM sequences"},
      {"source_dir", fs::absolute(source).lexically_normal().string()},
      {"source_files", source_files},
      {"conversion", "time s -> t_ms; voltages kept in V; currents in nA; published split"},
      {"neurorom_version", rom::program_version()},
      {"git_commit", rom::git_commit()}};
  rom::write_dataset(destination, dataset);

  std::map<std::string, int> counts;
  for (const auto& sequence : dataset.sequences) ++counts[sequence.split];
  std::cout << "wrote " << destination.string() << ": " << dataset.sequences.size()
            << " sequences (train " << counts["train"] << ", valid " << counts["valid"] << ", test "
            << counts["test"] << ") x " << dataset.n_steps << " steps at dt "
            << rom::format_number(dataset.dt_ms) << " ms\n";
  return 0;
}

}  // namespace cli
