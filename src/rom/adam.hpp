// Adam (Kingma & Ba 2015) in the form Keras implements it, with the bias
// correction folded into the step size and epsilon outside the square root:
//   t <- t + 1
//   m <- beta1 m + (1 - beta1) g
//   v <- beta2 v + (1 - beta2) g^2
//   theta <- theta - lr sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + eps)
// Defaults are Keras': beta1 0.9, beta2 0.999, eps 1e-7.
#pragma once

#include <Eigen/Dense>

namespace rom {

class Adam {
 public:
  Adam(Eigen::Index n_parameters, double learning_rate, double beta1 = 0.9, double beta2 = 0.999,
       double epsilon = 1e-7);

  // One update of theta[0..n) with the gradient grad[0..n).
  void step(double* theta, const double* grad);
  long steps_taken() const { return t_; }

 private:
  double learning_rate_, beta1_, beta2_, epsilon_;
  long t_ = 0;
  Eigen::VectorXd m_, v_;
};

}  // namespace rom
