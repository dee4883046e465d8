// The self-test a weights file carries: a short input sequence and the outputs
// the model produced for it when it was saved. Loading re-runs it, so a
// mis-read, altered or wrongly interpreted file is refused.
#pragma once

#include <Eigen/Dense>
#include <string>

#include "rom/trained_model.hpp"

namespace rom {

// Outputs must agree to |got - expected| <= kSelfTestTolerance * max(1, |expected|).
constexpr double kSelfTestTolerance = 1e-9;
constexpr int kSelfTestSteps = 16;

struct SelfTest {
  Eigen::MatrixXd input;            // kSelfTestSteps x inputs, physical units
  Eigen::MatrixXd expected_output;  // kSelfTestSteps x outputs, physical units
};

// A fixed input pattern spanning each input's typical range (mean +- 2 std
// when standardised, else -1..1), and the model's outputs for it.
SelfTest make_self_test(const TrainedModel& model);

// Runs the input through predict() and through step() one step at a time;
// throws InputError "<file>: self-test: ..." naming the first output that
// differs by more than the tolerance.
void check_self_test(const TrainedModel& model, const SelfTest& test, const std::string& file);

}  // namespace rom
