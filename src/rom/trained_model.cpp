#include "rom/trained_model.hpp"

#include <stdexcept>

#include "rom/errors.hpp"

namespace rom {

StreamState TrainedModel::make_state() const {
  StreamState state = model.make_state();
  const Eigen::Index model_scratch = state.scratch.size();
  state.scratch.conservativeResize(model_scratch + model.spec().n_inputs);
  state.scratch.tail(model.spec().n_inputs).setZero();
  return state;
}

void TrainedModel::step(StreamState& state, const double* x, double* y) const {
  if (!standardisation.enabled) {
    model.step(state, x, y);
    return;
  }
  const int n_in = model.spec().n_inputs, n_out = model.spec().n_outputs;
  if (state.scratch.size() < n_in) {
    throw std::logic_error("TrainedModel::step: state not made by TrainedModel::make_state");
  }
  // The standardised input lives in the last n_inputs doubles of scratch
  // (make_state() put them there; the cell uses the front).
  double* x_model = state.scratch.data() + (state.scratch.size() - n_in);
  for (int i = 0; i < n_in; ++i) {
    x_model[i] = (x[i] - standardisation.input_mean(i)) / standardisation.input_std(i);
  }
  model.step(state, x_model, y);
  for (int o = 0; o < n_out; ++o) {
    y[o] = y[o] * standardisation.output_std(o) + standardisation.output_mean(o);
  }
}

Eigen::MatrixXd TrainedModel::predict(const Eigen::MatrixXd& X) const {
  if (X.cols() != model.spec().n_inputs) {
    throw InputError("predict: input has " + std::to_string(X.cols()) + " columns, the model has " +
                     std::to_string(model.spec().n_inputs) + " inputs");
  }
  StreamState state = make_state();
  Eigen::MatrixXd Y(X.rows(), model.spec().n_outputs);
  Eigen::VectorXd x(X.cols()), y(Y.cols());
  for (Eigen::Index t = 0; t < X.rows(); ++t) {
    x = X.row(t).transpose();
    step(state, x.data(), y.data());
    Y.row(t) = y.transpose();
  }
  return Y;
}

}  // namespace rom
