"""The attempts table and what hangs on it: people, techniques and references. What a row
reads back as (`records`), the SQL that reads (`queries`) and writes (`writes`) them, the
videos kept beside them, and attempts as a CSV file.

May import: trainer.store.db, trainer.core, trainer.capture (to probe a video before keeping it),
trainer.documents (to read a stored review back), numpy, sqlalchemy.
"""
