// Input saliency of a trained model: how strongly each output, summed over a
// sequence, depends on each input, by backpropagation through time.
//
// For output o and input i of one sequence of T steps (physical units),
//   G_oi(t) = d( sum_s y_o(s) ) / d x_i(t)
// and the saliency integrates it over time. Two summaries per (o, i):
//   gain     = (1/T) sum_t G_oi(t): the mean shift of y_o when x_i is offset
//              by a constant (output unit per input unit, e.g. mV/nA);
//   strength = (1/T) sum_t |G_oi(t)|: the same without cancellations.
#pragma once

#include <Eigen/Dense>

#include "rom/trained_model.hpp"

namespace rom {

struct Saliency {
  Eigen::MatrixXd gain;      // n_outputs x n_inputs
  Eigen::MatrixXd strength;  // n_outputs x n_inputs
};

// G_o(t, i) for one output: T x n_inputs, physical units (standardisation
// undone), from a zero initial state. X is T x n_inputs, physical.
Eigen::MatrixXd output_sum_input_gradient(const TrainedModel& model, const Eigen::MatrixXd& X,
                                          int output);

// Both summaries for every output of one sequence.
Saliency sequence_saliency(const TrainedModel& model, const Eigen::MatrixXd& X);

}  // namespace rom
