"""Where the repository's files and the build's products are."""

import os
from pathlib import Path

ROOT = Path(os.environ.get("NEUROROM_ROOT", Path(__file__).resolve().parents[2]))
BUILD = Path(os.environ.get("NEUROROM_BUILD", ROOT / "build"))
CLI = BUILD / "src" / "cli" / "neurorom-cli"
NRNMECH_DIR = BUILD / "nrnmech"
