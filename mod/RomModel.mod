COMMENT
RomModel: a trained reduced-order recurrent model (RNN / LSTM / GRU + dense
readout) running inside NEURON through the C ABI of src/nrn/rom_nrn.h.

Each instance
- loads a weights file (load_weights(path); the load runs its self-test),
- reads its inputs through data handles to the stimulus sources' currents
  (set_input(name, &stim.i)), kept valid by NEURON when it moves its data,
- writes each output into the target of a stiff clamp on the output neuron's
  soma (set_output(name, &clamp.vtarget), see RomClamp.mod); it never writes v,
- resets its recurrent state in INITIAL (every finitialize) and advances
  exactly once per model dt (the dt of the weights):
  - fixed step: in BEFORE STEP, which NEURON runs at the end of every step
    (t = t_new) and once in finitialize after the currents at t = 0 are
    computed; the model steps when t reaches t_k = k * model dt. This costs
    tens of ns per h.dt step, where a self-event costs about a microsecond.
    frecord_init() runs BEFORE STEP again at the same t: t_k has moved on by
    then, so nothing steps twice.
  - CVODE: self-events (net_send in INITIAL, then every model dt), which stop
    the integrator at t_k and re-initialise it after the clamp targets change.

Time alignment (docs/mechanism.md): step k runs at t_k. It reads each source
as NEURON last computed it: under fixed step, at the middle of the last h.dt
step before t_k, and at t_0 the value finitialize computed at t = 0; under
CVODE, the last evaluation before the event, and at t_0 the value left by the
INITIAL blocks (an IClamp's i is then 0). It computes y_k and sets the clamp
targets, which hold until t_{k+1}.

The per-step path (BEFORE STEP, NET_RECEIVE) does not allocate, open files or
lock. The instance and everything it reads or drives must be in the same thread.
Units: time ms, inputs and outputs in the units of the weights (nA, mV).
ENDCOMMENT

NEURON {
    THREADSAFE
    POINT_PROCESS RomModel
    BBCOREPOINTER binding
    RANGE model_dt_ms, n_steps
}

UNITS {
    (mV) = (millivolt)
}

ASSIGNED {
    model_dt_ms (ms)    : dt of the weights; 0 until load_weights
    n_steps             : model steps taken since the last finitialize
    by_events           : 1 when this run steps through self-events (CVODE), 0 in BEFORE STEP
    binding             : opaque pointer to the NEURON-side binding below
}

VERBATIM
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "rom_nrn.h"

namespace {

using RomHandle = neuron::container::data_handle<double>;

// Everything one RomModel instance owns. Allocated by load_weights and the
// set_* / record calls (setup time), never in the per-step path.
struct RomBinding {
  rom_nrn_model* model = nullptr;
  std::string weights_path;
  std::vector<RomHandle> sources;       // one per model input; empty handle = not set
  std::vector<RomHandle> targets;       // the attached outputs' RomClamp vtargets ...
  std::vector<std::size_t> target_index;  // ... and which model output each one takes
  std::vector<double> xs, ys;           // this step's inputs and outputs
  std::vector<double> recorded_inputs;  // row-major, one row per recorded step
  std::vector<double> recorded_outputs;
  long record_capacity = 0;             // steps the buffers can hold; 0 = not recording
  long n_recorded = 0;
  bool record_overflow = false;
  bool ready = false;  // checked by INITIAL since the last change; only then does it step
};

RomBinding* rom_binding_of(void* opaque) { return static_cast<RomBinding*>(opaque); }

RomBinding* rom_require_binding(void* opaque, const char* what) {
  RomBinding* bound = rom_binding_of(opaque);
  if (bound == nullptr || bound->model == nullptr) {
    hoc_execerror("RomModel: load_weights(path) must be called before", what);
  }
  return bound;
}

const char* rom_kind_name(int kind) { return kind == ROM_NRN_INPUT ? "input" : "output"; }

// Index of channel `name` of `kind`; a hoc error naming the known channels if there is none.
int rom_require_channel(RomBinding* bound, int kind, const char* name) {
  const int index = rom_nrn_channel_index(bound->model, kind, name);
  if (index < 0) {
    std::string message = bound->weights_path + " has no " + rom_kind_name(kind) + " channel '" + name +
                          "' (" + rom_kind_name(kind) + "s: " + rom_nrn_channel_list(bound->model, kind) + ")";
    hoc_execerror("RomModel:", message.c_str());
  }
  return index;
}

// Bind channel `name` of `kind` to the pointer argument 2 of the hoc call.
void rom_bind_channel(RomBinding* bound, int kind, const char* name) {
  const int index = rom_require_channel(bound, kind, name);
  // NEURON's units: the model reads currents in nA and sets voltages in mV.
  const std::string unit = rom_nrn_channel_unit(bound->model, kind, index);
  const char* want = kind == ROM_NRN_INPUT ? "nA" : "mV";
  if (unit != want) {
    std::string message = std::string(rom_kind_name(kind)) + " '" + name + "' of " + bound->weights_path +
                          " is in '" + unit + "'; inside NEURON it must be in '" + want + "'";
    hoc_execerror("RomModel:", message.c_str());
  }
  RomHandle handle = hoc_hgetarg<double>(2);
  if (!handle) {
    hoc_execerror("RomModel: invalid pointer for channel", name);
  }
  const std::size_t channel = static_cast<std::size_t>(index);
  bound->ready = false;
  if (kind == ROM_NRN_INPUT) {
    bound->sources[channel] = handle;
    return;
  }
  for (std::size_t i = 0; i < bound->target_index.size(); ++i) {
    if (bound->target_index[i] == channel) {
      bound->targets[i] = handle;
      return;
    }
  }
  bound->targets.push_back(handle);
  bound->target_index.push_back(channel);
}

[[noreturn]] void rom_unattached(RomBinding* bound, int kind, std::size_t channel) {
  std::string message = std::string(rom_kind_name(kind)) + " '" +
                        rom_nrn_channel_name(bound->model, kind, static_cast<int>(channel)) + "' of " +
                        bound->weights_path +
                        " is not attached, or what it was attached to (section, point process) was deleted";
  hoc_execerror("RomModel:", message.c_str());
}

// Called from INITIAL: every input and every attached output must still
// exist, and h.dt must divide the model dt under fixed step. Outputs that were
// never attached are computed but drive nothing.
void rom_check_ready(RomBinding* bound, double step_ms, bool variable_step) {
  for (std::size_t i = 0; i < bound->sources.size(); ++i) {
    if (!bound->sources[i]) rom_unattached(bound, ROM_NRN_INPUT, i);
  }
  for (std::size_t i = 0; i < bound->targets.size(); ++i) {
    if (!bound->targets[i]) rom_unattached(bound, ROM_NRN_OUTPUT, bound->target_index[i]);
  }
  const double model_step = rom_nrn_dt_ms(bound->model);
  if (!variable_step) {
    const double ratio = model_step / step_ms;
    const double whole = std::round(ratio);
    if (whole < 1.0 || std::fabs(ratio - whole) > 1e-9 * ratio) {
      char message[256];
      std::snprintf(message, sizeof message,
                    "h.dt = %.12g ms does not divide the model dt %.12g ms of %s (use model dt / n)", step_ms,
                    model_step, bound->weights_path.c_str());
      hoc_execerror("RomModel:", message);
    }
  }
}

// Where a handle points now (NEURON may have moved its data since the last
// step); a hoc error if what it referred to was deleted. The handle's
// conversion to a pointer inlines, where its operator* is an out-of-line call.
double* rom_resolve(RomBinding* bound, RomHandle& handle, int kind, std::size_t channel) {
  double* where = static_cast<double*>(handle);
  if (where == nullptr) rom_unattached(bound, kind, channel);
  return where;
}

// One model step: gather, step, scatter, record. No allocation.
void rom_advance(RomBinding* bound) {
  const std::size_t n_in = bound->xs.size();
  const std::size_t n_out = bound->ys.size();
  for (std::size_t i = 0; i < n_in; ++i) {
    bound->xs[i] = *rom_resolve(bound, bound->sources[i], ROM_NRN_INPUT, i);
  }
  if (rom_nrn_step(bound->model, bound->xs.data(), bound->ys.data()) != ROM_NRN_OK) {
    hoc_execerror("RomModel: the model evaluator failed (internal error) for", bound->weights_path.c_str());
  }
  for (std::size_t i = 0; i < bound->targets.size(); ++i) {
    const std::size_t channel = bound->target_index[i];
    *rom_resolve(bound, bound->targets[i], ROM_NRN_OUTPUT, channel) = bound->ys[channel];
  }
  if (bound->record_capacity > 0) {
    if (bound->n_recorded < bound->record_capacity) {
      const std::size_t row = static_cast<std::size_t>(bound->n_recorded);
      for (std::size_t i = 0; i < n_in; ++i) bound->recorded_inputs[row * n_in + i] = bound->xs[i];
      for (std::size_t i = 0; i < n_out; ++i) bound->recorded_outputs[row * n_out + i] = bound->ys[i];
      ++bound->n_recorded;
    } else {
      bound->record_overflow = true;
    }
  }
}

}  // namespace

extern int cvode_active_;

// BBCOREPOINTER requires these; the binding cannot be handed to CoreNEURON.
static void bbcore_write(double*, int*, int*, int*, _threadargsproto_) {
  hoc_execerror("RomModel: CoreNEURON is not supported", nullptr);
}
static void bbcore_read(double*, int*, int*, int*, _threadargsproto_) {
  hoc_execerror("RomModel: CoreNEURON is not supported", nullptr);
}
ENDVERBATIM

CONSTRUCTOR {
VERBATIM
    _p_binding = nullptr;
ENDVERBATIM
}

DESTRUCTOR {
VERBATIM
    RomBinding* bound = rom_binding_of(_p_binding);
    if (bound != nullptr) {
        rom_nrn_close(bound->model);
        delete bound;
        _p_binding = nullptr;
    }
ENDVERBATIM
}

INITIAL {
    n_steps = 0
VERBATIM
    RomBinding* bound = rom_require_binding(_p_binding, "finitialize");
    rom_check_ready(bound, dt, cvode_active_ != 0);
    rom_nrn_reset(bound->model);
    bound->n_recorded = 0;
    bound->record_overflow = false;
    bound->ready = true;
    by_events = cvode_active_ != 0 ? 1 : 0;
ENDVERBATIM
    if (by_events) {
        net_send(0, 1)
    }
}

BEFORE STEP {
VERBATIM
    RomBinding* bound = rom_binding_of(_p_binding);
    if (by_events == 0 && bound != nullptr && bound->ready) {
        // finitialize itself may run BEFORE STEP (at t = 0) before INITIAL has seen CVODE switched on.
        if (cvode_active_ != 0 && t > 0) {
            hoc_execerror("RomModel: CVODE was switched on after finitialize; call finitialize again", nullptr);
        }
        // t_k from k, not accumulated; half an h.dt absorbs the rounding of t.
        if (cvode_active_ == 0 && t >= n_steps * model_dt_ms - 0.5 * dt) {
            rom_advance(bound);
            n_steps += 1;
        }
    }
ENDVERBATIM
}

NET_RECEIVE(w) {
    if (flag == 1) {
VERBATIM
        RomBinding* bound = rom_binding_of(_p_binding);
        if (bound != nullptr && bound->ready) {
            rom_advance(bound);
ENDVERBATIM
            n_steps = n_steps + 1
            net_send(model_dt_ms, 1)
VERBATIM
        }
ENDVERBATIM
    }
}

: load_weights("path"): load the weights (running their self-test). Once per instance.
FUNCTION load_weights() {
VERBATIM
    if (_p_binding != nullptr) {
        hoc_execerror("RomModel: weights are already loaded from", rom_binding_of(_p_binding)->weights_path.c_str());
    }
    const char* path = hoc_gargstr(1);
    char message[1024];
    rom_nrn_model* loaded = nullptr;
    if (rom_nrn_open(path, &loaded, message, sizeof message) != ROM_NRN_OK) {
        hoc_execerror("RomModel:", message);
    }
    RomBinding* bound = new RomBinding;
    bound->model = loaded;
    bound->weights_path = path;
    bound->sources.resize(static_cast<std::size_t>(rom_nrn_n_inputs(loaded)));
    bound->xs.assign(bound->sources.size(), 0.0);
    bound->ys.assign(static_cast<std::size_t>(rom_nrn_n_outputs(loaded)), 0.0);
    _p_binding = bound;
    model_dt_ms = rom_nrn_dt_ms(loaded);
ENDVERBATIM
    load_weights = model_dt_ms
}

: set_input("name", &source): the model's input `name` reads *source (nA).
FUNCTION set_input() {
VERBATIM
    rom_bind_channel(rom_require_binding(_p_binding, "set_input"), ROM_NRN_INPUT, hoc_gargstr(1));
ENDVERBATIM
    set_input = 0
}

: set_output("name", &clamp.vtarget): the model's output `name` sets *target (mV).
: Outputs never attached are computed but drive nothing.
FUNCTION set_output() {
VERBATIM
    rom_bind_channel(rom_require_binding(_p_binding, "set_output"), ROM_NRN_OUTPUT, hoc_gargstr(1));
ENDVERBATIM
    set_output = 0
}

: channel_index(kind, "name"): index of input (kind 0) or output (kind 1) `name`; a hoc
: error naming the known channels if there is none.
FUNCTION channel_index(kind) {
VERBATIM
    RomBinding* bound = rom_require_binding(_p_binding, "channel_index");
    const int kind_ = static_cast<int>(_lkind);
    if (kind_ != ROM_NRN_INPUT && kind_ != ROM_NRN_OUTPUT) {
        hoc_execerror("RomModel: channel_index: kind must be 0 (inputs) or 1 (outputs)", nullptr);
    }
    _lchannel_index = rom_require_channel(bound, kind_, hoc_gargstr(2));
ENDVERBATIM
}

: n_channels(kind): number of inputs (kind 0) or outputs (kind 1).
FUNCTION n_channels(kind) {
VERBATIM
    RomBinding* bound = rom_require_binding(_p_binding, "n_channels");
    _ln_channels = _lkind == ROM_NRN_INPUT ? rom_nrn_n_inputs(bound->model) : rom_nrn_n_outputs(bound->model);
ENDVERBATIM
}

: channel_name(kind, index, strdef): name of an input (kind 0) or output (kind 1).
FUNCTION channel_name(kind, index) {
VERBATIM
    RomBinding* bound = rom_require_binding(_p_binding, "channel_name");
    const char* name = rom_nrn_channel_name(bound->model, static_cast<int>(_lkind), static_cast<int>(_lindex));
    if (name == nullptr) {
        hoc_execerror("RomModel: channel_name: no such channel", nullptr);
    }
    hoc_assign_str(hoc_pgargstr(3), name);
ENDVERBATIM
    channel_name = 0
}

: hidden(): hidden size of the recurrent layer.
FUNCTION hidden() {
VERBATIM
    _lhidden = rom_nrn_hidden(rom_require_binding(_p_binding, "hidden")->model);
ENDVERBATIM
}

: record(max_steps): keep the inputs and outputs of up to max_steps steps after
: each finitialize (0 stops recording). Allocates now, never while running.
FUNCTION record(max_steps) {
VERBATIM
    RomBinding* bound = rom_require_binding(_p_binding, "record");
    if (_lmax_steps < 0 || _lmax_steps > 1e9) {
        hoc_execerror("RomModel: record(max_steps): max_steps must be in [0, 1e9]", nullptr);
    }
    bound->record_capacity = static_cast<long>(_lmax_steps);
    bound->recorded_inputs.assign(static_cast<std::size_t>(bound->record_capacity) * bound->sources.size(), 0.0);
    bound->recorded_outputs.assign(static_cast<std::size_t>(bound->record_capacity) * bound->ys.size(), 0.0);
    bound->n_recorded = 0;
    bound->record_overflow = false;
ENDVERBATIM
    record = 0
}

: recorded(kind, index, vector): copy the recorded sequence of one input
: (kind 0) or output (kind 1) into vector; returns the number of steps.
: A hoc error if more steps ran than record() made room for.
FUNCTION recorded(kind, index) {
VERBATIM
    RomBinding* bound = rom_require_binding(_p_binding, "recorded");
    if (bound->record_overflow) {
        hoc_execerror("RomModel: more steps ran than record(max_steps) made room for", nullptr);
    }
    const int kind_ = static_cast<int>(_lkind);
    const std::size_t width = kind_ == ROM_NRN_INPUT ? bound->xs.size() : bound->ys.size();
    const long column = static_cast<long>(_lindex);
    if ((kind_ != ROM_NRN_INPUT && kind_ != ROM_NRN_OUTPUT) || column < 0 || column >= static_cast<long>(width)) {
        hoc_execerror("RomModel: recorded: no such channel", nullptr);
    }
    const std::vector<double>& rows = kind_ == ROM_NRN_INPUT ? bound->recorded_inputs : bound->recorded_outputs;
    IvocVect* out = vector_arg(3);
    vector_resize(out, static_cast<int>(bound->n_recorded));
    double* values = vector_vec(out);
    for (long k = 0; k < bound->n_recorded; ++k) {
        values[k] = rows[static_cast<std::size_t>(k) * width + static_cast<std::size_t>(column)];
    }
    _lrecorded = static_cast<double>(bound->n_recorded);
ENDVERBATIM
}

: describe(strdef): e.g. "GRU-4 (classic), 4 inputs, 4 outputs".
FUNCTION describe() {
VERBATIM
    hoc_assign_str(hoc_pgargstr(1), rom_nrn_describe(rom_require_binding(_p_binding, "describe")->model));
ENDVERBATIM
    describe = 0
}
