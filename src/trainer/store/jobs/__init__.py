"""Review jobs in the store: what a job is asked (`records`), making and reading jobs
(`job_store`), a worker's side of them (`runs`) and their videos (`files`).

May import: trainer.store.store, trainer.store.attempts, trainer.store.db, trainer.core,
sqlalchemy.
"""
