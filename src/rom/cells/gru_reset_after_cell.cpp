#include "rom/cells/gru_reset_after_cell.hpp"

#include <cmath>

#include "rom/kernels.hpp"

namespace rom {

namespace {
enum Block { Wz, Wr, Wh, Uz, Ur, Uh, Bz, Br, Bh, Bhz, Bhr, Bhh };
}

GruResetAfterCell::GruResetAfterCell(int n_inputs, int hidden) : RecurrentCell(n_inputs, hidden) {
  const int H = hidden, n = n_inputs;
  shapes_ = {{"W_z", H, n, BlockRole::InputWeights},
             {"W_r", H, n, BlockRole::InputWeights},
             {"W_h", H, n, BlockRole::InputWeights},
             {"U_z", H, H, BlockRole::RecurrentWeights},
             {"U_r", H, H, BlockRole::RecurrentWeights},
             {"U_h", H, H, BlockRole::RecurrentWeights},
             {"b_z", H, 1, BlockRole::Bias},
             {"b_r", H, 1, BlockRole::Bias},
             {"b_h", H, 1, BlockRole::Bias},
             {"b_hz", H, 1, BlockRole::Bias},
             {"b_hr", H, 1, BlockRole::Bias},
             {"b_hh", H, 1, BlockRole::Bias}};
}

void GruResetAfterCell::forward(const double* const* p, const double* x, const double* h_prev,
                                const double*, double* h, double*, double* cache) const {
  const int H = hidden(), n = n_inputs();
  double* z = cache;
  double* r = cache + H;
  double* hh = cache + 2 * H;
  double* uh = cache + 3 * H;
  for (int i = 0; i < H; ++i) {
    z[i] = p[Bz][i] + p[Bhz][i];
    r[i] = p[Br][i] + p[Bhr][i];
  }
  kernels::add_matvec(H, n, p[Wz], x, z);
  kernels::add_matvec(H, H, p[Uz], h_prev, z);
  kernels::add_matvec(H, n, p[Wr], x, r);
  kernels::add_matvec(H, H, p[Ur], h_prev, r);
  kernels::copy(H, p[Bhh], uh);
  kernels::add_matvec(H, H, p[Uh], h_prev, uh);
  kernels::copy(H, p[Bh], hh);
  kernels::add_matvec(H, n, p[Wh], x, hh);
  // Elementwise from here on, so h may alias h_prev.
  for (int i = 0; i < H; ++i) {
    z[i] = kernels::sigmoid(z[i]);
    r[i] = kernels::sigmoid(r[i]);
    hh[i] = std::tanh(hh[i] + r[i] * uh[i]);
    h[i] = z[i] * h_prev[i] + (1.0 - z[i]) * hh[i];
  }
}

std::vector<WeightGradient> GruResetAfterCell::weight_gradients() const {
  const int H = hidden();
  using Right = WeightGradient::Right;
  return {{Wz, 0, Right::Input, 0},         {Wr, H, Right::Input, 0},
          {Wh, 2 * H, Right::Input, 0},     {Uz, 0, Right::PreviousState, 0},
          {Ur, H, Right::PreviousState, 0}, {Uh, 3 * H, Right::PreviousState, 0}};  // d_uh
}

void GruResetAfterCell::backward(const double* const* p, const double* x, const double* h_prev,
                                 const double*, const double*, const double*, const double* cache,
                                 const double* dh, const double*, double* const* g, double* dh_prev,
                                 double*, double* work) const {
  const int H = hidden(), n = n_inputs();
  const double* z = cache;
  const double* r = cache + H;
  const double* hh = cache + 2 * H;
  const double* uh = cache + 3 * H;
  double* da_z = work;
  double* da_r = work + H;
  double* da_h = work + 2 * H;
  double* d_uh = work + 3 * H;
  for (int i = 0; i < H; ++i) {
    da_z[i] = dh[i] * (h_prev[i] - hh[i]) * z[i] * (1.0 - z[i]);
    da_h[i] = dh[i] * (1.0 - z[i]) * (1.0 - hh[i] * hh[i]);
    da_r[i] = da_h[i] * uh[i] * r[i] * (1.0 - r[i]);
    d_uh[i] = da_h[i] * r[i];
    dh_prev[i] = dh[i] * z[i];
  }
  kernels::add_matvec_transposed(H, H, p[Uz], da_z, dh_prev);
  kernels::add_matvec_transposed(H, H, p[Ur], da_r, dh_prev);
  kernels::add_matvec_transposed(H, H, p[Uh], d_uh, dh_prev);

  kernels::add_outer(H, n, da_z, x, g[Wz]);
  kernels::add_outer(H, n, da_r, x, g[Wr]);
  kernels::add_outer(H, n, da_h, x, g[Wh]);
  kernels::add_outer(H, H, da_z, h_prev, g[Uz]);
  kernels::add_outer(H, H, da_r, h_prev, g[Ur]);
  kernels::add_outer(H, H, d_uh, h_prev, g[Uh]);
  kernels::add(H, da_z, g[Bz]);
  kernels::add(H, da_r, g[Br]);
  kernels::add(H, da_h, g[Bh]);
  kernels::add(H, da_z, g[Bhz]);
  kernels::add(H, da_r, g[Bhr]);
  kernels::add(H, d_uh, g[Bhh]);
}

}  // namespace rom
