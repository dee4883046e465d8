/* rom_nrn: the C ABI between a trained reduced-order model (C++, src/rom/) and
 * NEURON's mechanisms (mod/RomModel.mod). Only C types cross this boundary and
 * no C++ exception escapes it: every call that can fail returns a status code
 * and writes a one-line message into a caller-provided buffer.
 *
 * Units are those of the weights file (NEURON's: inputs nA, outputs mV, time
 * ms). Which NMODL block calls which function is documented in
 * docs/mechanism.md.
 *
 * This header is included from NMODL VERBATIM blocks, where NEURON #defines
 * `v`, `t`, `dt` and every RANGE name: it must not use such identifiers, not
 * even as parameter names. */
#ifndef ROM_NRN_H
#define ROM_NRN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a declaration below changes meaning. */
#define ROM_NRN_ABI_VERSION 1

/* Status codes. */
#define ROM_NRN_OK 0
#define ROM_NRN_INPUT_ERROR 1    /* bad file, bad name, bad value: the message says which */
#define ROM_NRN_INTERNAL_ERROR 2 /* a bug or resource exhaustion */

/* Channel kinds for rom_nrn_channel_name / rom_nrn_channel_index. */
#define ROM_NRN_INPUT 0
#define ROM_NRN_OUTPUT 1

/* One loaded model with its own recurrent state. Not shared between threads;
 * distinct handles are independent. */
typedef struct rom_nrn_model rom_nrn_model;

int rom_nrn_abi_version(void);

/* Load a weights file (running its self-test) and make a zero-state model.
 * On success *out_model is set and ROM_NRN_OK returned; otherwise *out_model
 * is NULL and message holds the reason (truncated to message_size - 1). */
int rom_nrn_open(const char* path, rom_nrn_model** out_model, char* message, size_t message_size);

/* Release the model; NULL is allowed. */
void rom_nrn_close(rom_nrn_model* model);

int rom_nrn_n_inputs(const rom_nrn_model* model);
int rom_nrn_n_outputs(const rom_nrn_model* model);
/* The time step the model was trained at, in ms. */
double rom_nrn_dt_ms(const rom_nrn_model* model);
/* Hidden size of the recurrent layer. */
int rom_nrn_hidden(const rom_nrn_model* model);
/* e.g. "GRU-4 (classic), 4 inputs, 4 outputs"; owned by the model. */
const char* rom_nrn_describe(const rom_nrn_model* model);

/* Name / unit of channel `index` of `kind`; NULL when out of range. The string
 * is owned by the model. */
const char* rom_nrn_channel_name(const rom_nrn_model* model, int kind, int index);
const char* rom_nrn_channel_unit(const rom_nrn_model* model, int kind, int index);
/* Index of the channel called `name`, or -1. */
int rom_nrn_channel_index(const rom_nrn_model* model, int kind, const char* name);
/* Comma-separated channel names of `kind` (for error messages); owned by the model. */
const char* rom_nrn_channel_list(const rom_nrn_model* model, int kind);

/* Zero the recurrent state (called on every finitialize). */
void rom_nrn_reset(rom_nrn_model* model);

/* Advance one model time step: x holds n_inputs values, y receives n_outputs
 * values, both in physical units. No allocation, no file access, no locks.
 * Returns ROM_NRN_OK, or ROM_NRN_INTERNAL_ERROR if the evaluator failed (a
 * bug; y is then unspecified). */
int rom_nrn_step(rom_nrn_model* model, const double* x, double* y);

#ifdef __cplusplus
}
#endif

#endif /* ROM_NRN_H */
