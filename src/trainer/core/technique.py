"""Techniques as data: one TOML file per technique, validated on load."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, fields, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from trainer.core.base.errors import TechniqueError
from trainer.core.base.fields import FieldReader, check_name
from trainer.core.base.inputfile import read_toml

MOTIONS = ("stroke", "circles", "steps")
DIRECTIONS = ("forward", "either")
PARTS = ("strokes", "direction", "path", "coverage", "tempo", "smoothness")


@dataclass(frozen=True)
class Zone:
    """A named stretch of the path, from `start` to `end` as fractions of its length."""

    name: str
    start: float
    end: float


@dataclass(frozen=True)
class Region:
    """A forbidden area in path coordinates: progress s and signed cross-track d ranges."""

    name: str
    fault: str
    message: str
    s: tuple[float, float]
    d: tuple[float, float]

    def contains(self, s: float, d: float) -> bool:
        return self.s[0] <= s <= self.s[1] and self.d[0] <= d <= self.d[1]


@dataclass(frozen=True)
class Tolerances:
    """Where a pass turns into a fault. Distances in path lengths, times in seconds."""

    max_mean_offset: float = 0.10
    min_coverage: float = 0.8
    pass_s: tuple[float, float] = (1.5, 6.0)
    target_pass_s: float = 3.0
    min_sparc: float = -3.0
    linger_s: float = 0.5
    linger_speed: float = 0.04
    min_circles: float = 0.0
    min_stops: int = 0


@dataclass(frozen=True)
class Segmentation:
    """Stroke detection. Speeds in path lengths per second, times in seconds."""

    start_speed: float = 0.08
    stop_speed: float = 0.03
    settle_s: float = 0.25
    still_radius: float = 0.015
    stop_s: float = 1.0
    speed_window_s: float = 0.2
    bridge_gap_s: float = 0.3
    min_duration_s: float = 0.4
    min_length: float = 0.08
    reversal: float = 0.15
    min_progress: float = 0.15
    ignore_offset: float = 0.5
    return_ratio: float = 0.75
    slower_ratio: float = 0.5
    return_lift: float = 0.06
    hand_lost_s: float = 1.5


@dataclass(frozen=True)
class Scoring:
    """Score weights (summing to 1), where each part earns full marks, and the penalties.

    A part falls linearly from 100 at its `*_full` value to 50 at the fault threshold of
    `Tolerances` and 0 as far beyond it: 50 points is exactly where a fault begins.
    """

    weights: dict[str, float] = field(
        default_factory=lambda: {
            "strokes": 0.40,
            "direction": 0.20,
            "path": 0.15,
            "coverage": 0.10,
            "tempo": 0.10,
            "smoothness": 0.05,
        }
    )
    offset_full: float = 0.05
    coverage_full: float = 0.9
    pass_s_full: tuple[float, float] = (2.0, 5.0)
    sparc_full: float = -2.0
    hand_lost_penalty: float = 25.0
    forbidden_penalty: float = 30.0


@dataclass(frozen=True)
class Timing:
    """Seed 003: each exercise 2 to 5 minutes, a first session at most 15 minutes."""

    exercise_s: tuple[float, float] = (120.0, 300.0)
    first_session_max_s: float = 900.0


@dataclass(frozen=True)
class Technique:
    """One massage technique: what to do, where, which way, and how strictly it is checked.

    hands: how many hands stroke (2: both, each along its own side line, the path moved
    `side_offset` path lengths to its side).
    """

    name: str
    title: str
    source: str
    description: str
    instructions: tuple[str, ...]
    motion: str
    direction: str
    start_name: str
    end_name: str
    drift_positive: str
    drift_negative: str
    guide: tuple[tuple[float, float], ...]
    zones: tuple[Zone, ...]
    tolerances: Tolerances = Tolerances()
    segmentation: Segmentation = Segmentation()
    scoring: Scoring = Scoring()
    timing: Timing = Timing()
    forbidden: tuple[Region, ...] = ()
    hands: int = 1
    side_offset: float = 0.0
    path: Path | None = None

    def zone_at(self, s: float) -> str | None:
        """Name of the zone holding progress s (0..1), None off the path."""
        for zone in self.zones:
            if zone.start <= s <= zone.end:
                return zone.name
        return None


class _Reader(FieldReader):
    """A technique file's fields; also reads the score weights."""

    error = TechniqueError

    def convert(self, key: str, value: Any, kind: Any) -> Any:
        if kind != "weights":
            return super().convert(key, value, kind)
        if not isinstance(value, dict) or set(value) != set(PARTS):
            raise self.fail(key, f"must give exactly these weights: {', '.join(PARTS)}")
        weights = {k: self.convert(f"{key}.{k}", v, float) for k, v in value.items()}
        if any(w < 0 for w in weights.values()) or abs(sum(weights.values()) - 1) > 1e-6:
            raise self.fail(key, "must be non-negative and sum to 1")
        return weights


