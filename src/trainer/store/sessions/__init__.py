"""Guided sessions in the store, each saved with its exercises' attempts in one transaction.

May import: trainer.store.store, trainer.store.attempts, trainer.store.db, trainer.core,
sqlalchemy.
"""
