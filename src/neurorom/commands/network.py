"""`./neurorom network [--scenario NAME] [--ablate NAMES] [--params SET] [--table c302|varshney] [--json]`

Builds the high-fidelity network and prints what it is made of: neurons, sections and segments,
chemical connections and synapses (excitatory / inhibitory), gap-junction pairs and junctions, and
the connectome table. With --scenario, also each input's and output's connections.
"""

import argparse
import json

from neurorom.command_line import CommandParser
from neurorom.errors import InputError
from neurorom.run_options import ablated_neurons


def _parser() -> argparse.ArgumentParser:
    parser = CommandParser(prog="./neurorom network",
                           description="Summary of the high-fidelity 302-neuron network.")
    parser.add_argument("--scenario", help="also describe this scenario's inputs and outputs (fcm, fcm16, nictation)")
    parser.add_argument("--ablate", action="append", default=[], metavar="NAMES",
                        help="comma-separated neurons removed from the network, e.g. AVBL,AVBR (repeatable)")
    parser.add_argument("--params", default="default", help="parameter set: params/<name>.json or a path")
    parser.add_argument("--table", default="c302", help="connectome table: c302 (default) or varshney")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def neuron_connections(model, name: str) -> dict:
    """Synapse and junction counts of one neuron in the built network."""
    c = model.connectome
    return {
        "chemical_synapses_in": sum(x.count for x in c.chemical if x.post == name),
        "chemical_synapses_out": sum(x.count for x in c.chemical if x.pre == name),
        "gap_junctions": sum(g.count for g in c.gap if name in (g.a, g.b)),
    }


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    ablate = ablated_neurons(args.ablate)
    scenario = None
    if args.scenario:
        from neurorom.scenarios import load_scenario
        scenario = load_scenario(args.scenario)
    from neurorom.connectome_model import ConnectomeModel  # NEURON loads only now

    model = ConnectomeModel(params=args.params, table=args.table, ablate=ablate)
    report = model.summary()
    report["build_seconds"] = round(model.build_seconds, 3)
    report["provenance"] = model.provenance()
    if scenario is not None:
        roles = [(n, "input") for n in scenario.inputs] + [(n, "output") for n in scenario.outputs]
        for name, role in roles:
            if name not in model.connectome.neurons and name not in model.ablated:
                raise InputError(f"scenario {scenario.name}: unknown {role} neuron {name!r}")
        report["scenario"] = {
            "name": scenario.name,
            "neurons": [{"name": n, "role": role, "ablated": n in model.ablated, **neuron_connections(model, n)}
                        for n, role in roles],
        }

    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    prov = report["provenance"]
    print(f"high-fidelity network: table {report['table']} ({prov['connectome_table']['file']}), "
          f"parameter set {prov['parameter_set']['name']}, c302 {prov['c302_version']}, "
          f"NEURON {prov['neuron_version']}")
    print(f"  neurons                {report['neurons']}")
    print(f"  sections               {report['sections']}")
    print(f"  segments               {report['segments']}  (d_lambda {prov['nseg_rule']['d_lambda']:g} "
          f"at {prov['nseg_rule']['frequency_hz']:g} Hz)")
    print(f"  chemical connections   {report['chemical_connections']}  ({report['chemical_synapses']} synapses: "
          f"{report['chemical_synapses_excitatory']} excitatory, {report['chemical_synapses_inhibitory']} inhibitory)")
    print(f"  gap-junction pairs     {report['gap_junction_connections']}  ({report['gap_junctions']} junctions)")
    print(f"  ablated                {', '.join(report['ablated']) or 'none'}")
    print(f"  build time             {report['build_seconds']:.2f} s")
    if scenario is not None:
        print(f"scenario {scenario.name}: synapses in / out, gap junctions")
        for item in report["scenario"]["neurons"]:
            state = "  (ablated)" if item["ablated"] else ""
            print(f"  {item['role']:6s} {item['name']:6s} {item['chemical_synapses_in']:4d} / "
                  f"{item['chemical_synapses_out']:<4d} {item['gap_junctions']:4d}{state}")
    return 0
