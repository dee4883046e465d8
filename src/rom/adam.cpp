#include "rom/adam.hpp"

#include <cmath>

namespace rom {

Adam::Adam(Eigen::Index n_parameters, double learning_rate, double beta1, double beta2,
           double epsilon)
    : learning_rate_(learning_rate),
      beta1_(beta1),
      beta2_(beta2),
      epsilon_(epsilon),
      m_(Eigen::VectorXd::Zero(n_parameters)),
      v_(Eigen::VectorXd::Zero(n_parameters)) {}

void Adam::step(double* theta, const double* grad) {
  ++t_;
  const double td = static_cast<double>(t_);
  const double alpha =
      learning_rate_ * std::sqrt(1.0 - std::pow(beta2_, td)) / (1.0 - std::pow(beta1_, td));
  double* m = m_.data();
  double* v = v_.data();
  for (Eigen::Index i = 0; i < m_.size(); ++i) {
    m[i] = beta1_ * m[i] + (1.0 - beta1_) * grad[i];
    v[i] = beta2_ * v[i] + (1.0 - beta2_) * grad[i] * grad[i];
    theta[i] -= alpha * m[i] / (std::sqrt(v[i]) + epsilon_);
  }
}

}  // namespace rom
