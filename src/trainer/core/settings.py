"""Settings read from the environment: where data lives, which database, upload limits."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from trainer.core.errors import TrainerError

DEFAULT_MAX_UPLOAD_MB = 200
SWITCH = {"1": True, "on": True, "true": True, "yes": True}
SWITCH |= {"0": False, "off": False, "false": False, "no": False}


def default_data_dir(environ: Mapping[str, str]) -> Path:
    """The per-user data directory: $XDG_DATA_HOME/trainer, else ~/.local/share/trainer."""
    xdg = environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "trainer"


@dataclass(frozen=True)
class Settings:
    """Where attempts are stored and how big an upload may be.

    Attributes:
        data_dir: folder for the SQLite file and the videos the user chose to keep.
        database_url: any SQLAlchemy URL; default an SQLite file in data_dir.
        max_upload_mb: largest video the app accepts, in megabytes.
        exposure: brighten dark frames for the hand model (TRAINER_EXPOSURE=off to compare).
    """

    data_dir: Path
    database_url: str
    max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB
    exposure: bool = True

    @property
    def video_dir(self) -> Path:
        return self.data_dir / "videos"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read TRAINER_DATA_DIR, TRAINER_DATABASE_URL, TRAINER_MAX_UPLOAD_MB and
        TRAINER_EXPOSURE."""
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("TRAINER_DATA_DIR") or default_data_dir(env)).expanduser()
        url = env.get("TRAINER_DATABASE_URL") or f"sqlite:///{data_dir / 'trainer.db'}"
        raw_mb = env.get("TRAINER_MAX_UPLOAD_MB") or str(DEFAULT_MAX_UPLOAD_MB)
        try:
            max_mb = int(raw_mb)
        except ValueError:
            raise TrainerError(
                f"TRAINER_MAX_UPLOAD_MB must be a whole number, got {raw_mb!r}"
            ) from None
        if max_mb <= 0:
            raise TrainerError(f"TRAINER_MAX_UPLOAD_MB must be positive, got {max_mb}")
        raw_exposure = (env.get("TRAINER_EXPOSURE") or "on").strip().lower()
        if raw_exposure not in SWITCH:
            raise TrainerError(f"TRAINER_EXPOSURE must be on or off, got {raw_exposure!r}")
        return cls(
            data_dir=data_dir,
            database_url=url,
            max_upload_mb=max_mb,
            exposure=SWITCH[raw_exposure],
        )
