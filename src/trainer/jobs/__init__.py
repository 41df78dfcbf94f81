"""Reviews as durable jobs: stored with their inputs, run by workers on this machine (SQLite)
or on any machine through Procrastinate (PostgreSQL), their results saved once.

May import: trainer.analysis, trainer.overlay, trainer.store, trainer.core, procrastinate.
"""
