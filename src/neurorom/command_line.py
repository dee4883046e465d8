"""The argument parser of the Python commands: a usage error is one line and exit status 2.

argparse's own error() prints the whole usage block before its message; here a bad option, a missing
or malformed value raises InputError instead, which `python -m neurorom` prints as
"neurorom COMMAND: error: ..." like every other user error. --help still prints the full usage.
"""

from __future__ import annotations

import argparse
from typing import NoReturn

from neurorom.errors import InputError


class CommandParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InputError(f"{message} (see --help)")
