"""The package's shape: its public names, what the core imports, the import contract, sizes."""

from __future__ import annotations

import ast
import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import trainer
from conftest import ROOT

SRC = ROOT / "src"
HEAVY = ("mediapipe", "cv2", "av", "streamlit", "sqlalchemy", "matplotlib")
# Each public name and the module that defines it, written out here rather than read back.
PUBLIC = {
    "Track": "trainer.core.track",
    "Technique": "trainer.core.technique",
    "load_technique": "trainer.core.technique",
    "Calibration": "trainer.core.path.calibration",
    "Review": "trainer.core.judging.verdict",
    "LiveScorer": "trainer.core.judging.live_scorer",
    "Settings": "trainer.core.base.settings",
    "TrainerError": "trainer.core.base.errors",
    "Analysis": "trainer.analysis.video",
    "analyse_video": "trainer.analysis.video",
    "Store": "trainer.store.store",
}
MAX_MODULE_LINES, MAX_FUNCTION_LINES, MAX_CLASS_LINES = 400, 60, 250

# Runs in a fresh interpreter: import every core module, then the core's public names.
CORE_PROBE = f"""
import importlib, json, pkgutil, sys
import trainer, trainer.core
heavy = {HEAVY!r}
names = [m.name for m in pkgutil.walk_packages(trainer.core.__path__, "trainer.core.")]
for name in names:
    importlib.import_module(name)
for name in ("Track", "Technique", "load_technique", "Calibration", "Review", "LiveScorer"):
    getattr(trainer, name)
before = [h for h in heavy if h in sys.modules]
trainer.Store
after = [h for h in heavy if h in sys.modules]
print(json.dumps({{"modules": names, "before": before, "after": after}}))
"""


def _python_files() -> list[Path]:
    return sorted((SRC / "trainer").rglob("*.py"))


def test_every_core_module_imports_without_the_heavy_libraries():
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", CORE_PROBE], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert {
        "trainer.core.track",
        "trainer.core.judging.live_scorer",
        "trainer.core.base.settings",
    } <= set(seen["modules"])
    assert seen["before"] == []
    # The probe does see a heavy library once a name that needs one is used.
    assert "sqlalchemy" in seen["after"]


def test_each_public_name_is_the_object_its_module_defines():
    assert sorted(trainer.__all__) == sorted(PUBLIC)
    for name, module in PUBLIC.items():
        assert getattr(trainer, name) is getattr(importlib.import_module(module), name), name
    assert set(PUBLIC) | {"__version__"} == set(dir(trainer))
    with pytest.raises(AttributeError, match="no attribute 'track_video'"):
        _ = trainer.track_video


def test_only_the_settings_read_the_environment():
    readers = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.ImportFrom) else []
            if isinstance(node, ast.Attribute):
                names = [node.attr]
            if {"environ", "getenv", "environb", "getenvb"} & set(names):
                readers.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert readers
    assert {r.split(":")[0] for r in readers} == {"trainer/core/base/settings.py"}, readers


def _bound(target: ast.expr) -> set[str]:
    """The names an assignment target binds (x, and a, b in `a, b = ...`; not x[i] or x.a)."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, ast.Tuple | ast.List):
        return set().union(*map(_bound, target.elts))
    return _bound(target.value) if isinstance(target, ast.Starred) else set()


def test_landmark_indices_are_named_only_in_core_hands():
    # The names MediaPipe's landmark indices go by; assigned anywhere else they could disagree.
    names = {"N_LANDMARKS", "WRIST", "THUMB", "FINGERS", "THUMB_TIP", "FINGER_BASES", "BONES"}
    names |= {"INDEX_BASE", "MIDDLE_BASE", "RING_BASE", "PINKY_BASE"}
    declared = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            targets = node.targets if isinstance(node, ast.Assign) else []
            found = set().union(*map(_bound, targets))
            declared += [f"{path.relative_to(SRC)} {n}" for n in sorted(found & names)]
    assert {d.split()[0] for d in declared} == {"trainer/core/hands.py"}, declared


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on the copy of the package under root, with the project's contracts."""
    lint = Path(sys.executable).parent / "lint-imports"
    command = [str(lint), "--config", str(root / "pyproject.toml"), "--no-cache"]
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)


def _package_copy(root: Path) -> Path:
    """The package and the project's contracts copied under root; the copy's package folder."""
    copy = root / "src" / "trainer"
    shutil.copytree(SRC / "trainer", copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return copy


def test_the_import_contract_catches_opencv_in_the_core(tmp_path):
    copy = _package_copy(tmp_path)
    untouched = _lint_imports(tmp_path)
    assert untouched.returncode == 0, untouched.stdout + untouched.stderr
    assert "0 broken" in untouched.stdout
    with (copy / "core" / "track.py").open("a") as f:
        f.write("\nimport cv2\n")
    broken = _lint_imports(tmp_path)
    assert broken.returncode != 0
    assert "The core is numpy, dtaidistance and the standard library BROKEN" in broken.stdout
    assert "trainer.core.track -> cv2" in broken.stdout


def test_the_import_contract_keeps_mediapipe_in_the_landmarker(tmp_path):
    # video_tracking: one of the capture modules an older contract, listing modules, left out.
    # The contract passing on the untouched copy is the test above's to check.
    copy = _package_copy(tmp_path)
    with (copy / "capture" / "video_tracking.py").open("a") as f:
        f.write("\nimport mediapipe\n")
    broken = _lint_imports(tmp_path)
    assert broken.returncode != 0
    assert "MediaPipe lives in the landmarker BROKEN" in broken.stdout
    assert "trainer.capture.video_tracking -> mediapipe" in broken.stdout
    assert "1 broken" in broken.stdout


def _sizes(kind: type | tuple[type, ...], limit: int) -> list[str]:
    """Definitions of that kind longer than limit lines, as path:line name (lines)."""
    over = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, kind) and node.end_lineno - node.lineno + 1 > limit:
                lines = node.end_lineno - node.lineno + 1
                over.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name} ({lines})")
    return over


def test_no_module_is_over_400_lines():
    over = [
        f"{p.relative_to(SRC)} ({n})"
        for p in _python_files()
        if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES
    ]
    assert over == []


def test_no_function_is_over_60_lines():
    assert _sizes((ast.FunctionDef, ast.AsyncFunctionDef), MAX_FUNCTION_LINES) == []


def test_no_class_is_over_250_lines():
    assert _sizes(ast.ClassDef, MAX_CLASS_LINES) == []
