// Outputs and gradients against PyTorch, an independent implementation: the
// committed data tests/cpp/data/torch_reference.json was written by
// tests/tools/make_torch_reference.py (nn.GRU, nn.LSTM, nn.RNN and a classic
// GRU in plain tensor operations, all in double precision).
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "rom/bptt.hpp"
#include "rom/model_spec.hpp"
#include "rom/sequence_model.hpp"

using namespace rom;

namespace {

Eigen::MatrixXd matrix(const nlohmann::json& rows) {
  Eigen::MatrixXd m(rows.size(), rows.at(0).size());
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    for (Eigen::Index j = 0; j < m.cols(); ++j) m(i, j) = rows.at(i).at(j).get<double>();
  }
  return m;
}

double relative_error(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return (a - b).norm() / std::max(a.norm(), b.norm());
}

nlohmann::json load_reference() {
  const std::string path = std::string(NEUROROM_TEST_DATA_DIR) + "/torch_reference.json";
  std::ifstream in(path);
  BOOST_TEST_REQUIRE(in.good(), "cannot read " << path);
  return nlohmann::json::parse(in);
}

// Double precision, different operation order: agreement to ~1e-15 relative
// is expected; 1e-12 leaves room for libm differences.
constexpr double kTolerance = 1e-12;

}  // namespace

BOOST_AUTO_TEST_SUITE(torch_reference)

BOOST_AUTO_TEST_CASE(outputs_and_gradients_match_pytorch) {
  const nlohmann::json reference = load_reference();
  BOOST_TEST_REQUIRE(reference.at("cases").size() == 4u);
  for (const nlohmann::json& c : reference.at("cases")) {
    const std::string name = c.at("name");
    const ModelSpec spec{parse_cell_type(c.at("cell")), parse_gru_variant(c.at("gru_variant")),
                         c.at("n_inputs"), c.at("hidden"), c.at("n_outputs")};
    SequenceModel model(spec);
    BOOST_TEST_REQUIRE(c.at("blocks").size() == model.blocks().size(), name);
    for (ParamBlock& block : model.blocks()) block.value = matrix(c.at("blocks").at(block.name));
    model.check_blocks();

    const Eigen::MatrixXd x = matrix(c.at("x"));
    const Eigen::MatrixXd y_target = matrix(c.at("y_target"));
    const Eigen::MatrixXd y = model.predict(x);
    BOOST_TEST(relative_error(y, matrix(c.at("y"))) < kTolerance, name << " outputs");

    const Eigen::VectorXd theta = model.packed_parameters();
    Eigen::VectorXd grad = Eigen::VectorXd::Zero(theta.size());
    BpttWorkspace ws;
    const ColumnSequence seq{x.transpose(), y_target.transpose()};
    const double sse = sequence_sse_gradient(model, theta.data(), seq, 1.0, 0, ws, grad.data());
    BOOST_TEST(std::abs(sse - c.at("sse").get<double>()) < kTolerance * sse, name << " loss");

    Eigen::Index offset = 0;
    for (const ParamBlock& block : model.blocks()) {
      const Eigen::Index n = block.value.size();
      const Eigen::MatrixXd ours = Eigen::Map<const Eigen::MatrixXd>(
          grad.data() + offset, block.value.rows(), block.value.cols());
      const Eigen::MatrixXd theirs = matrix(c.at("gradients").at(block.name));
      BOOST_TEST(relative_error(ours, theirs) < kTolerance, name << " gradient " << block.name);
      offset += n;
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
