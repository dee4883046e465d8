"""Saving matplotlib figures (Agg, no display) atomically, like every other output file."""

from __future__ import annotations

import os
from pathlib import Path

from neurorom.errors import InputError


def pyplot():
    """matplotlib.pyplot on the Agg backend (imported on first use: most commands never plot)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def save_figure(figure, path: Path, dpi: int = 100) -> None:
    """Write the figure to `path` through a temporary file in the same folder, then close it."""
    path = Path(path)
    # The process id keeps two processes plotting to the same file apart; the suffix tells savefig the format.
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp{path.suffix}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(temp, dpi=dpi)
        temp.replace(path)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise InputError(f"cannot write figure {path}: {error.strerror or error}") from None
    finally:
        pyplot().close(figure)
