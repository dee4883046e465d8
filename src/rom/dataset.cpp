#include "rom/dataset.hpp"

#include <cmath>
#include <set>

#include "rom/atomic_file.hpp"
#include "rom/csv.hpp"
#include "rom/errors.hpp"
#include "rom/json_util.hpp"
#include "rom/provenance.hpp"
#include "rom/read_file.hpp"

namespace rom {
namespace {

namespace fs = std::filesystem;

const char* const kManifestName = "manifest.json";
const char* const kFormatName = "neurorom-dataset";
// Sample times may differ from k * dt_ms by this fraction of dt (decimal text
// of times such as 0.1 * k is not exact).
constexpr double kTimeTolerance = 1e-6;

bool is_safe_relative_file(const std::string& file) {
  const fs::path path(file);
  if (file.empty() || path.is_absolute()) return false;
  for (const auto& part : path) {
    if (part == "..") return false;
  }
  return true;
}

// Checks the header against the manifest's channels, the row count and the
// time column, and splits the values into inputs and outputs.
void fill_sequence(const CsvTable& table, const fs::path& file, const Dataset& dataset,
                   DatasetSequence& sequence) {
  const std::string where = file.string();
  std::vector<std::string> expected = {"t_ms"};
  for (const auto& c : dataset.inputs) expected.push_back(c.name);
  for (const auto& c : dataset.outputs) expected.push_back(c.name);
  const std::set<std::string> present(table.header.begin(), table.header.end());
  for (const std::string& name : expected) {
    if (!present.count(name)) {
      throw InputError(where + ": line 1: channel " + name +
                       " of the manifest is missing from the header");
    }
  }
  if (table.header != expected) {
    for (std::size_t c = 0; c < table.header.size(); ++c) {
      if (c >= expected.size()) {
        throw InputError(where + ": line 1: column " + table.header[c] +
                         " is not a channel of the manifest");
      }
      if (table.header[c] != expected[c]) {
        throw InputError(where + ": line 1: column " + std::to_string(c + 1) + " is " +
                         table.header[c] + ", the manifest's order needs " + expected[c]);
      }
    }
  }
  const Eigen::Index rows = table.values.rows();
  if (rows != dataset.n_steps) {
    throw InputError(where + ": " + std::to_string(rows) + " rows, the manifest says n_steps " +
                     std::to_string(dataset.n_steps));
  }
  const double dt = dataset.dt_ms;
  const double tolerance = kTimeTolerance * dt;
  for (Eigen::Index k = 0; k < rows; ++k) {
    const double t = table.values(k, 0);
    const std::string line = "line " + std::to_string(k + 2);
    if (std::abs(t - static_cast<double>(k) * dt) <= tolerance) continue;
    if (k == 0) {
      throw InputError(where + ": " + line + ": t_ms " + format_number(t) +
                       ", the first sample must be at t_ms 0");
    }
    const double step = t - table.values(k - 1, 0);
    if (k == 1) {
      throw InputError(where + ": " + line + ": time step " + format_number(step) +
                       " ms differs from the manifest's dt_ms " + format_number(dt));
    }
    throw InputError(where + ": " + line + ": non-uniform time step: t_ms " + format_number(t) +
                     " should be " + format_number(static_cast<double>(k) * dt) + " (step " +
                     format_number(step) + " ms, dt_ms " + format_number(dt) + ")");
  }
  const Eigen::Index n_in = static_cast<Eigen::Index>(dataset.inputs.size());
  const Eigen::Index n_out = static_cast<Eigen::Index>(dataset.outputs.size());
  sequence.inputs = table.values.middleCols(1, n_in);
  sequence.outputs = table.values.middleCols(1 + n_in, n_out);
}

}  // namespace

Dataset read_dataset(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw InputError(dir.string() + ": not a dataset directory");
  const fs::path manifest_file = dir / kManifestName;
  if (!fs::exists(manifest_file)) throw InputError(manifest_file.string() + ": missing");
  const std::string manifest_text = read_file(manifest_file);
  const nlohmann::json manifest = parse_json_text(manifest_text, manifest_file);
  const JsonField root(manifest, manifest_file.string());

  require_format(root, kFormatName, kDatasetFormatVersion);
  Dataset dataset;
  dataset.manifest_sha256 = sha256_hex(manifest_text);
  dataset.dt_ms = root["dt_ms"].number();
  if (dataset.dt_ms <= 0) root["dt_ms"].fail("must be positive");
  dataset.n_steps = root["n_steps"].integer();
  if (dataset.n_steps < 1) root["n_steps"].fail("must be at least 1");
  const double duration = root["duration_ms"].number();
  const double expected_duration = dataset.n_steps * dataset.dt_ms;
  if (std::abs(duration - expected_duration) > kTimeTolerance * dataset.dt_ms) {
    root["duration_ms"].fail(format_number(duration) +
                             " is not n_steps * dt_ms = " + format_number(expected_duration));
  }
  dataset.inputs = channels_from_json(root["inputs"]);
  dataset.outputs = channels_from_json(root["outputs"]);
  for (const Channel& output : dataset.outputs) {
    if (find_channel(dataset.inputs, output.name) >= 0) {
      root["outputs"].fail("channel " + output.name + " is also an input");
    }
  }
  if (find_channel(dataset.inputs, "t_ms") >= 0 || find_channel(dataset.outputs, "t_ms") >= 0) {
    root.fail("t_ms is the time column and cannot be a channel");
  }
  const JsonField provenance = root["provenance"];
  if (!provenance.raw().is_object()) provenance.fail("expected an object");
  dataset.provenance = provenance.raw();

  const JsonField list = root["sequences"];
  if (list.size() == 0) list.fail("the dataset has no sequences");
  std::set<std::string> ids, files;
  std::string file_hashes;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const JsonField entry = list[i];
    DatasetSequence sequence;
    sequence.id = entry["id"].string();
    sequence.file = entry["file"].string();
    sequence.split = entry["split"].string();
    if (sequence.id.empty()) entry["id"].fail("must not be empty");
    if (!ids.insert(sequence.id).second) entry["id"].fail("duplicate id " + sequence.id);
    if (!is_safe_relative_file(sequence.file)) {
      entry["file"].fail("must be a relative path inside the dataset directory");
    }
    if (!files.insert(sequence.file).second) entry["file"].fail("duplicate file " + sequence.file);
    if (sequence.split != "train" && sequence.split != "valid" && sequence.split != "test") {
      entry["split"].fail("must be train, valid or test, not " + sequence.split);
    }
    if (entry.has("stimulus")) sequence.stimulus = entry["stimulus"].raw();
    const fs::path file = dir / sequence.file;
    if (!fs::exists(file)) throw InputError(file.string() + ": missing (listed in manifest.json)");
    const std::string text = read_file(file);
    file_hashes += sha256_hex(text) + "  " + sequence.file + "\n";
    fill_sequence(parse_csv(text, file), file, dataset, sequence);
    dataset.sequences.push_back(std::move(sequence));
  }
  dataset.data_sha256 = sha256_hex(file_hashes);
  return dataset;
}

