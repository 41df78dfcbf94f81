"""Accounts in the store: people who can log in (`accounts`), their passwords (`passwords`),
their logins in browsers and the slowing of failed ones (`logins`), one-time links (`links`).

May import: trainer.store.store, trainer.store.db, trainer.core, argon2, sqlalchemy.
"""
