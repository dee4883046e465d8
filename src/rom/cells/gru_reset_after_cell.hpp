// GRU with the reset gate applied after the recurrent product (PyTorch's GRU,
// Keras' default reset_after=True): two biases per gate.
//   z_t  = sigmoid(W_z x_t + b_z + U_z h_{t-1} + b_hz)          update gate
//   r_t  = sigmoid(W_r x_t + b_r + U_r h_{t-1} + b_hr)          reset gate
//   hh_t = tanh(W_h x_t + b_h + r_t * (U_h h_{t-1} + b_hh))     candidate
//   h_t  = z_t * h_{t-1} + (1 - z_t) * hh_t
// Blocks, in order: W_z, W_r, W_h (hidden x inputs), U_z, U_r, U_h
// (hidden x hidden), b_z, b_r, b_h, b_hz, b_hr, b_hh (hidden x 1).
// 3 h (n + h + 2) parameters.
#pragma once

#include "rom/cells/recurrent_cell.hpp"

namespace rom {

class GruResetAfterCell : public RecurrentCell {
 public:
  GruResetAfterCell(int n_inputs, int hidden);

  const std::vector<BlockShape>& block_shapes() const override { return shapes_; }
  // z, r, hh, U_h h_{t-1} + b_hh
  int cache_size() const override { return 4 * hidden(); }
  std::vector<WeightGradient> weight_gradients() const override;
  int work_size() const override { return 4 * hidden(); }

  void forward(const double* const* p, const double* x, const double* h_prev, const double* c_prev,
               double* h, double* c, double* cache) const override;
  void backward(const double* const* p, const double* x, const double* h_prev, const double* c_prev,
                const double* h, const double* c, const double* cache, const double* dh,
                const double* dc, double* const* g, double* dh_prev, double* dc_prev,
                double* work) const override;

 private:
  std::vector<BlockShape> shapes_;
};

}  // namespace rom
