"""The git commit of the working tree, for provenance records."""

from __future__ import annotations

import subprocess

from neurorom.paths import ROOT

# Paths whose uncommitted changes can change what the high-fidelity model computes.
MODEL_PATHS = ("src/neurorom", "scenarios", "params", "mod/GradedSyn.mod", "mod/GapJunction.mod")


def git_state() -> dict:
    """{"commit": sha or "unknown", "dirty": uncommitted changes under MODEL_PATHS (None if unknown)}."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--", *MODEL_PATHS)
    return {
        "commit": commit.strip() if commit else "unknown",
        "dirty": None if status is None else bool(status.strip()),
    }