void write_dataset(const fs::path& dir, const Dataset& dataset) {
  std::error_code error;
  // A dataset may replace an earlier one, never mix into a folder of other files.
  if (fs::is_directory(dir, error) && !fs::is_empty(dir, error) &&
      !fs::exists(dir / "manifest.json", error)) {
    throw InputError(dir.string() +
                     ": folder is not empty and holds no dataset (manifest.json); "
                     "choose a new or empty folder");
  }
  fs::create_directories(dir, error);
  if (error) throw InputError(dir.string() + ": cannot create directory (" + error.message() + ")");
  std::vector<std::string> header = {"t_ms"};
  for (const auto& c : dataset.inputs) header.push_back(c.name);
  for (const auto& c : dataset.outputs) header.push_back(c.name);

  nlohmann::ordered_json sequences = nlohmann::ordered_json::array();
  for (const DatasetSequence& sequence : dataset.sequences) {
    const Eigen::Index rows = sequence.inputs.rows();
    if (rows != dataset.n_steps || sequence.outputs.rows() != rows ||
        sequence.inputs.cols() != static_cast<Eigen::Index>(dataset.inputs.size()) ||
        sequence.outputs.cols() != static_cast<Eigen::Index>(dataset.outputs.size())) {
      throw std::logic_error("write_dataset: sequence " + sequence.id +
                             " does not match the dataset's sizes");
    }
    Eigen::MatrixXd table(rows, header.size());
    for (Eigen::Index k = 0; k < rows; ++k) table(k, 0) = static_cast<double>(k) * dataset.dt_ms;
    table.middleCols(1, sequence.inputs.cols()) = sequence.inputs;
    table.rightCols(sequence.outputs.cols()) = sequence.outputs;
    write_csv(dir / sequence.file, header, table);

    nlohmann::ordered_json entry = {
        {"id", sequence.id}, {"file", sequence.file}, {"split", sequence.split}};
    if (!sequence.stimulus.is_null()) entry["stimulus"] = to_ordered(sequence.stimulus);
    sequences.push_back(std::move(entry));
  }
  nlohmann::ordered_json manifest;
  manifest["format"] = kFormatName;
  manifest["format_version"] = kDatasetFormatVersion;
  manifest["dt_ms"] = dataset.dt_ms;
  manifest["n_steps"] = dataset.n_steps;
  manifest["duration_ms"] = dataset.n_steps * dataset.dt_ms;
  manifest["inputs"] = channels_to_json(dataset.inputs);
  manifest["outputs"] = channels_to_json(dataset.outputs);
  manifest["sequences"] = std::move(sequences);
  manifest["provenance"] = to_ordered(dataset.provenance);
  write_json_file(dir / kManifestName, manifest);
}

std::vector<const DatasetSequence*> sequences_in_split(const Dataset& dataset,
                                                       const std::string& split,
                                                       const std::string& label) {
  if (split != "train" && split != "valid" && split != "test" && split != "all") {
    throw InputError("split " + split + ": must be train, valid, test or all");
  }
  std::vector<const DatasetSequence*> selected;
  for (const DatasetSequence& sequence : dataset.sequences) {
    if (split == "all" || sequence.split == split) selected.push_back(&sequence);
  }
  if (selected.empty()) throw InputError(label + ": no sequences in split " + split);
  return selected;
}

std::vector<Channel> channels_from_json(const JsonField& list) {
  std::vector<Channel> channels;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const JsonField entry = list[i];
    Channel channel{entry["name"].string(), entry["unit"].string()};
    if (channel.name.empty() || channel.name.find_first_of(", \t\r\n") != std::string::npos) {
      entry["name"].fail("a channel name must be non-empty, without commas or spaces");
    }
    if (channel.unit.empty()) entry["unit"].fail("a unit is required");
    if (!seen.insert(channel.name).second) entry["name"].fail("duplicate channel " + channel.name);
    channels.push_back(channel);
  }
  if (channels.empty()) list.fail("at least one channel is required");
  return channels;
}

nlohmann::ordered_json channels_to_json(const std::vector<Channel>& channels) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Channel& c : channels) list.push_back({{"name", c.name}, {"unit", c.unit}});
  return list;
}

int find_channel(const std::vector<Channel>& channels, const std::string& name) {
  for (std::size_t i = 0; i < channels.size(); ++i) {
    if (channels[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace rom
