"""Everything kept: the attempt store (SQLAlchemy), its migrations, the track codec, export,
and the project's JSON files.

May import: trainer.core, numpy, sqlalchemy.
"""
