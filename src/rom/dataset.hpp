// A dataset on disk: a directory with manifest.json and one CSV per sequence
// (docs/formats.md is the specification). Reading is strict and every error
// names the file, line, column or field at fault.
// Units: time in ms; every channel carries its unit from the manifest (nA and
// mV for data from our high-fidelity model, V for the study's imported outputs).
#pragma once

#include <Eigen/Dense>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rom/trained_model.hpp"

namespace rom {

class JsonField;

constexpr int kDatasetFormatVersion = 1;

struct DatasetSequence {
  std::string id;
  std::string file;         // relative to the dataset directory
  std::string split;        // "train", "valid" or "test"
  Eigen::MatrixXd inputs;   // n_steps x inputs, row k at t = k * dt_ms
  Eigen::MatrixXd outputs;  // n_steps x outputs
  nlohmann::json stimulus;  // optional description of the inputs; null if absent
};

struct Dataset {
  double dt_ms = 0.0;
  int n_steps = 0;
  std::vector<Channel> inputs;
  std::vector<Channel> outputs;
  std::vector<DatasetSequence> sequences;
  nlohmann::json provenance = nlohmann::json::object();
  // Filled by read_dataset: hashes of manifest.json and of all sequence files
  // (SHA-256 of the `sha256sum`-style lines "<hash>  <file>\n" in manifest order).
  std::string manifest_sha256;
  std::string data_sha256;
};

Dataset read_dataset(const std::filesystem::path& dir);

// Writes every CSV, then manifest.json (each atomically), so a reader never
// sees a manifest naming files that are not there yet. Creates `dir` if needed.
void write_dataset(const std::filesystem::path& dir, const Dataset& dataset);

// The sequences of one split ("train", "valid", "test", or "all"), in manifest
// order. InputError if there are none; `label` names the dataset in the message.
std::vector<const DatasetSequence*> sequences_in_split(const Dataset& dataset,
                                                       const std::string& split,
                                                       const std::string& label);

// A JSON array of {"name", "unit"} objects: names non-empty, unique, without
// commas or spaces; units non-empty; at least one channel.
std::vector<Channel> channels_from_json(const JsonField& list);
nlohmann::ordered_json channels_to_json(const std::vector<Channel>& channels);

// Position of the channel called `name`, or -1.
int find_channel(const std::vector<Channel>& channels, const std::string& name);

}  // namespace rom
