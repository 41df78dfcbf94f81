"""`python -m trainer` runs the CLI."""

from trainer.cli import main

raise SystemExit(main())
