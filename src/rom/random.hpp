// Random numbers with a fixed, documented mapping from std::mt19937_64 (whose
// output sequence the C++ standard fixes) to the distributions we use. The
// standard library's distributions are implementation-defined, so a seed would
// not give the same bits with another standard library.
#pragma once

#include <cstdint>
#include <random>

namespace rom {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  // Uniform on [0, 1): the top 53 bits of one draw, times 2^-53.
  double uniform01();
  // Uniform on [low, high): low + (high - low) * uniform01().
  double uniform(double low, double high);
  // Standard normal by Box-Muller from two draws u1, u2:
  // sqrt(-2 ln(1 - u1)) cos(2 pi u2) (the sine partner is not used).
  double normal();
  // Uniform integer in [0, n) by rejection (no modulo bias); n >= 1.
  std::uint64_t index(std::uint64_t n);

 private:
  std::mt19937_64 engine_;
};

// A seed for an independent stream derived from (seed, stream) by the
// SplitMix64 finaliser, e.g. one stream for initialisation, one for shuffling.
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream);

}  // namespace rom
