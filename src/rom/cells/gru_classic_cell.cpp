#include "rom/cells/gru_classic_cell.hpp"

#include <cmath>

#include "rom/kernels.hpp"

namespace rom {

namespace {
enum Block { Wz, Wr, Wh, Uz, Ur, Uh, Bz, Br, Bh };
}

GruClassicCell::GruClassicCell(int n_inputs, int hidden) : RecurrentCell(n_inputs, hidden) {
  const int H = hidden, n = n_inputs;
  shapes_ = {{"W_z", H, n, BlockRole::InputWeights},
             {"W_r", H, n, BlockRole::InputWeights},
             {"W_h", H, n, BlockRole::InputWeights},
             {"U_z", H, H, BlockRole::RecurrentWeights},
             {"U_r", H, H, BlockRole::RecurrentWeights},
             {"U_h", H, H, BlockRole::RecurrentWeights},
             {"b_z", H, 1, BlockRole::Bias},
             {"b_r", H, 1, BlockRole::Bias},
             {"b_h", H, 1, BlockRole::Bias}};
}

void GruClassicCell::forward(const double* const* p, const double* x, const double* h_prev,
                             const double*, double* h, double*, double* cache) const {
  const int H = hidden(), n = n_inputs();
  double* z = cache;
  double* r = cache + H;
  double* hh = cache + 2 * H;
  double* rh = cache + 3 * H;
  kernels::copy(H, p[Bz], z);
  kernels::add_matvec(H, n, p[Wz], x, z);
  kernels::add_matvec(H, H, p[Uz], h_prev, z);
  kernels::copy(H, p[Br], r);
  kernels::add_matvec(H, n, p[Wr], x, r);
  kernels::add_matvec(H, H, p[Ur], h_prev, r);
  for (int i = 0; i < H; ++i) {
    z[i] = kernels::sigmoid(z[i]);
    r[i] = kernels::sigmoid(r[i]);
    rh[i] = r[i] * h_prev[i];
  }
  kernels::copy(H, p[Bh], hh);
  kernels::add_matvec(H, n, p[Wh], x, hh);
  kernels::add_matvec(H, H, p[Uh], rh, hh);
  // Elementwise from here on, so h may alias h_prev.
  for (int i = 0; i < H; ++i) {
    hh[i] = std::tanh(hh[i]);
    h[i] = z[i] * h_prev[i] + (1.0 - z[i]) * hh[i];
  }
}

void GruClassicCell::backward(const double* const* p, const double* x, const double* h_prev,
                              const double*, const double*, const double*, const double* cache,
                              const double* dh, const double*, double* const* g, double* dh_prev,
                              double*, double* work) const {
  const int H = hidden(), n = n_inputs();
  const double* z = cache;
  const double* r = cache + H;
  const double* hh = cache + 2 * H;
  const double* rh = cache + 3 * H;
  double* da_z = work;
  double* da_r = work + H;
  double* da_h = work + 2 * H;
  double* d_rh = work + 3 * H;
  for (int i = 0; i < H; ++i) {
    da_z[i] = dh[i] * (h_prev[i] - hh[i]) * z[i] * (1.0 - z[i]);
    da_h[i] = dh[i] * (1.0 - z[i]) * (1.0 - hh[i] * hh[i]);
  }
  kernels::fill(H, 0.0, d_rh);
  kernels::add_matvec_transposed(H, H, p[Uh], da_h, d_rh);
  for (int i = 0; i < H; ++i) {
    da_r[i] = d_rh[i] * h_prev[i] * r[i] * (1.0 - r[i]);
    dh_prev[i] = dh[i] * z[i] + d_rh[i] * r[i];
  }
  kernels::add_matvec_transposed(H, H, p[Uz], da_z, dh_prev);
  kernels::add_matvec_transposed(H, H, p[Ur], da_r, dh_prev);

  kernels::add_outer(H, n, da_z, x, g[Wz]);
  kernels::add_outer(H, n, da_r, x, g[Wr]);
  kernels::add_outer(H, n, da_h, x, g[Wh]);
  kernels::add_outer(H, H, da_z, h_prev, g[Uz]);
  kernels::add_outer(H, H, da_r, h_prev, g[Ur]);
  kernels::add_outer(H, H, da_h, rh, g[Uh]);
  kernels::add(H, da_z, g[Bz]);
  kernels::add(H, da_r, g[Br]);
  kernels::add(H, da_h, g[Bh]);
}

}  // namespace rom
