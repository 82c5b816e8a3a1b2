"""What a command-line problem is, apart from the command line itself: features' own commands
(`veldgids transcribe`) raise it without importing bot/ops/cli.py, which imports them."""

from __future__ import annotations


class CliError(Exception):
    """A problem worth one clear line to the user."""
