#include "rom/bptt.hpp"

#include <array>

#include "rom/cells/recurrent_cell.hpp"
#include "rom/dense.hpp"
#include "rom/kernels.hpp"

namespace rom {

namespace {

constexpr std::size_t kMaxBlocks = 16;

// Pointers to every block inside a packed vector.
template <typename T>
std::array<T*, kMaxBlocks> block_pointers(const SequenceModel& model, T* base) {
  std::array<T*, kMaxBlocks> pointers{};
  std::size_t k = 0;
  for (const ParamBlock& block : model.blocks()) {
    pointers[k++] = base;
    base += block.value.size();
  }
  return pointers;
}

void grow(std::vector<double>& buffer, std::size_t size) {
  if (buffer.size() < size) buffer.resize(size);
}

}  // namespace

double sequence_sse(const SequenceModel& model, const double* theta, const ColumnSequence& seq,
                    BpttWorkspace& ws) {
  const RecurrentCell& cell = model.cell();
  const DenseLayer& readout = model.readout();
  const int H = cell.hidden(), n = cell.n_inputs(), m = readout.n_outputs();
  const auto p = block_pointers(model, theta);
  const double* const* p_readout = p.data() + model.cell_block_count();
  grow(ws.h, H);
  grow(ws.c, H);
  grow(ws.cache, cell.cache_size());
  grow(ws.y, m);
  double* h = ws.h.data();
  double* c = ws.c.data();
  kernels::fill(H, 0.0, h);
  kernels::fill(H, 0.0, c);
  double sse = 0.0;
  for (int t = 0; t < seq.steps(); ++t) {
    cell.forward(p.data(), seq.x.data() + static_cast<std::ptrdiff_t>(t) * n, h, c, h, c,
                 ws.cache.data());
    readout.forward(p_readout, h, ws.y.data());
    const double* target = seq.y.data() + static_cast<std::ptrdiff_t>(t) * m;
    for (int o = 0; o < m; ++o) {
      const double e = ws.y[o] - target[o];
      sse += e * e;
    }
  }
  return sse;
}

double sequence_sse_gradient(const SequenceModel& model, const double* theta,
                             const ColumnSequence& seq, double scale, int truncation,
                             BpttWorkspace& ws, double* grad) {
  const RecurrentCell& cell = model.cell();
  const DenseLayer& readout = model.readout();
  const int H = cell.hidden(), n = cell.n_inputs(), m = readout.n_outputs();
  const int C = cell.cache_size();
  const int T = seq.steps();
  const bool lstm = cell.has_cell_state();
  const auto p = block_pointers(model, theta);
  const auto g = block_pointers(model, grad);
  const int nc = model.cell_block_count();

  const std::size_t states = static_cast<std::size_t>(T + 1) * H;
  grow(ws.h, states);
  if (lstm) grow(ws.c, states);
  grow(ws.cache, static_cast<std::size_t>(T) * C);
  grow(ws.dy, static_cast<std::size_t>(T) * m);
  grow(ws.y, m);
  for (auto* buffer : {&ws.dh, &ws.dc, &ws.dh_carry, &ws.dc_carry}) grow(*buffer, H);

  // h_t lives at h + (t + 1) H; slot 0 is the zero initial state.
  auto h_at = [&](int t) { return ws.h.data() + static_cast<std::ptrdiff_t>(t + 1) * H; };
  auto c_at = [&](int t) {
    return lstm ? ws.c.data() + static_cast<std::ptrdiff_t>(t + 1) * H : nullptr;
  };
  auto x_at = [&](int t) { return seq.x.data() + static_cast<std::ptrdiff_t>(t) * n; };
  kernels::fill(H, 0.0, h_at(-1));
  if (lstm) kernels::fill(H, 0.0, c_at(-1));

  double sse = 0.0;
  for (int t = 0; t < T; ++t) {
    double* cache = ws.cache.data() + static_cast<std::ptrdiff_t>(t) * C;
    cell.forward(p.data(), x_at(t), h_at(t - 1), c_at(t - 1), h_at(t), c_at(t), cache);
    readout.forward(p.data() + nc, h_at(t), ws.y.data());
    const double* target = seq.y.data() + static_cast<std::ptrdiff_t>(t) * m;
    double* dy = ws.dy.data() + static_cast<std::ptrdiff_t>(t) * m;
    for (int o = 0; o < m; ++o) {
      const double e = ws.y[o] - target[o];
      sse += e * e;
      dy[o] = 2.0 * scale * e;
    }
  }

  // The weight blocks' gradients are sums over steps of outer products; they
  // are formed after the loop as one matrix product each (below), so the loop
  // passes null for those blocks and keeps every step's work buffer.
  const int W = cell.work_size();
  grow(ws.work, static_cast<std::size_t>(T) * W);
  const std::vector<WeightGradient> sums = cell.weight_gradients();
  auto g_step = g;
  for (const WeightGradient& s : sums) g_step[s.block] = nullptr;
  g_step[nc] = nullptr;  // the readout's W: dY H^T below

  double* dh = ws.dh.data();
  double* dc = ws.dc.data();
  double* dh_carry = ws.dh_carry.data();  // gradient flowing into h_{t} from step t + 1
  double* dc_carry = ws.dc_carry.data();
  kernels::fill(H, 0.0, dh_carry);
  kernels::fill(H, 0.0, dc_carry);
  for (int t = T - 1; t >= 0; --t) {
    kernels::copy(H, dh_carry, dh);
    kernels::copy(H, dc_carry, dc);
    readout.backward(p.data() + nc, h_at(t), ws.dy.data() + static_cast<std::ptrdiff_t>(t) * m,
                     g_step.data() + nc, dh);
    const double* cache = ws.cache.data() + static_cast<std::ptrdiff_t>(t) * C;
    cell.backward(p.data(), x_at(t), h_at(t - 1), c_at(t - 1), h_at(t), c_at(t), cache, dh, dc,
                  g_step.data(), dh_carry, dc_carry,
                  ws.work.data() + static_cast<std::ptrdiff_t>(t) * W);
    if (truncation > 0 && t % truncation == 0) {
      kernels::fill(H, 0.0, dh_carry);
      kernels::fill(H, 0.0, dc_carry);
    }
  }

  using Strided = Eigen::Map<const Eigen::MatrixXd, 0, Eigen::OuterStride<>>;
  const Eigen::Map<const Eigen::MatrixXd> h_all(ws.h.data(), H, T + 1);  // h_{-1} .. h_{T-1}
  for (const WeightGradient& s : sums) {
    const Strided left(ws.work.data() + s.work_offset, H, T, Eigen::OuterStride<>(W));
    const int cols = model.blocks()[s.block].value.cols();
    Eigen::Map<Eigen::MatrixXd> block(g[s.block], H, cols);
    switch (s.right) {
      case WeightGradient::Right::Input:
        block.noalias() += left * seq.x.transpose();
        break;
      case WeightGradient::Right::PreviousState:
        block.noalias() += left * h_all.leftCols(T).transpose();
        break;
      case WeightGradient::Right::Cache:
        block.noalias() +=
            left *
            Strided(ws.cache.data() + s.cache_offset, H, T, Eigen::OuterStride<>(C)).transpose();
        break;
    }
  }
  Eigen::Map<Eigen::MatrixXd>(g[nc], m, H).noalias() +=
      Eigen::Map<const Eigen::MatrixXd>(ws.dy.data(), m, T) * h_all.rightCols(T).transpose();
  return sse;
}

}  // namespace rom
