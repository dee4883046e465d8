// Loss and exact gradient of one sequence by backpropagation through time,
// on the packed parameter vector (SequenceModel::packed_parameters() layout).
// The loss of a sequence is its sum of squared errors (SSE) over steps and
// outputs; the trainer scales it to the batch's mean squared error.
#pragma once

#include <Eigen/Dense>
#include <vector>

#include "rom/sequence_model.hpp"

namespace rom {

// A sequence laid out for the inner loops: column t of x (n_inputs x T) and
// of y (n_outputs x T) is time step t, contiguous in memory.
struct ColumnSequence {
  Eigen::MatrixXd x;
  Eigen::MatrixXd y;
  int steps() const { return static_cast<int>(x.cols()); }
};

// Buffers of one thread, grown on demand and reused across sequences.
struct BpttWorkspace {
  std::vector<double> h, c, cache, dy, y, dh, dc, dh_carry, dc_carry, work;
};

// SSE of the model's predictions from a zero state; forward pass only.
double sequence_sse(const SequenceModel& model, const double* theta, const ColumnSequence& seq,
                    BpttWorkspace& ws);

// Returns the SSE and adds scale * d(SSE)/d(theta) into grad. With
// truncation k > 0 the gradient does not flow from step t into the state of
// step t - 1 when t is a multiple of k (non-overlapping windows of k steps;
// the forward state still runs through the whole sequence).
double sequence_sse_gradient(const SequenceModel& model, const double* theta,
                             const ColumnSequence& seq, double scale, int truncation,
                             BpttWorkspace& ws, double* grad);

}  // namespace rom
