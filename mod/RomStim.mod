COMMENT
RomStim: the stimulus electrode of a reduced network's input neuron. It injects
a piecewise-constant current i = amp (ELECTRODE_CURRENT: positive depolarises)
taken from its own copy of a table of (time, amplitude) entries, set with
play(times, amplitudes): entry j sets amp from the step whose middle reaches
times[j] on. RomModel reads i through its input pointer.

This is what an IClamp with delay 0, a long dur and its amp driven by
Vector.play(&amp, times) injects, to the bit under the fixed-step method:
NEURON delivers such a play event before the first step whose middle is at or
after its time, and at finitialize when the time is 0 (here: INITIAL). It costs
no event per sample and no delay/dur tests (reduced_network.py uses it; see
docs/benchmarks.md). Fixed step only: under CVODE there is no step middle, and
INITIAL refuses it.

Units: times ms, amp and i nA.
ENDCOMMENT

NEURON {
    THREADSAFE
    POINT_PROCESS RomStim
    ELECTRODE_CURRENT i
    RANGE amp, i
    BBCOREPOINTER table
}

UNITS {
    (nA) = (nanoamp)
}

ASSIGNED {
    amp (nA)
    i (nA)
    table   : opaque pointer to the RomStimTable below
}

VERBATIM
#include <cstddef>
#include <vector>

namespace {

// One instance's table; allocated by play() (set-up time), never while running.
struct RomStimTable {
  std::vector<double> times;       // ms, non-decreasing
  std::vector<double> amplitudes;  // nA
  std::size_t next = 0;            // first entry not applied yet
};

RomStimTable* rom_stim_table_of(void* opaque) { return static_cast<RomStimTable*>(opaque); }

// Apply every entry due at time `now`; the last one sets *level (amp).
void rom_stim_apply_due(RomStimTable* entries, double now, double* level) {
  const std::size_t n = entries->times.size();
  while (entries->next < n && entries->times[entries->next] <= now) {
    *level = entries->amplitudes[entries->next];
    ++entries->next;
  }
}

}  // namespace

extern int cvode_active_;

// BBCOREPOINTER requires these; the table cannot be handed to CoreNEURON.
static void bbcore_write(double*, int*, int*, int*, _threadargsproto_) {
  hoc_execerror("RomStim: CoreNEURON is not supported", nullptr);
}
static void bbcore_read(double*, int*, int*, int*, _threadargsproto_) {
  hoc_execerror("RomStim: CoreNEURON is not supported", nullptr);
}
ENDVERBATIM

CONSTRUCTOR {
VERBATIM
    _p_table = nullptr;
ENDVERBATIM
}

DESTRUCTOR {
VERBATIM
    delete rom_stim_table_of(_p_table);
    _p_table = nullptr;
ENDVERBATIM
}

INITIAL {
    i = 0
VERBATIM
    if (cvode_active_ != 0) {
        hoc_execerror("RomStim: only the fixed-step method is supported (CVODE is on)", nullptr);
    }
    RomStimTable* entries = rom_stim_table_of(_p_table);
    if (entries != nullptr) {
        entries->next = 0;
        rom_stim_apply_due(entries, t, &amp);
    }
ENDVERBATIM
}

: Under the fixed step, t here is the middle of the step. NEURON evaluates this
: twice per step (at v + 0.001 and at v, for the conductance); the second call
: finds nothing more due. Here rather than in a BEFORE BREAKPOINT block, which
: costs a call per instance and step of its own.
BREAKPOINT {
VERBATIM
    RomStimTable* entries = rom_stim_table_of(_p_table);
    if (entries != nullptr) {
        rom_stim_apply_due(entries, t, &amp);
    }
ENDVERBATIM
    i = amp
}

: play(times, amplitudes): copy the table (two Vectors of equal size, times in ms
: non-decreasing, amplitudes in nA); it applies from the next finitialize on.
FUNCTION play() {
VERBATIM
    IvocVect* times = vector_arg(1);
    IvocVect* amplitudes = vector_arg(2);
    const int n = vector_capacity(times);
    if (vector_capacity(amplitudes) != n) {
        hoc_execerror("RomStim: play(times, amplitudes): the two vectors differ in size", nullptr);
    }
    const double* t_values = vector_vec(times);
    const double* a_values = vector_vec(amplitudes);
    for (int j = 1; j < n; ++j) {
        if (!(t_values[j] >= t_values[j - 1])) {
            hoc_execerror("RomStim: play(times, amplitudes): times must be non-decreasing", nullptr);
        }
    }
    RomStimTable* entries = rom_stim_table_of(_p_table);
    if (entries == nullptr) {
        entries = new RomStimTable;
        _p_table = entries;
    }
    entries->times.assign(t_values, t_values + n);
    entries->amplitudes.assign(a_values, a_values + n);
    entries->next = 0;
ENDVERBATIM
    play = n
}
