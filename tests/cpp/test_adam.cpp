// Adam against a hand computation (Keras' form, epsilon 1e-7).
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "rom/adam.hpp"

BOOST_AUTO_TEST_SUITE(adam)

BOOST_AUTO_TEST_CASE(two_steps_match_the_hand_computation) {
  // lr 0.1, theta = (1, -2).
  // Step 1, g = (0.5, -0.1): m = 0.1 g = (0.05, -0.01), v = 0.001 g^2 =
  // (2.5e-4, 1e-5), alpha = 0.1 sqrt(1 - 0.999) / (1 - 0.9) = sqrt(0.001).
  //   theta0 = 1 - sqrt(0.001) * 0.05 / (sqrt(2.5e-4) + 1e-7) = 0.9000006324515321
  //   theta1 = -2 + sqrt(0.001) * 0.01 / (sqrt(1e-5) + 1e-7) = -1.9000031621776634
  // (a step of almost exactly lr against the sign of g, as Adam's first step is).
  // Step 2, g = (-0.2, 0.3): m0 = 0.9 * 0.05 - 0.02 = 0.025,
  // v0 = 0.999 * 2.5e-4 + 0.001 * 0.04 = 2.8975e-4,
  // alpha = 0.1 sqrt(1 - 0.999^2) / (1 - 0.9^2) = 0.023531672532745275,
  //   theta0 = 0.9000006324515321 - alpha * 0.025 / (sqrt(2.8975e-4) + 1e-7) = 0.8654402506933558
  //   theta1 = -1.9494216512977696 likewise (m1 = 0.021, v1 = 9.999e-5).
  rom::Adam adam(2, 0.1);
  double theta[2] = {1.0, -2.0};
  const double g1[2] = {0.5, -0.1};
  adam.step(theta, g1);
  BOOST_TEST(adam.steps_taken() == 1);
  BOOST_TEST(std::abs(theta[0] - 0.9000006324515321) < 1e-15);
  BOOST_TEST(std::abs(theta[1] - -1.9000031621776634) < 1e-15);
  const double g2[2] = {-0.2, 0.3};
  adam.step(theta, g2);
  BOOST_TEST(std::abs(theta[0] - 0.8654402506933558) < 1e-15);
  BOOST_TEST(std::abs(theta[1] - -1.9494216512977696) < 1e-15);
}

BOOST_AUTO_TEST_CASE(epsilon_damps_tiny_gradients) {
  // With |g| far below eps / sqrt(1 - beta2) ~ 3.2e-6 the first step is
  // about lr |g| sqrt(0.001) / eps, not lr.
  rom::Adam adam(1, 0.1);
  double theta = 0.0;
  const double g = 1e-9;
  adam.step(&theta, &g);
  const double expected = -std::sqrt(0.001) * 1e-10 / (std::sqrt(1e-3 * 1e-18) + 1e-7);
  BOOST_TEST(std::abs(theta - expected) < 1e-18);
  BOOST_TEST(std::abs(theta) < 1e-3 * 0.1);
}

BOOST_AUTO_TEST_SUITE_END()
