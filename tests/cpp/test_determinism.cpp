// The same seed gives the same bits, whatever the number of threads.
#include <boost/test/unit_test.hpp>

#include "rom/trainer.hpp"
#include "test_support.hpp"

using namespace rom;

namespace {

TrainResult run(const ModelSpec& spec, int threads, std::uint64_t seed) {
  std::vector<Sequence> train_set, valid_set;
  // 7 sequences of different lengths, batches of 3: uneven batches.
  for (int k = 0; k < 7; ++k) train_set.push_back(test::random_sequence(spec, 40 + 5 * k, 100 + k));
  for (int k = 0; k < 3; ++k) valid_set.push_back(test::random_sequence(spec, 50, 200 + k));
  TrainOptions options;
  options.epochs = 8;
  options.batch_size = 3;
  options.threads = threads;
  options.seed = seed;
  options.truncation = 16;
  options.clip_norm = 0.5;
  return train(spec, train_set, valid_set, options);
}

void check_identical(const TrainResult& a, const TrainResult& b) {
  BOOST_TEST(
      (a.best_model.packed_parameters().array() == b.best_model.packed_parameters().array()).all());
  BOOST_TEST(a.best_epoch == b.best_epoch);
  BOOST_TEST_REQUIRE(a.history.size() == b.history.size());
  for (std::size_t e = 0; e < a.history.size(); ++e) {
    BOOST_TEST(a.history[e].train_rmse == b.history[e].train_rmse);
    BOOST_TEST(a.history[e].valid_rmse == b.history[e].valid_rmse);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(determinism)

BOOST_AUTO_TEST_CASE(bitwise_identical_on_1_2_and_3_threads) {
  for (CellType cell : {CellType::Rnn, CellType::Lstm, CellType::Gru}) {
    const ModelSpec spec{cell, GruVariant::ResetAfter, 3, 6, 2};
    const TrainResult one = run(spec, 1, 17);
    check_identical(one, run(spec, 2, 17));
    check_identical(one, run(spec, 3, 17));
    check_identical(one, run(spec, 2, 17));  // and again
  }
}

BOOST_AUTO_TEST_CASE(another_seed_gives_another_model) {
  const ModelSpec spec{CellType::Gru, GruVariant::Classic, 3, 6, 2};
  const TrainResult a = run(spec, 2, 17);
  const TrainResult b = run(spec, 2, 18);
  BOOST_TEST((a.best_model.packed_parameters() - b.best_model.packed_parameters()).norm() > 1e-3);
}

BOOST_AUTO_TEST_SUITE_END()
