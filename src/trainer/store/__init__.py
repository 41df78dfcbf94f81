"""Everything kept in the database, cut by feature; `store.py` holds `Store`, the door to it.

Its rooms, lowest first (each may import only the rooms below it, checked by `make lint`):
- `db`: the database itself: engine, tables, migrations, the track codec, error sentences;
- `attempts`: the attempts table with people, techniques and references: records, queries,
  writes, kept videos and the CSV export;
- `store.py`: `Store`, the connection and its transactions, and the attempts' operations;
- `jobs`: review jobs (their rows, the workers' side, their videos);
- `sessions`: guided sessions, saved with their exercises' attempts.

May import: trainer.core, trainer.capture (to probe a video kept), trainer.documents (to read a
stored review back), numpy, sqlalchemy.
"""
