// LSTM (Hochreiter & Schmidhuber 1997, with forget gate; Keras' LSTM with
// sigmoid gates and one bias per gate):
//   i_t = sigmoid(W_i x_t + U_i h_{t-1} + b_i)     input gate
//   f_t = sigmoid(W_f x_t + U_f h_{t-1} + b_f)     forget gate
//   g_t = tanh(W_c x_t + U_c h_{t-1} + b_c)        cell candidate
//   o_t = sigmoid(W_o x_t + U_o h_{t-1} + b_o)     output gate
//   c_t = f_t * c_{t-1} + i_t * g_t
//   h_t = o_t * tanh(c_t)
// Blocks, in order: W_i, W_f, W_c, W_o (hidden x inputs), U_i, U_f, U_c, U_o
// (hidden x hidden), b_i, b_f, b_c, b_o (hidden x 1). 4 h (n + h + 1)
// parameters.
#pragma once

#include "rom/cells/recurrent_cell.hpp"

namespace rom {

class LstmCell : public RecurrentCell {
 public:
  LstmCell(int n_inputs, int hidden);

  const std::vector<BlockShape>& block_shapes() const override { return shapes_; }
  bool has_cell_state() const override { return true; }
  // i, f, g, o, tanh(c_t)
  int cache_size() const override { return 5 * hidden(); }
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
