#include "rom/dense.hpp"

#include "rom/kernels.hpp"

namespace rom {

namespace {
enum Block { W, B };
}

DenseLayer::DenseLayer(int n_inputs, int n_outputs) : n_inputs_(n_inputs), n_outputs_(n_outputs) {
  shapes_ = {{"dense.W", n_outputs, n_inputs, BlockRole::InputWeights},
             {"dense.b", n_outputs, 1, BlockRole::Bias}};
}

void DenseLayer::forward(const double* const* p, const double* h, double* y) const {
  kernels::copy(n_outputs_, p[B], y);
  kernels::add_matvec(n_outputs_, n_inputs_, p[W], h, y);
}

void DenseLayer::backward(const double* const* p, const double* h, const double* dy,
                          double* const* g, double* dh) const {
  kernels::add_outer(n_outputs_, n_inputs_, dy, h, g[W]);
  kernels::add(n_outputs_, dy, g[B]);
  kernels::add_matvec_transposed(n_outputs_, n_inputs_, p[W], dy, dh);
}

}  // namespace rom
