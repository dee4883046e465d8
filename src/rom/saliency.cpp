#include "rom/saliency.hpp"

#include <vector>

#include "rom/cells/recurrent_cell.hpp"
#include "rom/dense.hpp"
#include "rom/errors.hpp"
#include "rom/kernels.hpp"

namespace rom {

namespace {

// The input, in the units the network sees.
Eigen::MatrixXd to_model_units(const TrainedModel& model, const Eigen::MatrixXd& X) {
  if (!model.standardisation.enabled) return X;
  const Standardisation& s = model.standardisation;
  return ((X.rowwise() - s.input_mean.transpose()).array().rowwise() /
          s.input_std.transpose().array())
      .matrix();
}

}  // namespace

Eigen::MatrixXd output_sum_input_gradient(const TrainedModel& model, const Eigen::MatrixXd& X,
                                          int output) {
  const SequenceModel& net = model.model;
  const RecurrentCell& cell = net.cell();
  const DenseLayer& readout = net.readout();
  const int H = cell.hidden(), n = cell.n_inputs(), m = readout.n_outputs();
  if (X.cols() != n) {
    throw InputError("saliency: input has " + std::to_string(X.cols()) +
                     " columns, the model has " + std::to_string(n) + " inputs");
  }
  if (output < 0 || output >= m) throw std::logic_error("saliency: output index out of range");
  const int T = static_cast<int>(X.rows());
  const int C = cell.cache_size();
  const bool lstm = cell.has_cell_state();

  // Column t of x is step t, contiguous, as the cells expect.
  const Eigen::MatrixXd x = to_model_units(model, X).transpose();
  std::vector<const double*> p;
  for (const ParamBlock& block : net.blocks()) p.push_back(block.value.data());
  const double* const* p_readout = p.data() + net.cell_block_count();

  // Forward pass, keeping every state and cache. Slot 0 is the zero state.
  std::vector<double> h(static_cast<std::size_t>(T + 1) * H, 0.0);
  std::vector<double> c(lstm ? h.size() : 0, 0.0);
  std::vector<double> cache(static_cast<std::size_t>(T) * C);
  auto h_at = [&](int t) { return h.data() + static_cast<std::ptrdiff_t>(t + 1) * H; };
  auto c_at = [&](int t) {
    return lstm ? c.data() + static_cast<std::ptrdiff_t>(t + 1) * H : nullptr;
  };
  for (int t = 0; t < T; ++t) {
    cell.forward(p.data(), x.data() + static_cast<std::ptrdiff_t>(t) * n, h_at(t - 1), c_at(t - 1),
                 h_at(t), c_at(t), cache.data() + static_cast<std::ptrdiff_t>(t) * C);
  }

  // backward() also adds parameter gradients, unread here: the weight blocks
  // are skipped (null, see RecurrentCell::backward) and the biases land in
  // this scratch space.
  std::vector<Eigen::MatrixXd> g;
  std::vector<double*> g_pointers;
  for (const ParamBlock& block : net.blocks()) {
    g.push_back(Eigen::MatrixXd::Zero(block.value.rows(), block.value.cols()));
  }
  for (Eigen::MatrixXd& block : g) g_pointers.push_back(block.data());
  for (const WeightGradient& weights : cell.weight_gradients()) {
    g_pointers[static_cast<std::size_t>(weights.block)] = nullptr;
  }
  g_pointers[static_cast<std::size_t>(net.cell_block_count())] = nullptr;  // readout W

  std::vector<double> dy(static_cast<std::size_t>(m), 0.0);
  dy[static_cast<std::size_t>(output)] = 1.0;  // d(sum_s y_o(s)) / d y(t)
  std::vector<double> dh(H), dc(H), dh_carry(H, 0.0), dc_carry(H, 0.0), work(cell.work_size());
  Eigen::MatrixXd gradient = Eigen::MatrixXd::Zero(T, n);
  for (int t = T - 1; t >= 0; --t) {
    kernels::copy(H, dh_carry.data(), dh.data());
    kernels::copy(H, dc_carry.data(), dc.data());
    readout.backward(p_readout, h_at(t), dy.data(), g_pointers.data() + net.cell_block_count(),
                     dh.data());
    const double* x_t = x.data() + static_cast<std::ptrdiff_t>(t) * n;
    cell.backward(p.data(), x_t, h_at(t - 1), c_at(t - 1), h_at(t), c_at(t),
                  cache.data() + static_cast<std::ptrdiff_t>(t) * C, dh.data(), dc.data(),
                  g_pointers.data(), dh_carry.data(), dc_carry.data(), work.data());
    Eigen::VectorXd dx = Eigen::VectorXd::Zero(n);
    cell.add_input_gradient(p.data(), work.data(), dx.data());
    gradient.row(t) = dx.transpose();
  }

  if (model.standardisation.enabled) {
    const Standardisation& s = model.standardisation;
    gradient *= s.output_std(output);
    gradient.array().rowwise() /= s.input_std.transpose().array();
  }
  return gradient;
}

Saliency sequence_saliency(const TrainedModel& model, const Eigen::MatrixXd& X) {
  const int m = model.model.spec().n_outputs, n = model.model.spec().n_inputs;
  const double T = static_cast<double>(X.rows());
  Saliency result{Eigen::MatrixXd(m, n), Eigen::MatrixXd(m, n)};
  for (int o = 0; o < m; ++o) {
    const Eigen::MatrixXd G = output_sum_input_gradient(model, X, o);
    result.gain.row(o) = G.colwise().sum() / T;
    result.strength.row(o) = G.cwiseAbs().colwise().sum() / T;
  }
  return result;
}

}  // namespace rom
