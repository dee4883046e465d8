#include "rom/cells/rnn_cell.hpp"

#include <cmath>

#include "rom/kernels.hpp"

namespace rom {

namespace {
enum Block { W, U, B };
}

RnnCell::RnnCell(int n_inputs, int hidden) : RecurrentCell(n_inputs, hidden) {
  shapes_ = {{"W", hidden, n_inputs, BlockRole::InputWeights},
             {"U", hidden, hidden, BlockRole::RecurrentWeights},
             {"b", hidden, 1, BlockRole::Bias}};
}

void RnnCell::forward(const double* const* p, const double* x, const double* h_prev, const double*,
                      double* h, double*, double* cache) const {
  const int H = hidden(), n = n_inputs();
  double* a = cache;
  kernels::copy(H, p[B], a);
  kernels::add_matvec(H, n, p[W], x, a);
  kernels::add_matvec(H, H, p[U], h_prev, a);
  for (int i = 0; i < H; ++i) h[i] = std::tanh(a[i]);
}

std::vector<WeightGradient> RnnCell::weight_gradients() const {
  return {{W, 0, WeightGradient::Right::Input, 0}, {U, 0, WeightGradient::Right::PreviousState, 0}};
}

void RnnCell::backward(const double* const* p, const double* x, const double* h_prev, const double*,
                       const double* h, const double*, const double*, const double* dh,
                       const double*, double* const* g, double* dh_prev, double*,
                       double* work) const {
  const int H = hidden(), n = n_inputs();
  double* da = work;  // gradient of the pre-activation
  for (int i = 0; i < H; ++i) da[i] = dh[i] * (1.0 - h[i] * h[i]);
  kernels::add_outer(H, n, da, x, g[W]);
  kernels::add_outer(H, H, da, h_prev, g[U]);
  kernels::add(H, da, g[B]);
  kernels::fill(H, 0.0, dh_prev);
  kernels::add_matvec_transposed(H, H, p[U], da, dh_prev);
}

}  // namespace rom
