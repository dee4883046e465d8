// Small dense-algebra kernels on raw column-major arrays. The models are tiny
// (hidden sizes 2..64): below kEigenSize coefficients a plain loop beats
// Eigen's dynamic-size call overhead; above it Eigen's register-blocked,
// vectorised GEMV is several times faster (the plain transposed product is a
// serial reduction the compiler may not vectorise). Which path runs depends
// only on the sizes, so results are deterministic for a given build.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <cstddef>

namespace rom::kernels {

constexpr int kEigenSize = 128;

using ConstMatrixMap = Eigen::Map<const Eigen::MatrixXd>;
using ConstVectorMap = Eigen::Map<const Eigen::VectorXd>;
using VectorMap = Eigen::Map<Eigen::VectorXd>;

// y += A x, A is rows x cols column-major.
inline void add_matvec(int rows, int cols, const double* A, const double* x, double* y) {
  if (rows * cols >= kEigenSize) {
    VectorMap(y, rows).noalias() += ConstMatrixMap(A, rows, cols) * ConstVectorMap(x, cols);
    return;
  }
  for (int j = 0; j < cols; ++j) {
    const double xj = x[j];
    const double* a = A + static_cast<std::ptrdiff_t>(j) * rows;
    for (int i = 0; i < rows; ++i) y[i] += a[i] * xj;
  }
}

// y += A^T v, A is rows x cols column-major (y has cols entries).
inline void add_matvec_transposed(int rows, int cols, const double* A, const double* v, double* y) {
  if (rows * cols >= kEigenSize) {
    VectorMap(y, cols).noalias() +=
        ConstMatrixMap(A, rows, cols).transpose() * ConstVectorMap(v, rows);
    return;
  }
  for (int j = 0; j < cols; ++j) {
    const double* a = A + static_cast<std::ptrdiff_t>(j) * rows;
    double sum = 0.0;
    for (int i = 0; i < rows; ++i) sum += a[i] * v[i];
    y[j] += sum;
  }
}

// G += u v^T, G is rows x cols column-major; nothing when G is null (a
// block whose gradient the caller forms itself).
inline void add_outer(int rows, int cols, const double* u, const double* v, double* G) {
  if (G == nullptr) return;
  if (rows * cols >= kEigenSize) {
    Eigen::Map<Eigen::MatrixXd>(G, rows, cols).noalias() +=
        ConstVectorMap(u, rows) * ConstVectorMap(v, cols).transpose();
    return;
  }
  for (int j = 0; j < cols; ++j) {
    const double vj = v[j];
    double* g = G + static_cast<std::ptrdiff_t>(j) * rows;
    for (int i = 0; i < rows; ++i) g[i] += u[i] * vj;
  }
}

// y += u
inline void add(int n, const double* u, double* y) {
  for (int i = 0; i < n; ++i) y[i] += u[i];
}

inline void copy(int n, const double* u, double* y) {
  for (int i = 0; i < n; ++i) y[i] = u[i];
}

inline void fill(int n, double value, double* y) {
  for (int i = 0; i < n; ++i) y[i] = value;
}

inline double sigmoid(double a) { return 1.0 / (1.0 + std::exp(-a)); }

}  // namespace rom::kernels