def _kind(default: Any) -> Any:
    if isinstance(default, tuple):
        return "pair"
    if isinstance(default, dict):
        return "weights"
    return type(default)


def _settings(reader: _Reader, cls: type) -> Any:
    """Build a defaults dataclass from a table; every field optional, unknown ones rejected."""
    base = cls()
    values = {f.name: reader.get(f.name, _kind(getattr(base, f.name)), None) for f in fields(cls)}
    reader.reject_unknown({f.name for f in fields(cls)})
    return cls(**{k: v for k, v in values.items() if v is not None})


def _positive(reader: _Reader, obj: Any, names: tuple[str, ...]) -> None:
    for name in names:
        if getattr(obj, name) <= 0:
            raise reader.fail(name, "must be greater than 0")


def _guide(reader: _Reader) -> tuple[tuple[float, float], ...]:
    raw = reader.table_of("guide").table.get("points")
    if not isinstance(raw, list) or len(raw) < 2:
        raise reader.fail("guide.points", "must list at least 2 [x, y] points")
    points = []
    for p in raw:
        if not isinstance(p, list) or len(p) != 2:
            raise reader.fail("guide.points", "must hold [x, y] pairs")
        x, y = (reader.convert("guide.points", v, float) for v in p)
        if not (0 <= x <= 1 and 0 <= y <= 1):
            raise reader.fail("guide.points", "must be normalized coordinates within 0..1")
        points.append((x, y))
    if any(a == b for a, b in itertools.pairwise(points)):
        raise reader.fail("guide.points", "must not repeat a point")
    return tuple(points)


def _zones(reader: _Reader) -> tuple[Zone, ...]:
    raw = reader.table.get("zones")
    if not isinstance(raw, list) or not raw:
        raise reader.fail("zones", "must list at least one [[zones]] table")
    zones = []
    for n, item in enumerate(raw):
        if not isinstance(item, dict):
            raise reader.fail(f"zones[{n}]", "must be a table")
        z = _Reader(reader.source, item, f"zones[{n}].")
        zone = Zone(z.get("name", str), z.get("start", float), z.get("end", float))
        z.reject_unknown({"name", "start", "end"})
        zones.append(zone)
    edges = [0.0] + [x for zone in zones for x in (zone.start, zone.end)] + [1.0]
    # Zones must tile 0..1 in order: start at 0, touch end to start, finish at 1.
    if any(abs(a - b) > 1e-9 for a, b in zip(edges[0::2], edges[1::2], strict=True)):
        raise reader.fail(
            "zones", "must run in order from 0 to 1, each starting where the last ends"
        )
    if any(zone.end <= zone.start for zone in zones):
        raise reader.fail("zones", "must each have end > start")
    return tuple(zones)


def _forbidden(reader: _Reader) -> tuple[Region, ...]:
    raw = reader.table.get("forbidden", [])
    if not isinstance(raw, list):
        raise reader.fail("forbidden", "must be a list of [[forbidden]] tables")
    regions = []
    for n, item in enumerate(raw):
        if not isinstance(item, dict):
            raise reader.fail(f"forbidden[{n}]", "must be a table")
        r = _Reader(reader.source, item, f"forbidden[{n}].")
        regions.append(
            Region(
                r.get("name", str),
                r.get("fault", str),
                r.get("message", str),
                r.get("s", "pair"),
                r.get("d", "pair"),
            )
        )
        r.reject_unknown({"name", "fault", "message", "s", "d"})
    return tuple(regions)


