// Central-difference checks of the exact BPTT gradient, block by block, for
// every cell, and of the dense readout on its own.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>

#include "rom/bptt.hpp"
#include "rom/cells/recurrent_cell.hpp"
#include "rom/dense.hpp"
#include "rom/model_spec.hpp"
#include "test_support.hpp"

using namespace rom;

namespace {

// Relative error ||a - b|| / max(||a||, ||b||).
double relative_error(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const double scale = std::max(a.norm(), b.norm());
  return scale == 0.0 ? 0.0 : (a - b).norm() / scale;
}

// Step 1e-5: truncation error ~1e-10 relative, rounding ~1e-16 / 1e-5.
constexpr double kStep = 1e-5;
constexpr double kTolerance = 1e-6;

void check_model_gradient(const ModelSpec& spec) {
  SequenceModel model(spec);
  test::randomise(model, 11);
  const ColumnSequence seq = test::columns(test::random_sequence(spec, 9, 5));
  const Eigen::VectorXd theta = model.packed_parameters();
  BpttWorkspace ws;
  Eigen::VectorXd analytic = Eigen::VectorXd::Zero(theta.size());
  const double sse = sequence_sse_gradient(model, theta.data(), seq, 1.0, 0, ws, analytic.data());
  BOOST_TEST(sse == sequence_sse(model, theta.data(), seq, ws));

  Eigen::VectorXd numeric(theta.size());
  Eigen::VectorXd probe = theta;
  for (Eigen::Index i = 0; i < theta.size(); ++i) {
    probe[i] = theta[i] + kStep;
    const double plus = sequence_sse(model, probe.data(), seq, ws);
    probe[i] = theta[i] - kStep;
    const double minus = sequence_sse(model, probe.data(), seq, ws);
    probe[i] = theta[i];
    numeric[i] = (plus - minus) / (2 * kStep);
  }
  Eigen::Index offset = 0;
  for (const ParamBlock& block : model.blocks()) {
    const Eigen::Index n = block.value.size();
    const double error = relative_error(analytic.segment(offset, n), numeric.segment(offset, n));
    BOOST_TEST_INFO(describe(spec) << " block " << block.name << " relative error " << error);
    BOOST_TEST(analytic.segment(offset, n).norm() > 0.0);
    BOOST_TEST(error < kTolerance);
    offset += n;
  }
}

ModelSpec spec_of(CellType cell, GruVariant variant = GruVariant::Classic) {
  return ModelSpec{cell, variant, 3, 4, 2};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gradients)

BOOST_AUTO_TEST_CASE(rnn) { check_model_gradient(spec_of(CellType::Rnn)); }
BOOST_AUTO_TEST_CASE(lstm) { check_model_gradient(spec_of(CellType::Lstm)); }
BOOST_AUTO_TEST_CASE(gru_classic) { check_model_gradient(spec_of(CellType::Gru)); }
BOOST_AUTO_TEST_CASE(gru_reset_after) {
  check_model_gradient(spec_of(CellType::Gru, GruVariant::ResetAfter));
}

// d(SSE)/dx_t from each step's backward() work buffer
// (RecurrentCell::add_input_gradient), against central differences in x.
BOOST_AUTO_TEST_CASE(input_gradient_of_every_cell) {
  for (const ModelSpec& spec :
       {spec_of(CellType::Rnn), spec_of(CellType::Lstm), spec_of(CellType::Gru),
        spec_of(CellType::Gru, GruVariant::ResetAfter)}) {
    SequenceModel model(spec);
    test::randomise(model, 31);
    const Sequence seq = test::random_sequence(spec, 6, 17);
    const RecurrentCell& cell = model.cell();
    const int T = 6, H = spec.hidden, n = spec.n_inputs, m = spec.n_outputs;
    const int nc = model.cell_block_count();
    std::vector<const double*> p;
    std::vector<Eigen::MatrixXd> g;
    std::vector<double*> gp;
    for (const ParamBlock& block : model.blocks()) {
      p.push_back(block.value.data());
      g.push_back(Eigen::MatrixXd::Zero(block.value.rows(), block.value.cols()));
    }
    for (Eigen::MatrixXd& block : g) gp.push_back(block.data());

    const Eigen::MatrixXd x = seq.x.transpose();
    Eigen::MatrixXd h = Eigen::MatrixXd::Zero(H, T + 1), c = h;
    Eigen::MatrixXd cache(cell.cache_size(), T), dy(m, T);
    Eigen::VectorXd y(m);
    for (int t = 0; t < T; ++t) {
      cell.forward(p.data(), x.col(t).data(), h.col(t).data(), c.col(t).data(), h.col(t + 1).data(),
                   c.col(t + 1).data(), cache.col(t).data());
      model.readout().forward(p.data() + nc, h.col(t + 1).data(), y.data());
      dy.col(t) = 2.0 * (y - seq.y.row(t).transpose());
    }
    Eigen::MatrixXd dx = Eigen::MatrixXd::Zero(n, T);
    Eigen::VectorXd dh(H), dc(H), dh_carry = Eigen::VectorXd::Zero(H), dc_carry = dh_carry;
    Eigen::VectorXd work(cell.work_size());
    for (int t = T - 1; t >= 0; --t) {
      dh = dh_carry;
      dc = dc_carry;
      model.readout().backward(p.data() + nc, h.col(t + 1).data(), dy.col(t).data(), gp.data() + nc,
                               dh.data());
      cell.backward(p.data(), x.col(t).data(), h.col(t).data(), c.col(t).data(),
                    h.col(t + 1).data(), c.col(t + 1).data(), cache.col(t).data(), dh.data(),
                    dc.data(), gp.data(), dh_carry.data(), dc_carry.data(), work.data());
      cell.add_input_gradient(p.data(), work.data(), dx.col(t).data());
    }

    auto sse = [&](const Eigen::MatrixXd& X) { return (model.predict(X) - seq.y).squaredNorm(); };
    Eigen::MatrixXd numeric(n, T);
    for (int t = 0; t < T; ++t) {
      for (int j = 0; j < n; ++j) {
        Eigen::MatrixXd plus = seq.x, minus = seq.x;
        plus(t, j) += kStep;
        minus(t, j) -= kStep;
        numeric(j, t) = (sse(plus) - sse(minus)) / (2 * kStep);
      }
    }
    const Eigen::Map<const Eigen::VectorXd> a(dx.data(), dx.size()), b(numeric.data(), dx.size());
    BOOST_TEST(relative_error(a, b) < kTolerance, describe(spec));
  }
}

BOOST_AUTO_TEST_CASE(dense_layer) {
  // Loss L = sum_o w_o y_o^2 / 2 with y = W h + b; check dL/dW, dL/db, dL/dh.
  const int n_in = 3, n_out = 2;
  const DenseLayer dense(n_in, n_out);
  Eigen::VectorXd params = test::random_matrix(n_out * n_in + n_out, 1, 3);
  Eigen::VectorXd h = test::random_matrix(n_in, 1, 4);
  const Eigen::VectorXd w = test::random_matrix(n_out, 1, 6);
  auto loss = [&](const Eigen::VectorXd& theta, const Eigen::VectorXd& input) {
    const double* p[] = {theta.data(), theta.data() + n_out * n_in};
    Eigen::VectorXd y(n_out);
    dense.forward(p, input.data(), y.data());
    return 0.5 * (w.array() * y.array().square()).sum();
  };
  const double* p[] = {params.data(), params.data() + n_out * n_in};
  Eigen::VectorXd y(n_out);
  dense.forward(p, h.data(), y.data());
  const Eigen::VectorXd dy = w.cwiseProduct(y);
  Eigen::VectorXd grad = Eigen::VectorXd::Zero(params.size());
  Eigen::VectorXd dh = Eigen::VectorXd::Zero(n_in);
  double* g[] = {grad.data(), grad.data() + n_out * n_in};
  dense.backward(p, h.data(), dy.data(), g, dh.data());

  Eigen::VectorXd numeric_params(params.size()), numeric_h(n_in);
  for (Eigen::Index i = 0; i < params.size(); ++i) {
    Eigen::VectorXd plus = params, minus = params;
    plus[i] += kStep;
    minus[i] -= kStep;
    numeric_params[i] = (loss(plus, h) - loss(minus, h)) / (2 * kStep);
  }
  for (int i = 0; i < n_in; ++i) {
    Eigen::VectorXd plus = h, minus = h;
    plus[i] += kStep;
    minus[i] -= kStep;
    numeric_h[i] = (loss(params, plus) - loss(params, minus)) / (2 * kStep);
  }
  BOOST_TEST(relative_error(grad.head(n_out * n_in), numeric_params.head(n_out * n_in)) <
             kTolerance);
  BOOST_TEST(relative_error(grad.tail(n_out), numeric_params.tail(n_out)) < kTolerance);
  BOOST_TEST(relative_error(dh, numeric_h) < kTolerance);
}

BOOST_AUTO_TEST_CASE(truncation_longer_than_the_sequence_changes_nothing) {
  const ModelSpec spec = spec_of(CellType::Gru);
  SequenceModel model(spec);
  test::randomise(model, 2);
  const ColumnSequence seq = test::columns(test::random_sequence(spec, 12, 8));
  const Eigen::VectorXd theta = model.packed_parameters();
  BpttWorkspace ws;
  Eigen::VectorXd full = Eigen::VectorXd::Zero(theta.size());
  Eigen::VectorXd long_window = full, short_window = full;
  sequence_sse_gradient(model, theta.data(), seq, 1.0, 0, ws, full.data());
  sequence_sse_gradient(model, theta.data(), seq, 1.0, 12, ws, long_window.data());
  sequence_sse_gradient(model, theta.data(), seq, 1.0, 3, ws, short_window.data());
  BOOST_TEST((full.array() == long_window.array()).all());
  BOOST_TEST(relative_error(full, short_window) > 1e-6);
}

// Truncated BPTT with window k is the exact gradient of a loss in which the
// state entering each window (steps s, s + k, ...) is a constant: check it
// by central differences of that loss, run window by window from the
// recorded states of the unperturbed model.
BOOST_AUTO_TEST_CASE(truncated_gradient_freezes_the_state_entering_each_window) {
  for (CellType cell : {CellType::Lstm, CellType::Gru}) {
    const ModelSpec spec = spec_of(cell);
    SequenceModel model(spec);
    test::randomise(model, 21);
    const Sequence seq = test::random_sequence(spec, 10, 13);
    const int window = 3;
    const Eigen::VectorXd theta = model.packed_parameters();

    std::vector<StreamState> entering;  // state before each step
    StreamState state = model.make_state();
    Eigen::VectorXd y(spec.n_outputs);
    for (int t = 0; t < 10; ++t) {
      entering.push_back(state);
      const Eigen::VectorXd x = seq.x.row(t).transpose();
      model.step(state, x.data(), y.data());
    }
    auto windowed_sse = [&](const Eigen::VectorXd& params) {
      SequenceModel probe = model;
      probe.set_packed_parameters(params);
      double sse = 0.0;
      StreamState s = probe.make_state();
      for (int t = 0; t < 10; ++t) {
        if (t % window == 0) {
          s.h = entering[t].h;
          s.c = entering[t].c;
        }
        const Eigen::VectorXd x = seq.x.row(t).transpose();
        probe.step(s, x.data(), y.data());
        sse += (y - seq.y.row(t).transpose()).squaredNorm();
      }
      return sse;
    };
    Eigen::VectorXd numeric(theta.size());
    for (Eigen::Index i = 0; i < theta.size(); ++i) {
      Eigen::VectorXd plus = theta, minus = theta;
      plus[i] += kStep;
      minus[i] -= kStep;
      numeric[i] = (windowed_sse(plus) - windowed_sse(minus)) / (2 * kStep);
    }
    BpttWorkspace ws;
    Eigen::VectorXd analytic = Eigen::VectorXd::Zero(theta.size());
    sequence_sse_gradient(model, theta.data(), test::columns(seq), 1.0, window, ws,
                          analytic.data());
    BOOST_TEST(relative_error(analytic, numeric) < kTolerance, describe(spec));
  }
}

BOOST_AUTO_TEST_SUITE_END()
