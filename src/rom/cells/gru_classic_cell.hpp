// GRU of Cho et al. (2014), Keras reset_after=False: one bias per gate, the
// reset gate applied to h before the recurrent product.
//   z_t  = sigmoid(W_z x_t + U_z h_{t-1} + b_z)           update gate
//   r_t  = sigmoid(W_r x_t + U_r h_{t-1} + b_r)           reset gate
//   hh_t = tanh(W_h x_t + U_h (r_t * h_{t-1}) + b_h)      candidate
//   h_t  = z_t * h_{t-1} + (1 - z_t) * hh_t
// Blocks, in order: W_z, W_r, W_h (hidden x inputs), U_z, U_r, U_h
// (hidden x hidden), b_z, b_r, b_h (hidden x 1). 3 h (n + h + 1) parameters.
#pragma once

#include "rom/cells/recurrent_cell.hpp"

namespace rom {

class GruClassicCell : public RecurrentCell {
 public:
  GruClassicCell(int n_inputs, int hidden);

  const std::vector<BlockShape>& block_shapes() const override { return shapes_; }
  // z, r, hh, r * h_{t-1}
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
