// The weights file: one JSON document holding a TrainedModel, its provenance
// and a self-test (docs/formats.md is the specification). Loading checks every
// field and shape, refuses NaN/Inf, and re-runs the self-test.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "rom/trained_model.hpp"

namespace rom {

constexpr int kWeightsFormatVersion = 1;

// The document save_weights writes (including a fresh self-test).
nlohmann::ordered_json weights_to_json(const TrainedModel& model);
// Parses and checks a document; `file` names it in errors.
TrainedModel weights_from_json(const nlohmann::json& document, const std::string& file);

// Atomic write. InputError if the model holds non-finite numbers.
void save_weights(const std::filesystem::path& file, const TrainedModel& model);
// InputError naming the file and field for every defect.
TrainedModel load_weights(const std::filesystem::path& file);

// Meaning of a block's rows and columns, e.g. "hidden x inputs".
std::string block_layout(const std::string& block_name);

}  // namespace rom
