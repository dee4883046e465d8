// Simple (Elman) RNN with tanh:
//   h_t = tanh(W x_t + U h_{t-1} + b)
// Blocks, in order: W (hidden x inputs), U (hidden x hidden), b (hidden x 1).
#pragma once

#include "rom/cells/recurrent_cell.hpp"

namespace rom {

class RnnCell : public RecurrentCell {
 public:
  RnnCell(int n_inputs, int hidden);

  const std::vector<BlockShape>& block_shapes() const override { return shapes_; }
  // The pre-activation a = W x + U h + b (lets h alias h_prev).
  int cache_size() const override { return hidden(); }
  std::vector<WeightGradient> weight_gradients() const override;
  int work_size() const override { return hidden(); }

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
