"""Reading the project's JSON files (tracks, reviews, calibrations) with one clear error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trainer.errors import TrainerError


def read_json(path: str | Path, what: str, error: type[TrainerError] = TrainerError) -> Any:
    """Parse a JSON file; `error` names the file and what is wrong with it."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise error(f"{path}: cannot read {what} ({e.strerror})") from e
    except UnicodeDecodeError as e:
        raise error(f"{path}: not valid JSON (not text: byte {e.start})") from e
    except json.JSONDecodeError as e:
        raise error(f"{path}: not valid JSON ({e.msg}, line {e.lineno})") from e
