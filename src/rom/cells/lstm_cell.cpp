#include "rom/cells/lstm_cell.hpp"

#include <cmath>

#include "rom/kernels.hpp"

namespace rom {

namespace {
// Gate k uses blocks W + k, U + k, B + k (k = 0 input, 1 forget, 2 cell, 3 output).
enum Block { W = 0, U = 4, B = 8 };
constexpr int kGates = 4;
}  // namespace

LstmCell::LstmCell(int n_inputs, int hidden) : RecurrentCell(n_inputs, hidden) {
  const int H = hidden, n = n_inputs;
  shapes_ = {{"W_i", H, n, BlockRole::InputWeights},
             {"W_f", H, n, BlockRole::InputWeights},
             {"W_c", H, n, BlockRole::InputWeights},
             {"W_o", H, n, BlockRole::InputWeights},
             {"U_i", H, H, BlockRole::RecurrentWeights},
             {"U_f", H, H, BlockRole::RecurrentWeights},
             {"U_c", H, H, BlockRole::RecurrentWeights},
             {"U_o", H, H, BlockRole::RecurrentWeights},
             {"b_i", H, 1, BlockRole::Bias},
             {"b_f", H, 1, BlockRole::ForgetBias},
             {"b_c", H, 1, BlockRole::Bias},
             {"b_o", H, 1, BlockRole::Bias}};
}

void LstmCell::forward(const double* const* p, const double* x, const double* h_prev,
                       const double* c_prev, double* h, double* c, double* cache) const {
  const int H = hidden(), n = n_inputs();
  for (int k = 0; k < kGates; ++k) {
    double* a = cache + k * H;
    kernels::copy(H, p[B + k], a);
    kernels::add_matvec(H, n, p[W + k], x, a);
    kernels::add_matvec(H, H, p[U + k], h_prev, a);
  }
  double* gi = cache;
  double* gf = cache + H;
  double* gg = cache + 2 * H;
  double* go = cache + 3 * H;
  double* tc = cache + 4 * H;
  // Elementwise from here on, so h and c may alias h_prev and c_prev.
  for (int j = 0; j < H; ++j) {
    gi[j] = kernels::sigmoid(gi[j]);
    gf[j] = kernels::sigmoid(gf[j]);
    gg[j] = std::tanh(gg[j]);
    go[j] = kernels::sigmoid(go[j]);
    c[j] = gf[j] * c_prev[j] + gi[j] * gg[j];
    tc[j] = std::tanh(c[j]);
    h[j] = go[j] * tc[j];
  }
}

std::vector<WeightGradient> LstmCell::weight_gradients() const {
  const int H = hidden();
  std::vector<WeightGradient> sums;
  for (int k = 0; k < kGates; ++k) {
    sums.push_back({W + k, k * H, WeightGradient::Right::Input, 0});
    sums.push_back({U + k, k * H, WeightGradient::Right::PreviousState, 0});
  }
  return sums;
}

void LstmCell::backward(const double* const* p, const double* x, const double* h_prev,
                        const double* c_prev, const double*, const double*, const double* cache,
                        const double* dh, const double* dc, double* const* g, double* dh_prev,
                        double* dc_prev, double* work) const {
  const int H = hidden(), n = n_inputs();
  const double* gi = cache;
  const double* gf = cache + H;
  const double* gg = cache + 2 * H;
  const double* go = cache + 3 * H;
  const double* tc = cache + 4 * H;
  double* da = work;  // da_i, da_f, da_g, da_o, each H long
  for (int j = 0; j < H; ++j) {
    const double dc_total = dc[j] + dh[j] * go[j] * (1.0 - tc[j] * tc[j]);
    da[j] = dc_total * gg[j] * gi[j] * (1.0 - gi[j]);
    da[H + j] = dc_total * c_prev[j] * gf[j] * (1.0 - gf[j]);
    da[2 * H + j] = dc_total * gi[j] * (1.0 - gg[j] * gg[j]);
    da[3 * H + j] = dh[j] * tc[j] * go[j] * (1.0 - go[j]);
    dc_prev[j] = dc_total * gf[j];
  }
  kernels::fill(H, 0.0, dh_prev);
  for (int k = 0; k < kGates; ++k) {
    const double* da_k = da + k * H;
    kernels::add_matvec_transposed(H, H, p[U + k], da_k, dh_prev);
    kernels::add_outer(H, n, da_k, x, g[W + k]);
    kernels::add_outer(H, H, da_k, h_prev, g[U + k]);
    kernels::add(H, da_k, g[B + k]);
  }
}

}  // namespace rom
