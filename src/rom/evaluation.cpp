#include "rom/evaluation.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace rom {

Evaluation evaluate(const TrainedModel& model, const std::vector<Eigen::MatrixXd>& inputs,
                    const std::vector<Eigen::MatrixXd>& targets,
                    std::vector<Eigen::MatrixXd>* predictions) {
  if (inputs.size() != targets.size() || inputs.empty()) {
    throw std::logic_error("evaluate: needs as many target as input sequences, at least one");
  }
  const Eigen::Index n_out = model.model.spec().n_outputs;
  Eigen::VectorXd squared = Eigen::VectorXd::Zero(n_out);
  Eigen::VectorXd low = Eigen::VectorXd::Constant(n_out, std::numeric_limits<double>::infinity());
  Eigen::VectorXd high = -low;
  Evaluation result;
  if (predictions) predictions->clear();
  for (std::size_t s = 0; s < inputs.size(); ++s) {
    const Eigen::MatrixXd predicted = model.predict(inputs[s]);
    const Eigen::MatrixXd& target = targets[s];
    squared += (predicted - target).array().square().matrix().colwise().sum().transpose();
    low = low.cwiseMin(target.colwise().minCoeff().transpose());
    high = high.cwiseMax(target.colwise().maxCoeff().transpose());
    result.steps += target.rows();
    if (predictions) predictions->push_back(predicted);
  }
  const double steps = static_cast<double>(result.steps);
  result.rmse = std::sqrt(squared.sum() / (steps * static_cast<double>(n_out)));
  result.per_output = (squared / steps).cwiseSqrt();
  result.range = high - low;
  result.nrmse.resize(n_out);
  double nrmse_sum = 0.0;
  int defined = 0;
  for (Eigen::Index o = 0; o < n_out; ++o) {
    if (result.range(o) > 0) {
      result.nrmse(o) = result.per_output(o) / result.range(o);
      nrmse_sum += result.nrmse(o);
      ++defined;
    } else {
      result.nrmse(o) = std::numeric_limits<double>::quiet_NaN();
    }
  }
  result.mean_nrmse = defined ? nrmse_sum / defined : std::numeric_limits<double>::quiet_NaN();
  return result;
}

}  // namespace rom
