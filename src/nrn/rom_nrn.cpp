// The C ABI of rom_nrn.h over rom::TrainedModel. Everything that allocates or
// can throw happens in rom_nrn_open; the per-step path only does arithmetic.
#include "nrn/rom_nrn.h"

#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "rom/errors.hpp"
#include "rom/model_spec.hpp"
#include "rom/trained_model.hpp"
#include "rom/weights_io.hpp"

struct rom_nrn_model {
  rom::TrainedModel trained;
  rom::StreamState state;
  std::string description;
  std::string input_list;
  std::string output_list;
};

namespace {

void write_message(char* message, std::size_t message_size, const std::string& text) {
  if (message == nullptr || message_size == 0) return;
  const std::size_t n = text.size() < message_size - 1 ? text.size() : message_size - 1;
  std::memcpy(message, text.data(), n);
  message[n] = '\0';
}

std::string join_names(const std::vector<rom::Channel>& channels) {
  std::string joined;
  for (const rom::Channel& channel : channels) {
    if (!joined.empty()) joined += ", ";
    joined += channel.name;
  }
  return joined;
}

const std::vector<rom::Channel>* channels_of(const rom_nrn_model* model, int kind) {
  if (model == nullptr) return nullptr;
  if (kind == ROM_NRN_INPUT) return &model->trained.inputs;
  if (kind == ROM_NRN_OUTPUT) return &model->trained.outputs;
  return nullptr;
}

const rom::Channel* channel_at(const rom_nrn_model* model, int kind, int index) {
  const std::vector<rom::Channel>* channels = channels_of(model, kind);
  if (channels == nullptr || index < 0 || index >= static_cast<int>(channels->size()))
    return nullptr;
  return &(*channels)[static_cast<std::size_t>(index)];
}

}  // namespace

extern "C" {

int rom_nrn_abi_version(void) { return ROM_NRN_ABI_VERSION; }

int rom_nrn_open(const char* path, rom_nrn_model** out_model, char* message,
                 std::size_t message_size) {
  if (out_model == nullptr) {
    write_message(message, message_size, "rom_nrn_open: out_model is NULL");
    return ROM_NRN_INTERNAL_ERROR;
  }
  *out_model = nullptr;
  if (path == nullptr || path[0] == '\0') {
    write_message(message, message_size, "no weights file given");
    return ROM_NRN_INPUT_ERROR;
  }
  try {
    rom_nrn_model* model = new rom_nrn_model{rom::load_weights(path), {}, {}, {}, {}};
    model->state = model->trained.make_state();
    model->description = rom::describe(model->trained.model.spec());
    model->input_list = join_names(model->trained.inputs);
    model->output_list = join_names(model->trained.outputs);
    *out_model = model;
    write_message(message, message_size, "");
    return ROM_NRN_OK;
  } catch (const rom::InputError& error) {
    write_message(message, message_size, error.what());
    return ROM_NRN_INPUT_ERROR;
  } catch (const std::exception& error) {
    write_message(message, message_size, std::string(path) + ": internal error: " + error.what());
    return ROM_NRN_INTERNAL_ERROR;
  } catch (...) {
    write_message(message, message_size, std::string(path) + ": internal error");
    return ROM_NRN_INTERNAL_ERROR;
  }
}

void rom_nrn_close(rom_nrn_model* model) { delete model; }

int rom_nrn_n_inputs(const rom_nrn_model* model) {
  return model ? static_cast<int>(model->trained.inputs.size()) : 0;
}

int rom_nrn_n_outputs(const rom_nrn_model* model) {
  return model ? static_cast<int>(model->trained.outputs.size()) : 0;
}

double rom_nrn_dt_ms(const rom_nrn_model* model) { return model ? model->trained.dt_ms : 0.0; }

int rom_nrn_hidden(const rom_nrn_model* model) {
  return model ? model->trained.model.spec().hidden : 0;
}

const char* rom_nrn_describe(const rom_nrn_model* model) {
  return model ? model->description.c_str() : "";
}

const char* rom_nrn_channel_name(const rom_nrn_model* model, int kind, int index) {
  const rom::Channel* channel = channel_at(model, kind, index);
  return channel ? channel->name.c_str() : nullptr;
}

const char* rom_nrn_channel_unit(const rom_nrn_model* model, int kind, int index) {
  const rom::Channel* channel = channel_at(model, kind, index);
  return channel ? channel->unit.c_str() : nullptr;
}

int rom_nrn_channel_index(const rom_nrn_model* model, int kind, const char* name) {
  const std::vector<rom::Channel>* channels = channels_of(model, kind);
  if (channels == nullptr || name == nullptr) return -1;
  for (std::size_t i = 0; i < channels->size(); ++i) {
    if ((*channels)[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

const char* rom_nrn_channel_list(const rom_nrn_model* model, int kind) {
  if (model == nullptr) return "";
  if (kind == ROM_NRN_INPUT) return model->input_list.c_str();
  if (kind == ROM_NRN_OUTPUT) return model->output_list.c_str();
  return "";
}

void rom_nrn_reset(rom_nrn_model* model) {
  if (model) model->trained.reset(model->state);
}

int rom_nrn_step(rom_nrn_model* model, const double* x, double* y) {
  // A try block costs nothing unless something throws; nothing may cross the ABI.
  try {
    model->trained.step(model->state, x, y);
    return ROM_NRN_OK;
  } catch (...) {
    return ROM_NRN_INTERNAL_ERROR;
  }
}

}  // extern "C"
