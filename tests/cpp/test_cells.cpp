// Forward equations of every cell against hand-derived values (tiny cases,
// one gate switched on at a time), the packed layout, parameter counts
// against the paper's, and streaming vs whole-sequence inference.
#define BOOST_TEST_MODULE rom_core_tests
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <map>
#include <string>

#include "rom/errors.hpp"
#include "rom/model_spec.hpp"
#include "rom/sequence_model.hpp"
#include "test_support.hpp"

using namespace rom;

namespace {

double sigmoid(double a) { return 1.0 / (1.0 + std::exp(-a)); }

// A model with 1 input, 1 unit and an identity readout (y = h), all other
// parameters zero except the given ones; returns y after one step from
// h0 = 0.5 (and c0 = 0.3) with input x = 0.8.
constexpr double kH0 = 0.5, kC0 = 0.3, kX = 0.8;

double one_step(CellType cell, GruVariant variant, const std::map<std::string, double>& on) {
  SequenceModel model(ModelSpec{cell, variant, 1, 1, 1});
  for (ParamBlock& block : model.blocks()) {
    block.value.setZero();
    if (block.name == "dense.W") block.value(0, 0) = 1.0;
    const auto it = on.find(block.name);
    if (it != on.end()) block.value(0, 0) = it->second;
  }
  StreamState state = model.make_state();
  state.h[0] = kH0;
  if (cell == CellType::Lstm) state.c[0] = kC0;
  double y = 0.0;
  model.step(state, &kX, &y);
  BOOST_TEST(state.h[0] == y);
  return y;
}

const double kTol = 1e-14;

}  // namespace

BOOST_AUTO_TEST_SUITE(cells)

BOOST_AUTO_TEST_CASE(parameter_counts_equal_the_papers) {
  struct Case {
    CellType cell;
    int hidden;
    int expected;
  };
  // Barbulescu et al. (2023), 4 inputs and 4 outputs, dense readout included.
  const Case cases[] = {{CellType::Rnn, 16, 404},   {CellType::Lstm, 8, 452},
                        {CellType::Gru, 8, 348},    {CellType::Rnn, 64, 4676},
                        {CellType::Lstm, 32, 4868}, {CellType::Gru, 32, 3684}};
  for (const Case& c : cases) {
    const SequenceModel model(ModelSpec{c.cell, GruVariant::Classic, 4, c.hidden, 4});
    BOOST_TEST(model.parameter_count() == c.expected);
  }
  // The reset-after GRU has one more bias per gate.
  const SequenceModel gru8(ModelSpec{CellType::Gru, GruVariant::ResetAfter, 4, 8, 4});
  BOOST_TEST(gru8.parameter_count() == 372);
}

BOOST_AUTO_TEST_CASE(block_names_and_shapes) {
  const SequenceModel gru(ModelSpec{CellType::Gru, GruVariant::ResetAfter, 3, 5, 2});
  const std::vector<std::string> names = {"W_z",  "W_r",  "W_h",     "U_z",    "U_r",
                                          "U_h",  "b_z",  "b_r",     "b_h",    "b_hz",
                                          "b_hr", "b_hh", "dense.W", "dense.b"};
  BOOST_TEST_REQUIRE(gru.blocks().size() == names.size());
  for (std::size_t k = 0; k < names.size(); ++k) BOOST_TEST(gru.blocks()[k].name == names[k]);
  BOOST_TEST(gru.blocks()[0].value.rows() == 5);
  BOOST_TEST(gru.blocks()[0].value.cols() == 3);
  BOOST_TEST(gru.blocks()[3].value.cols() == 5);
  BOOST_TEST(gru.blocks()[12].value.rows() == 2);
  BOOST_TEST(gru.blocks()[12].value.cols() == 5);
  const SequenceModel lstm(ModelSpec{CellType::Lstm, GruVariant::Classic, 3, 5, 2});
  BOOST_TEST(lstm.blocks()[1].name == "W_f");
  BOOST_TEST(lstm.blocks()[9].name == "b_f");
  const SequenceModel rnn(ModelSpec{CellType::Rnn, GruVariant::Classic, 3, 5, 2});
  BOOST_TEST(rnn.blocks().size() == 5u);
  BOOST_TEST(rnn.cell_block_count() == 3);
}

