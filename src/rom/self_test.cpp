#include "rom/self_test.hpp"

#include <algorithm>
#include <cmath>

#include "rom/csv.hpp"
#include "rom/errors.hpp"

namespace rom {
namespace {

void compare(const Eigen::MatrixXd& got, const Eigen::MatrixXd& expected, const TrainedModel& model,
             const std::string& how, const std::string& file) {
  for (Eigen::Index t = 0; t < expected.rows(); ++t) {
    for (Eigen::Index o = 0; o < expected.cols(); ++o) {
      const double want = expected(t, o);
      const double difference = std::abs(got(t, o) - want);
      // The negated form also refuses NaN.
      if (!(difference <= kSelfTestTolerance * std::max(1.0, std::abs(want)))) {
        throw InputError(file + ": self-test failed (" + how + "): output " +
                         model.outputs[static_cast<std::size_t>(o)].name + " at step " +
                         std::to_string(t) + " is " + format_number(got(t, o)) + ", expected " +
                         format_number(want) + "; the file is altered or mis-read");
      }
    }
  }
}

}  // namespace

SelfTest make_self_test(const TrainedModel& model) {
  const ModelSpec& spec = model.model.spec();
  SelfTest test;
  test.input.resize(kSelfTestSteps, spec.n_inputs);
  for (int t = 0; t < kSelfTestSteps; ++t) {
    for (int i = 0; i < spec.n_inputs; ++i) {
      // Incommensurate frequencies and phases so that channels and steps differ.
      double value = std::sin(0.9 * t + 1.7 * i + 0.3);
      if (model.standardisation.enabled) {
        value =
            model.standardisation.input_mean(i) + 2.0 * model.standardisation.input_std(i) * value;
      }
      test.input(t, i) = value;
    }
  }
  test.expected_output = model.predict(test.input);
  return test;
}

void check_self_test(const TrainedModel& model, const SelfTest& test, const std::string& file) {
  compare(model.predict(test.input), test.expected_output, model, "whole sequence", file);
  StreamState state = model.make_state();
  model.reset(state);
  Eigen::MatrixXd streamed(test.expected_output.rows(), test.expected_output.cols());
  Eigen::VectorXd x(test.input.cols()), y(test.expected_output.cols());
  for (Eigen::Index t = 0; t < test.input.rows(); ++t) {
    x = test.input.row(t).transpose();
    model.step(state, x.data(), y.data());
    streamed.row(t) = y.transpose();
  }
  compare(streamed, test.expected_output, model, "step by step", file);
}

}  // namespace rom
