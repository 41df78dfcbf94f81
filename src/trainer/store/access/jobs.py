"""Review jobs as one account sees them: a job of someone the actor does not see is missing,
by id, in lists, for its videos and for cancel or retry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from trainer.core.base.errors import AccountError, JobError, StoreError
from trainer.store.access.erasure import Erased, forget_person
from trainer.store.access.scope import Scope
from trainer.store.jobs.job_store import JobStore
from trainer.store.jobs.records import Job, JobSpec


class ScopedJobs:
    """The jobs of a JobStore through a Scope."""

    def __init__(self, jobs: JobStore, scope: Scope) -> None:
        self.jobs = jobs
        self.scope = scope

    @property
    def local(self) -> bool:
        return self.jobs.local

    def create(self, spec: JobSpec, make: Callable[[JobSpec], int]) -> int:
        """Check the job is the actor's to ask for, then make it with make (the submitter,
        which copies the video and queues it); its id."""
        try:
            self.scope.check_new(spec.person, spec.kind)
        except StoreError as exc:
            raise JobError(f"{spec.video_name}: {exc}") from None
        return make(spec)

    def get(self, job_id: int) -> Job:
        job = self.jobs.get(job_id)
        if not self.scope.sees(job.person):
            raise JobError(f"no review job with id {job_id}")
        return job

    def list(
        self,
        *,
        state: str | None = None,
        person: str | None = None,
        batch: str | None = None,
        limit: int | None = None,
    ) -> list[Job]:
        seen = self.scope.people()
        if person is not None and person not in seen:
            return []
        found = self.jobs.list(state=state, person=person, batch=batch)
        return [j for j in found if j.person in seen][:limit]

    def results(self, attempt_ids: list[int | None]) -> dict[int, dict[str, Any]]:
        """The reviews of the attempts of the actor's jobs (others' are left out)."""
        mine = {j.attempt_id for j in self.list()}
        return self.jobs.results([a for a in attempt_ids if a in mine])

    def video(self, job: Job) -> Path | None:
        return self.jobs.video(self.get(job.id))

    def output(self, job: Job) -> bytes | None:
        return self.jobs.output(self.get(job.id))

    def cancel(self, job_id: int) -> Job:
        self.get(job_id)
        return self.jobs.cancel(job_id)

    def retry(self, job_id: int, retry: Callable[[int], Job]) -> Job:
        """Retry through retry (the submitter's, which queues it again)."""
        self.get(job_id)
        return retry(job_id)

    def forget_person(self, name: str) -> Erased:
        """Remove a person and everything of theirs (`erasure`): an admin only, and never
        the account acting (that would end the admin's own login midway)."""
        self.scope.accounts()  # refuses anyone but an admin
        if name == self.scope.actor.name:
            raise AccountError("you cannot forget your own account while logged in with it")
        return forget_person(self.jobs, name)
