// Training of a SequenceModel by backpropagation through time and Adam on the
// mean squared error, as in Barbulescu et al. (2023): mini-batches of whole
// sequences, shuffled every epoch, the epoch with the best validation loss
// kept. See docs/model.md for the details and the determinism guarantee.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "rom/sequence_model.hpp"

namespace rom {

struct Sequence {
  Eigen::MatrixXd x;  // T x n_inputs, in model units
  Eigen::MatrixXd y;  // T x n_outputs, in model units
};

struct TrainOptions {
  int epochs = 1000;
  int batch_size = 32;
  double learning_rate = 0.0;  // 0 means default_learning_rate(cell)
  int truncation = 0;          // BPTT truncation length in steps; 0 = whole sequence
  double clip_norm = 0.0;      // global gradient-norm clipping; 0 = off
  std::uint64_t seed = 1;
  int threads = 2;        // result is bitwise identical for any value
  bool progress = false;  // epoch / losses / time left on stderr (only when it is a terminal)
};

struct EpochRecord {
  int epoch;          // 1-based
  double train_rmse;  // pooled over the epoch's mini-batches, each before its update (as Keras)
  double valid_rmse;  // pooled over the validation set after the epoch's updates
};

struct TrainResult {
  SequenceModel best_model;
  int best_epoch;
  double best_valid_rmse;
  std::vector<EpochRecord> history;
};

// RNN 0.001, LSTM and GRU 0.05 (the study's).
double default_learning_rate(CellType cell);

// Initialises a model from options.seed (Keras' scheme) and trains it. Throws
// InputError on empty sets, shape mismatches, non-finite data or bad options.
TrainResult train(const ModelSpec& spec, const std::vector<Sequence>& train_set,
                  const std::vector<Sequence>& valid_set, const TrainOptions& options);

// Continues from a given model (e.g. a loaded one) instead of a fresh one.
TrainResult train_from(const SequenceModel& initial, const std::vector<Sequence>& train_set,
                       const std::vector<Sequence>& valid_set, const TrainOptions& options);

// Pooled RMSE over all steps, outputs and sequences (the study's measure).
double pooled_rmse(const SequenceModel& model, const std::vector<Sequence>& set);

}  // namespace rom