def _check_full_marks(r: _Reader, tol: Tolerances, sc: Scoring) -> None:
    """Full marks must lie on the good side of each fault threshold."""
    wrong = [
        ("offset_full", sc.offset_full >= tol.max_mean_offset, "below tolerances.max_mean_offset"),
        ("coverage_full", sc.coverage_full <= tol.min_coverage, "above tolerances.min_coverage"),
        ("sparc_full", sc.sparc_full <= tol.min_sparc, "above tolerances.min_sparc"),
        (
            "pass_s_full",
            not tol.pass_s[0] < sc.pass_s_full[0] <= sc.pass_s_full[1] < tol.pass_s[1],
            "inside tolerances.pass_s",
        ),
    ]
    for name, bad, where in wrong:
        if bad:
            raise r.fail(f"scoring.{name}", f"must lie {where}")


def parse_technique(data: dict[str, Any], source: str) -> Technique:
    """A Technique from a parsed TOML table; TechniqueError names `source` and the field."""
    r = _Reader(source, data)
    motion = r.get("motion", str)
    if motion not in MOTIONS:
        raise r.fail("motion", f"must be one of {', '.join(MOTIONS)}, not {motion!r}")
    direction = r.get("direction", str)
    if direction not in DIRECTIONS:
        raise r.fail("direction", f"must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    tolerances = _settings(r.table_of("tolerances"), Tolerances)
    segmentation = _settings(r.table_of("segmentation"), Segmentation)
    scoring = _settings(r.table_of("scoring"), Scoring)
    timing = _settings(r.table_of("timing"), Timing)
    _positive(
        r.table_of("segmentation"),
        segmentation,
        ("start_speed", "stop_speed", "settle_s", "still_radius", "stop_s"),
    )
    if segmentation.stop_speed >= segmentation.start_speed:
        raise r.fail("segmentation.stop_speed", "must be below segmentation.start_speed")
    _check_full_marks(r, tolerances, scoring)
    hands = r.get("hands", int, 1)
    if hands not in (1, 2):
        raise r.fail("hands", "must be 1 or 2")
    side_offset = r.get("side_offset", float, 0.0)
    if not 0 <= side_offset < 0.5 or (hands == 2) != (side_offset > 0):
        raise r.fail("side_offset", "must be above 0 (below 0.5) with hands = 2, else 0")
    technique = Technique(
        name=r.get("name", str),
        title=r.get("title", str),
        source=r.get("source", str),
        description=r.get("description", str),
        instructions=r.get("instructions", "strings"),
        motion=motion,
        direction=direction,
        start_name=r.get("start_name", str),
        end_name=r.get("end_name", str),
        drift_positive=r.get("drift_positive", str),
        drift_negative=r.get("drift_negative", str),
        guide=_guide(r),
        zones=_zones(r),
        tolerances=tolerances,
        segmentation=segmentation,
        scoring=scoring,
        timing=timing,
        forbidden=_forbidden(r),
        hands=hands,
        side_offset=side_offset,
    )
    r.reject_unknown({f.name for f in fields(Technique)} - {"path"})
    return technique


def load_technique_file(path: Path) -> Technique:
    """Read and validate one technique TOML file (a regular file of at most 1 MB)."""
    data = read_toml(path, "technique file", TechniqueError)
    technique = parse_technique(data, str(path))
    if technique.name != Path(path).stem:
        raise TechniqueError(f"{path}: field 'name' must match the file name ({Path(path).stem})")
    return replace(technique, path=Path(path))


def _builtin_dir() -> Path:
    return Path(str(resources.files("trainer.core") / "techniques"))


def technique_names() -> list[str]:
    """Names of the built-in techniques, sorted."""
    return sorted(p.stem for p in _builtin_dir().glob("*.toml"))


def load_technique(name: str) -> Technique:
    """A built-in technique by name: a name (letters, digits, dashes), never a path."""
    check_name(name, "technique", TechniqueError)
    known = technique_names()
    if name not in known:
        raise TechniqueError(f"unknown technique {name!r}; known: {', '.join(known)}")
    return load_technique_file(_builtin_dir() / f"{name}.toml")


def all_techniques() -> list[Technique]:
    return [load_technique(name) for name in technique_names()]


def technique_title(name: str) -> str:
    """What a person reads for a technique: a built-in one's title, else the name itself (a
    stored attempt may name a technique that is no longer built in)."""
    return _titles().get(name, name)


@cache
def _titles() -> dict[str, str]:
    return {t.name: t.title for t in all_techniques()}
