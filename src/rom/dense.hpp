// Per-time-step linear readout from the recurrent state to the outputs:
//   y_t = W h_t + b
// Blocks, in order: "dense.W" (outputs x hidden), "dense.b" (outputs x 1).
// Like the cells it owns no parameters; it gets pointers to its blocks.
#pragma once

#include <vector>

#include "rom/cells/recurrent_cell.hpp"

namespace rom {

class DenseLayer {
 public:
  DenseLayer(int n_inputs, int n_outputs);

  int n_inputs() const { return n_inputs_; }
  int n_outputs() const { return n_outputs_; }
  const std::vector<BlockShape>& block_shapes() const { return shapes_; }

  // y = W h + b
  void forward(const double* const* p, const double* h, double* y) const;
  // Given dy = dL/dy: adds dL/dW, dL/db into g and W^T dy into dh. A null
  // g[0] skips dL/dW (the trainer forms it once per sequence).
  void backward(const double* const* p, const double* h, const double* dy, double* const* g,
                double* dh) const;

 private:
  int n_inputs_;
  int n_outputs_;
  std::vector<BlockShape> shapes_;
};

}  // namespace rom