BOOST_AUTO_TEST_CASE(names_round_trip_and_unknown_names_are_refused) {
  for (CellType c : {CellType::Rnn, CellType::Lstm, CellType::Gru}) {
    BOOST_TEST((parse_cell_type(to_string(c)) == c));
  }
  for (GruVariant v : {GruVariant::Classic, GruVariant::ResetAfter}) {
    BOOST_TEST((parse_gru_variant(to_string(v)) == v));
  }
  BOOST_CHECK_THROW(parse_cell_type("GRU"), InputError);
  BOOST_CHECK_THROW(parse_gru_variant("reset-after"), InputError);
  BOOST_CHECK_THROW(SequenceModel(ModelSpec{CellType::Gru, GruVariant::Classic, 4, 0, 4}),
                    InputError);
}

BOOST_AUTO_TEST_CASE(rnn_one_term_at_a_time) {
  const auto v = GruVariant::Classic;
  BOOST_TEST(one_step(CellType::Rnn, v, {}) == 0.0);
  BOOST_TEST(std::abs(one_step(CellType::Rnn, v, {{"W", 0.7}}) - std::tanh(0.7 * kX)) < kTol);
  BOOST_TEST(std::abs(one_step(CellType::Rnn, v, {{"U", 0.7}}) - std::tanh(0.7 * kH0)) < kTol);
  BOOST_TEST(std::abs(one_step(CellType::Rnn, v, {{"b", 0.2}}) - std::tanh(0.2)) < kTol);
}

BOOST_AUTO_TEST_CASE(gru_classic_one_gate_at_a_time) {
  const auto c = CellType::Gru;
  const auto v = GruVariant::Classic;
  // Everything off: z = r = 1/2, candidate tanh(0) = 0, so h = h0 / 2.
  BOOST_TEST(std::abs(one_step(c, v, {}) - 0.5 * kH0) < kTol);
  // Update gate: h = z h0 with z = sigmoid(a_z).
  BOOST_TEST(std::abs(one_step(c, v, {{"W_z", 1.0}}) - sigmoid(kX) * kH0) < kTol);
  BOOST_TEST(std::abs(one_step(c, v, {{"U_z", 1.0}}) - sigmoid(kH0) * kH0) < kTol);
  BOOST_TEST(std::abs(one_step(c, v, {{"b_z", 1.0}}) - sigmoid(1.0) * kH0) < kTol);
  // Candidate: h = h0/2 + tanh(a_h)/2.
  BOOST_TEST(std::abs(one_step(c, v, {{"W_h", 1.0}}) - (0.5 * kH0 + 0.5 * std::tanh(kX))) < kTol);
  BOOST_TEST(std::abs(one_step(c, v, {{"b_h", 0.4}}) - (0.5 * kH0 + 0.5 * std::tanh(0.4))) < kTol);
  // Reset gate, seen through the recurrent candidate term U_h (r h0).
  BOOST_TEST(std::abs(one_step(c, v, {{"U_h", 1.0}}) - (0.5 * kH0 + 0.5 * std::tanh(0.5 * kH0))) <
             kTol);
  BOOST_TEST(std::abs(one_step(c, v, {{"U_h", 1.0}, {"W_r", 1.0}}) -
                      (0.5 * kH0 + 0.5 * std::tanh(sigmoid(kX) * kH0))) < kTol);
  BOOST_TEST(std::abs(one_step(c, v, {{"U_h", 1.0}, {"U_r", 1.0}}) -
                      (0.5 * kH0 + 0.5 * std::tanh(sigmoid(kH0) * kH0))) < kTol);
  BOOST_TEST(std::abs(one_step(c, v, {{"U_h", 1.0}, {"b_r", 2.0}}) -
                      (0.5 * kH0 + 0.5 * std::tanh(sigmoid(2.0) * kH0))) < kTol);
  // The reset gate alone does nothing without U_h.
  BOOST_TEST(std::abs(one_step(c, v, {{"b_r", 2.0}}) - 0.5 * kH0) < kTol);
}

