// A sequence model together with everything needed to use it on physical data:
// channel names and units, the time step it was trained at, the optional
// per-channel standardisation, and provenance. This is what a weights file holds.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rom/sequence_model.hpp"

namespace rom {

struct Channel {
  std::string name;  // neuron name, e.g. "PLML"
  std::string unit;  // "nA", "mV", "V", ...
};

// x_model = (x - mean) / std per channel; disabled means identity.
struct Standardisation {
  bool enabled = false;
  Eigen::VectorXd input_mean, input_std;
  Eigen::VectorXd output_mean, output_std;
};

struct TrainedModel {
  SequenceModel model;
  std::vector<Channel> inputs;
  std::vector<Channel> outputs;
  double dt_ms = 0.0;
  Standardisation standardisation;
  nlohmann::json provenance = nlohmann::json::object();

  // The model's state with room for the standardised input at the end of
  // scratch; step() needs a state made here (not by model.make_state()).
  StreamState make_state() const;
  void reset(StreamState& state) const { model.reset(state); }
  // One step in physical units; applies and undoes the standardisation.
  // No allocation.
  void step(StreamState& state, const double* x, double* y) const;
  // T x n_inputs physical -> T x n_outputs physical, from a zero state.
  Eigen::MatrixXd predict(const Eigen::MatrixXd& X) const;
};

}  // namespace rom
