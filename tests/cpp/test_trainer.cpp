// The training loop: options and data checks, what the history records, the
// kept epoch, one full-batch epoch against a hand-made Adam step, clipping
// and truncation.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>

#include "rom/adam.hpp"
#include "rom/bptt.hpp"
#include "rom/errors.hpp"
#include "rom/initialisation.hpp"
#include "rom/random.hpp"
#include "rom/trainer.hpp"
#include "test_support.hpp"

using namespace rom;

namespace {

const ModelSpec kSpec{CellType::Gru, GruVariant::Classic, 3, 4, 2};

std::vector<Sequence> random_set(int count, int steps, std::uint64_t seed) {
  std::vector<Sequence> set;
  for (int k = 0; k < count; ++k) set.push_back(test::random_sequence(kSpec, steps, seed + 2 * k));
  return set;
}

TrainOptions quick(int epochs) {
  TrainOptions options;
  options.epochs = epochs;
  options.threads = 1;
  return options;
}

// The model train() starts from (documented: seed stream 0 initialises).
SequenceModel initial_model(const ModelSpec& spec, std::uint64_t seed) {
  SequenceModel model(spec);
  initialise_keras(model, derive_seed(seed, 0));
  return model;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(trainer)

BOOST_AUTO_TEST_CASE(default_learning_rates_are_the_studys) {
  BOOST_TEST(default_learning_rate(CellType::Rnn) == 0.001);
  BOOST_TEST(default_learning_rate(CellType::Lstm) == 0.05);
  BOOST_TEST(default_learning_rate(CellType::Gru) == 0.05);
}

BOOST_AUTO_TEST_CASE(bad_options_and_data_are_refused) {
  const auto train_set = random_set(3, 10, 1);
  const auto valid_set = random_set(1, 10, 50);
  auto refused = [&](TrainOptions options) {
    BOOST_CHECK_THROW(train(kSpec, train_set, valid_set, options), InputError);
  };
  TrainOptions o = quick(1);
  o.epochs = 0;
  refused(o);
  o = quick(1);
  o.batch_size = 0;
  refused(o);
  o = quick(1);
  o.threads = 0;
  refused(o);
  o = quick(1);
  o.truncation = -1;
  refused(o);
  o = quick(1);
  o.learning_rate = std::nan("");
  refused(o);
  o = quick(1);
  o.clip_norm = -1.0;
  refused(o);

  BOOST_CHECK_THROW(train(kSpec, {}, valid_set, quick(1)), InputError);
  BOOST_CHECK_THROW(train(kSpec, train_set, {}, quick(1)), InputError);
  auto bad = train_set;
  bad[1].y.conservativeResize(9, Eigen::NoChange);
  BOOST_CHECK_THROW(train(kSpec, bad, valid_set, quick(1)), InputError);
  bad = train_set;
  bad[2].x.conservativeResize(Eigen::NoChange, 2);
  BOOST_CHECK_THROW(train(kSpec, bad, valid_set, quick(1)), InputError);
  bad = train_set;
  bad[0].x(3, 1) = std::numeric_limits<double>::infinity();
  try {
    train(kSpec, bad, valid_set, quick(1));
    BOOST_FAIL("an Inf in the data was accepted");
  } catch (const InputError& e) {
    BOOST_TEST(std::string(e.what()) == "training sequence 0: NaN or Inf in the data");
  }
}

BOOST_AUTO_TEST_CASE(history_and_kept_epoch) {
  const auto train_set = random_set(5, 30, 1);
  const auto valid_set = random_set(2, 30, 50);
  TrainOptions options = quick(25);
  options.batch_size = 2;
  const TrainResult result = train(kSpec, train_set, valid_set, options);
  BOOST_TEST_REQUIRE(result.history.size() == 25u);
  int argmin = 0;
  for (int e = 0; e < 25; ++e) {
    BOOST_TEST(result.history[e].epoch == e + 1);
    if (result.history[e].valid_rmse < result.history[argmin].valid_rmse) argmin = e;
  }
  BOOST_TEST(result.best_epoch == argmin + 1);
  BOOST_TEST(result.best_valid_rmse == result.history[argmin].valid_rmse);
  // The kept model is that epoch's: evaluating it gives the same bits.
  BOOST_TEST(pooled_rmse(result.best_model, valid_set) == result.best_valid_rmse);
  // Training fits the training set (the targets are noise, so validation need not improve).
  BOOST_TEST(result.history.back().train_rmse < 0.9 * result.history.front().train_rmse);
}

BOOST_AUTO_TEST_CASE(one_full_batch_epoch_is_one_adam_step_on_the_mse) {
  const auto train_set = random_set(4, 20, 7);
  const auto valid_set = random_set(1, 20, 60);
  TrainOptions options = quick(1);
  options.learning_rate = 0.01;
  options.seed = 5;
  const TrainResult result = train(kSpec, train_set, valid_set, options);

  const SequenceModel start = initial_model(kSpec, 5);
  // The epoch's training RMSE is measured before the update.
  BOOST_TEST(std::abs(result.history[0].train_rmse - pooled_rmse(start, train_set)) < 1e-15);
  Eigen::VectorXd theta = start.packed_parameters();
  Eigen::VectorXd grad = Eigen::VectorXd::Zero(theta.size());
  BpttWorkspace ws;
  const double count = 4 * 20 * 2;
  for (const Sequence& s : train_set) {
    sequence_sse_gradient(start, theta.data(), test::columns(s), 1.0 / count, 0, ws, grad.data());
  }
  Adam adam(theta.size(), 0.01);
  adam.step(theta.data(), grad.data());
  const Eigen::VectorXd trained = result.best_model.packed_parameters();
  BOOST_TEST((trained - theta).cwiseAbs().maxCoeff() < 1e-15);
  BOOST_TEST((trained - start.packed_parameters()).cwiseAbs().maxCoeff() > 1e-3);
}

BOOST_AUTO_TEST_CASE(clipping_and_truncation_change_the_update) {
  const auto train_set = random_set(4, 24, 7);
  const auto valid_set = random_set(1, 24, 60);
  const Eigen::VectorXd start = initial_model(kSpec, 1).packed_parameters();
  auto moved = [&](const TrainOptions& options) {
    return train(kSpec, train_set, valid_set, options).best_model.packed_parameters();
  };
  TrainOptions options = quick(1);
  const Eigen::VectorXd plain = moved(options);
  // A clip norm far below the gradient's makes Adam's first step tiny (its
  // epsilon then dominates the normalisation).
  options.clip_norm = 1e-12;
  BOOST_TEST((moved(options) - start).cwiseAbs().maxCoeff() < 1e-6);
  // A clip norm above the gradient's changes nothing.
  options.clip_norm = 1e6;
  BOOST_TEST(((moved(options) - plain).array() == 0.0).all());
  options.clip_norm = 0.0;
  options.truncation = 4;
  BOOST_TEST((moved(options) - plain).cwiseAbs().maxCoeff() > 1e-9);
}

BOOST_AUTO_TEST_CASE(train_from_continues_from_the_given_model) {
  const auto train_set = random_set(3, 20, 3);
  const auto valid_set = random_set(1, 20, 70);
  TrainOptions options = quick(6);
  const TrainResult whole = train(kSpec, train_set, valid_set, options);
  // One more epoch starts from the trained model: its first training RMSE is
  // that model's.
  options.epochs = 1;
  const TrainResult more = train_from(whole.best_model, train_set, valid_set, options);
  BOOST_TEST(more.history.size() == 1u);
  BOOST_TEST(std::abs(more.history[0].train_rmse - pooled_rmse(whole.best_model, train_set)) <
             1e-15);
  BOOST_TEST((more.best_model.packed_parameters() - whole.best_model.packed_parameters()).norm() >
             0.0);
}

BOOST_AUTO_TEST_CASE(pooled_rmse_of_a_zero_model_is_the_rms_of_the_targets) {
  const SequenceModel zero(kSpec);
  const auto set = random_set(3, 11, 9);
  double sum_sq = 0.0;
  for (const Sequence& s : set) sum_sq += s.y.squaredNorm();
  BOOST_TEST(std::abs(pooled_rmse(zero, set) - std::sqrt(sum_sq / (3 * 11 * 2))) < 1e-15);
  BOOST_CHECK_THROW(pooled_rmse(zero, {}), InputError);
}

BOOST_AUTO_TEST_SUITE_END()