BOOST_AUTO_TEST_CASE(gru_reset_after_one_gate_at_a_time) {
  const auto c = CellType::Gru;
  const auto v = GruVariant::ResetAfter;
  BOOST_TEST(std::abs(one_step(c, v, {}) - 0.5 * kH0) < kTol);
  BOOST_TEST(std::abs(one_step(c, v, {{"W_z", 1.0}}) - sigmoid(kX) * kH0) < kTol);
  BOOST_TEST(std::abs(one_step(c, v, {{"b_hz", 1.0}}) - sigmoid(1.0) * kH0) < kTol);
  BOOST_TEST(std::abs(one_step(c, v, {{"b_z", 0.5}, {"b_hz", 0.5}}) - sigmoid(1.0) * kH0) < kTol);
  BOOST_TEST(std::abs(one_step(c, v, {{"W_h", 1.0}}) - (0.5 * kH0 + 0.5 * std::tanh(kX))) < kTol);
  // The reset gate multiplies U_h h0 + b_hh, not b_h.
  BOOST_TEST(std::abs(one_step(c, v, {{"b_hh", 0.3}}) - (0.5 * kH0 + 0.5 * std::tanh(0.5 * 0.3))) <
             kTol);
  BOOST_TEST(std::abs(one_step(c, v, {{"b_h", 0.3}}) - (0.5 * kH0 + 0.5 * std::tanh(0.3))) < kTol);
  BOOST_TEST(std::abs(one_step(c, v, {{"U_h", 1.0}, {"b_hh", 0.3}, {"b_hr", 2.0}}) -
                      (0.5 * kH0 + 0.5 * std::tanh(sigmoid(2.0) * (kH0 + 0.3)))) < kTol);
  BOOST_TEST(std::abs(one_step(c, v, {{"U_h", 1.0}, {"W_r", 1.0}}) -
                      (0.5 * kH0 + 0.5 * std::tanh(sigmoid(kX) * kH0))) < kTol);
}

BOOST_AUTO_TEST_CASE(lstm_one_gate_at_a_time) {
  const auto c = CellType::Lstm;
  const auto v = GruVariant::Classic;
  // Everything off: i = f = o = 1/2, g = 0: c = c0 / 2, h = tanh(c) / 2.
  BOOST_TEST(std::abs(one_step(c, v, {}) - 0.5 * std::tanh(0.5 * kC0)) < kTol);
  // Forget gate.
  BOOST_TEST(std::abs(one_step(c, v, {{"W_f", 1.0}}) - 0.5 * std::tanh(sigmoid(kX) * kC0)) < kTol);
  BOOST_TEST(std::abs(one_step(c, v, {{"b_f", 1.0}}) - 0.5 * std::tanh(sigmoid(1.0) * kC0)) < kTol);
  // Cell candidate through the half-open input gate.
  BOOST_TEST(std::abs(one_step(c, v, {{"W_c", 1.0}}) -
                      0.5 * std::tanh(0.5 * kC0 + 0.5 * std::tanh(kX))) < kTol);
  BOOST_TEST(std::abs(one_step(c, v, {{"U_c", 1.0}}) -
                      0.5 * std::tanh(0.5 * kC0 + 0.5 * std::tanh(kH0))) < kTol);
  // Input gate, seen through a candidate of tanh(1).
  BOOST_TEST(std::abs(one_step(c, v, {{"b_c", 1.0}, {"b_i", 2.0}}) -
                      0.5 * std::tanh(0.5 * kC0 + sigmoid(2.0) * std::tanh(1.0))) < kTol);
  BOOST_TEST(std::abs(one_step(c, v, {{"b_c", 1.0}, {"U_i", 1.0}}) -
                      0.5 * std::tanh(0.5 * kC0 + sigmoid(kH0) * std::tanh(1.0))) < kTol);
  // Output gate.
  BOOST_TEST(std::abs(one_step(c, v, {{"U_o", 1.0}}) - sigmoid(kH0) * std::tanh(0.5 * kC0)) < kTol);
  BOOST_TEST(std::abs(one_step(c, v, {{"W_o", 1.0}}) - sigmoid(kX) * std::tanh(0.5 * kC0)) < kTol);
}

