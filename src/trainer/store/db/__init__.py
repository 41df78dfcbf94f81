"""The database itself: an engine per URL, the tables as the code sees them (`schema`), their
history (`migrations`), how a track is packed into its row, and database errors as sentences.

May import: trainer.core, numpy, sqlalchemy (and procrastinate, for its queue's tables).
"""
