#include "rom/cells/gru_classic_cell.hpp"

#include <cmath>
#include <cstddef>

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

namespace {

// The forward step with the hidden size as a compile-time constant HC (0: the
// run-time H), so that the common small sizes unroll completely. Each
// pre-activation is the same sum in the same order as one matvec per block
// would compute (b, then the input columns, then the recurrent columns, each
// in ascending order), so fusing the gates' loops changes no bit.
template <int HC>
void gru_classic_forward(int H_runtime, int n, const double* const* p, const double* x,
                         const double* h_prev, double* h, double* cache) {
  const int H = HC > 0 ? HC : H_runtime;
  double* __restrict z = cache;
  double* __restrict r = cache + H;
  double* __restrict hh = cache + 2 * H;
  double* __restrict rh = cache + 3 * H;
  const double* __restrict b_z = p[Bz];
  const double* __restrict b_r = p[Br];
  const double* __restrict b_h = p[Bh];
  for (int i = 0; i < H; ++i) {
    z[i] = b_z[i];
    r[i] = b_r[i];
    hh[i] = b_h[i];
  }
  // The input terms of all three gates in one pass over x.
  for (int j = 0; j < n; ++j) {
    const double xj = x[j];
    const double* __restrict w_z = p[Wz] + static_cast<std::ptrdiff_t>(j) * H;
    const double* __restrict w_r = p[Wr] + static_cast<std::ptrdiff_t>(j) * H;
    const double* __restrict w_h = p[Wh] + static_cast<std::ptrdiff_t>(j) * H;
    for (int i = 0; i < H; ++i) {
      z[i] += w_z[i] * xj;
      r[i] += w_r[i] * xj;
      hh[i] += w_h[i] * xj;
    }
  }
  // The recurrent terms of the update and reset gates in one pass over h.
  for (int j = 0; j < H; ++j) {
    const double hj = h_prev[j];
    const double* __restrict u_z = p[Uz] + static_cast<std::ptrdiff_t>(j) * H;
    const double* __restrict u_r = p[Ur] + static_cast<std::ptrdiff_t>(j) * H;
    for (int i = 0; i < H; ++i) {
      z[i] += u_z[i] * hj;
      r[i] += u_r[i] * hj;
    }
  }
  for (int i = 0; i < H; ++i) {
    z[i] = kernels::sigmoid(z[i]);
    r[i] = kernels::sigmoid(r[i]);
    rh[i] = r[i] * h_prev[i];
  }
  for (int j = 0; j < H; ++j) {
    const double rhj = rh[j];
    const double* __restrict u_h = p[Uh] + static_cast<std::ptrdiff_t>(j) * H;
    for (int i = 0; i < H; ++i) hh[i] += u_h[i] * rhj;
  }
  // Elementwise from here on, so h may alias h_prev.
  for (int i = 0; i < H; ++i) {
    hh[i] = std::tanh(hh[i]);
    h[i] = z[i] * h_prev[i] + (1.0 - z[i]) * hh[i];
  }
}

// The same step for larger H, one matrix-vector product per block (the
// kernels switch to Eigen's vectorised GEMV at these sizes).
void gru_classic_forward_blocks(int H, int n, const double* const* p, const double* x,
                                const double* h_prev, double* h, double* cache) {
  double* z = cache;
  double* r = cache + H;
  double* hh = cache + 2 * H;
  double* rh = cache + 3 * H;
  kernels::copy(H, p[Bz], z);
  kernels::copy(H, p[Br], r);
  kernels::copy(H, p[Bh], hh);
  kernels::add_matvec(H, n, p[Wz], x, z);
  kernels::add_matvec(H, n, p[Wr], x, r);
  kernels::add_matvec(H, n, p[Wh], x, hh);
  kernels::add_matvec(H, H, p[Uz], h_prev, z);
  kernels::add_matvec(H, H, p[Ur], h_prev, r);
  for (int i = 0; i < H; ++i) {
    z[i] = kernels::sigmoid(z[i]);
    r[i] = kernels::sigmoid(r[i]);
    rh[i] = r[i] * h_prev[i];
  }
  kernels::add_matvec(H, H, p[Uh], rh, hh);
  for (int i = 0; i < H; ++i) {  // elementwise, so h may alias h_prev
    hh[i] = std::tanh(hh[i]);
    h[i] = z[i] * h_prev[i] + (1.0 - z[i]) * hh[i];
  }
}

}  // namespace

void GruClassicCell::forward(const double* const* p, const double* x, const double* h_prev,
                             const double*, double* h, double*, double* cache) const {
  const int H = hidden(), n = n_inputs();
  switch (H) {
    case 4:
      gru_classic_forward<4>(H, n, p, x, h_prev, h, cache);
      break;
    case 8:
      gru_classic_forward<8>(H, n, p, x, h_prev, h, cache);
      break;
    default:
      if (H * H >= kernels::kEigenSize) {
        gru_classic_forward_blocks(H, n, p, x, h_prev, h, cache);
      } else {
        gru_classic_forward<0>(H, n, p, x, h_prev, h, cache);
      }
  }
}

std::vector<WeightGradient> GruClassicCell::weight_gradients() const {
  const int H = hidden();
  using Right = WeightGradient::Right;
  return {{Wz, 0, Right::Input, 0},         {Wr, H, Right::Input, 0},
          {Wh, 2 * H, Right::Input, 0},     {Uz, 0, Right::PreviousState, 0},
          {Ur, H, Right::PreviousState, 0}, {Uh, 2 * H, Right::Cache, 3 * H}};  // r * h_(t-1)
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
