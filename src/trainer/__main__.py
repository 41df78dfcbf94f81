"""`python -m trainer` runs the CLI."""

from trainer.cli.commands import main

raise SystemExit(main())
