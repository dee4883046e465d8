// Small dense-algebra loops on raw column-major arrays. The models are tiny
// (hidden sizes 4..64), where Eigen's dynamic-size expressions cost more than
// the arithmetic; these loops run at the speed of the arithmetic and are
// deterministic (fixed summation order, no reassociation).
#pragma once

#include <cmath>
#include <cstddef>

namespace rom::kernels {

// y += A x, A is rows x cols column-major.
inline void add_matvec(int rows, int cols, const double* A, const double* x, double* y) {
  for (int j = 0; j < cols; ++j) {
    const double xj = x[j];
    const double* a = A + static_cast<std::ptrdiff_t>(j) * rows;
    for (int i = 0; i < rows; ++i) y[i] += a[i] * xj;
  }
}

// y += A^T v, A is rows x cols column-major (y has cols entries).
inline void add_matvec_transposed(int rows, int cols, const double* A, const double* v, double* y) {
  for (int j = 0; j < cols; ++j) {
    const double* a = A + static_cast<std::ptrdiff_t>(j) * rows;
    double sum = 0.0;
    for (int i = 0; i < rows; ++i) sum += a[i] * v[i];
    y[j] += sum;
  }
}

// G += u v^T, G is rows x cols column-major.
inline void add_outer(int rows, int cols, const double* u, const double* v, double* G) {
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
