"""`python -m neurorom COMMAND ...`: the Python half of the ./neurorom door.

Each command lives in neurorom/commands/<command>.py and exposes main(argv) -> int.
"""

import importlib
import sys

from neurorom.errors import InputError

COMMANDS = ("network", "simulate", "generate", "compare", "experiments", "bench", "demo")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        known = ", ".join(COMMANDS)
        print(f"neurorom: unknown command {argv[0]!r} (known: {known})" if argv else
              f"neurorom: a command is needed (known: {known})", file=sys.stderr)
        return 2
    command = argv[0].replace("-", "_")
    try:
        module = importlib.import_module(f"neurorom.commands.{command}")
        return int(module.main(argv[1:]) or 0)
    except InputError as error:
        print(f"neurorom {argv[0]}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: no traceback; every output file is whole or absent
        print(f"neurorom {argv[0]}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