BOOST_AUTO_TEST_CASE(dense_readout_and_column_major_layout) {
  // RNN with 2 units: U(0, 1) = 1 feeds unit 1 into unit 0 only.
  SequenceModel model(ModelSpec{CellType::Rnn, GruVariant::Classic, 1, 2, 1});
  for (ParamBlock& block : model.blocks()) block.value.setZero();
  model.blocks()[1].value(0, 1) = 1.0;                  // U
  model.blocks()[3].value << 2.0, -1.0;                 // dense.W (1 x 2)
  model.blocks()[4].value(0, 0) = 0.1;                  // dense.b
  BOOST_TEST(model.packed_parameters()[2 + 2] == 1.0);  // U(0, 1) follows W (2) and U(0..1, 0)
  StreamState state = model.make_state();
  state.h << 0.5, -0.25;
  const double x = 0.0;
  double y = 0.0;
  model.step(state, &x, &y);
  BOOST_TEST(std::abs(state.h[0] - std::tanh(-0.25)) < kTol);
  BOOST_TEST(state.h[1] == 0.0);
  BOOST_TEST(std::abs(y - (2.0 * std::tanh(-0.25) + 0.1)) < kTol);
}

BOOST_AUTO_TEST_CASE(predict_equals_stepping_and_reset_zeroes_the_state) {
  for (CellType cell : {CellType::Rnn, CellType::Lstm, CellType::Gru}) {
    const ModelSpec spec{cell, GruVariant::Classic, 2, 3, 2};
    SequenceModel model(spec);
    test::randomise(model, 4);
    const Eigen::MatrixXd X = test::random_matrix(6, 2, 9);
    const Eigen::MatrixXd Y = model.predict(X);
    StreamState state = model.make_state();
    Eigen::Vector2d y;
    for (int t = 0; t < 6; ++t) {
      const Eigen::Vector2d x = X.row(t).transpose();
      model.step(state, x.data(), y.data());
      BOOST_TEST((Y.row(t).transpose().array() == y.array()).all());
    }
    // The training forward pass (separate state buffers) gives the same bits.
    const Eigen::MatrixXd target = test::random_matrix(6, 2, 10);
    BpttWorkspace ws;
    Eigen::VectorXd grad = Eigen::VectorXd::Zero(model.parameter_count());
    const Eigen::VectorXd theta = model.packed_parameters();
    const double sse = sequence_sse_gradient(
        model, theta.data(), {X.transpose(), target.transpose()}, 1.0, 0, ws, grad.data());
    double expected = 0.0;  // summed in the same order: steps, then outputs
    for (int t = 0; t < 6; ++t) {
      for (int o = 0; o < 2; ++o) expected += (Y(t, o) - target(t, o)) * (Y(t, o) - target(t, o));
    }
    BOOST_TEST(sse == expected);
    BOOST_TEST(state.h.norm() > 0.0);
    model.reset(state);
    BOOST_TEST(state.h.norm() == 0.0);
    BOOST_TEST(state.c.size() == (cell == CellType::Lstm ? 3 : 0));
    BOOST_CHECK_THROW(model.predict(Eigen::MatrixXd::Zero(6, 3)), InputError);
  }
}

BOOST_AUTO_TEST_CASE(check_blocks_names_the_bad_block) {
  SequenceModel model(ModelSpec{CellType::Gru, GruVariant::Classic, 2, 3, 2});
  BOOST_CHECK_NO_THROW(model.check_blocks());
  model.blocks()[4].value.resize(2, 3);
  try {
    model.check_blocks();
    BOOST_FAIL("a wrong shape was accepted");
  } catch (const InputError& e) {
    BOOST_TEST(std::string(e.what()).find("U_r") != std::string::npos);
  }
  model.blocks()[4].value = Eigen::MatrixXd::Zero(3, 3);
  model.blocks()[7].value(1, 0) = std::nan("");
  BOOST_CHECK_THROW(model.check_blocks(), InputError);
}

BOOST_AUTO_TEST_SUITE_END()
