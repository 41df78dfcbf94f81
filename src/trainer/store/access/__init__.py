"""Who may see and do what, in one place: `Scope` is the store as one account sees it, and
every read and write the app makes goes through one. A row the account may not touch answers
exactly as a missing one ("not found"), so an address or an id tells nothing of others.

A student: their own attempts, jobs, videos and guided sessions. An instructor: theirs and
those of the students of their classes; references; reviewing a class. An admin: everything,
and the accounts and classes. Everyone: each technique's current reference (what all compare
with). The CLI is the operator's and uses the store whole.

May import: trainer.store.accounts, trainer.store.jobs, trainer.store.sessions,
trainer.store.store, trainer.store.attempts, trainer.store.db, trainer.core, sqlalchemy.
"""
