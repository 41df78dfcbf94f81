"""The `trainer` command: wires arguments to the package; errors become one line in main."""

from trainer.cli.commands import main

__all__ = ["main"]
