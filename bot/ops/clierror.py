"""The command line's one kind of error, apart from the commands (bot/ops/cli.py) so that a
feature's own commands (bot/features/voice/cli.py) can raise it without importing them."""


class CliError(Exception):
    """A problem worth one clear line to the user."""
