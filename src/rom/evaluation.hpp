// Errors of a model on a set of sequences, as the study reports them: RMSE
// pooled over all steps, outputs and sequences, plus per output the RMSE and
// the RMSE divided by the output's range over the set (NRMSE).
#pragma once

#include <Eigen/Dense>
#include <vector>

#include "rom/trained_model.hpp"

namespace rom {

struct Evaluation {
  double rmse = 0.0;           // pooled, in the outputs' units
  Eigen::VectorXd per_output;  // RMSE of each output
  Eigen::VectorXd range;       // max - min of each target output over the set
  Eigen::VectorXd nrmse;       // per_output / range; NaN where the range is 0
  double mean_nrmse = 0.0;     // mean over outputs with a non-zero range; NaN if none
  long long steps = 0;         // time steps over all sequences
};

// inputs[s] is T_s x n_inputs, targets[s] T_s x n_outputs, physical units.
// Predictions are stored in `predictions` when it is not null.
Evaluation evaluate(const TrainedModel& model, const std::vector<Eigen::MatrixXd>& inputs,
                    const std::vector<Eigen::MatrixXd>& targets,
                    std::vector<Eigen::MatrixXd>* predictions = nullptr);

}  // namespace rom
