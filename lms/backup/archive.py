"""The backup archive: a gzipped tar of a few named files and a manifest of their checksums.

Nothing in an archive is trusted before its manifest is read and every listed file matches its checksum;
only the listed names are read, each into a folder of the caller's, so a crafted archive cannot write
anywhere else.
"""
from __future__ import annotations

import hashlib
import io
import json
import tarfile
from dataclasses import asdict, dataclass
from pathlib import Path

FORMAT = "lms-backup"
VERSION = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; nothing was changed."""


@dataclass(frozen=True)
class Manifest:
    """What an archive holds: when it was made, the database kind and schema revision, each file's sha256."""

    created_at: str
    database: str  # "postgresql" or "sqlite"
    schema_revision: str
    files: dict[str, str]
    format: str = FORMAT
    version: int = VERSION


def sha256_of(path: Path) -> str:
    """The hex sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_archive(path: Path, created_at: str, database: str, revision: str, files: dict[str, Path]) -> Manifest:
    """Write ``files`` (archive name -> file) and their manifest to ``path``, which appears only when complete."""
    manifest = Manifest(created_at, database, revision, {name: sha256_of(file) for name, file in files.items()})
    partial = path.with_name(path.name + ".partial")
    with tarfile.open(partial, "w:gz") as tar:
        data = json.dumps(asdict(manifest), indent=2).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode = len(data), 0o600
        tar.addfile(info, io.BytesIO(data))
        for name, file in files.items():
            tar.add(file, arcname=name, recursive=False)
    partial.chmod(0o600)  # it holds the secret key and every account's data
    partial.replace(path)
    return manifest


def read_archive(path: Path, into: Path) -> Manifest:
    """Check ``path`` is a complete backup and unpack its files into ``into``; a BackupError says what is wrong."""
    try:
        with tarfile.open(path, "r:gz") as tar:
            manifest = _manifest(tar, path)
            for name, checksum in manifest.files.items():
                _unpack(tar, name, into / name, path)
                if sha256_of(into / name) != checksum:
                    raise BackupError(f"{path}: {name} does not match its checksum; the archive is damaged")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{path} is not a readable backup archive ({exc})") from exc
    return manifest


def _manifest(tar: tarfile.TarFile, path: Path) -> Manifest:
    try:
        raw = json.loads(tar.extractfile(MANIFEST).read())
        manifest = Manifest(**raw)
    except (KeyError, AttributeError, ValueError, TypeError) as exc:
        raise BackupError(f"{path} is not an LMS backup: it has no readable {MANIFEST}") from exc
    if manifest.format != FORMAT or manifest.version != VERSION:
        raise BackupError(f"{path} is a {manifest.format} archive of version {manifest.version}; "
                          f"this LMS reads {FORMAT} version {VERSION}")
    if any("/" in name or name.startswith(".") for name in manifest.files):
        raise BackupError(f"{path}: the manifest names files outside the archive's top level")
    return manifest


def _unpack(tar: tarfile.TarFile, name: str, target: Path, path: Path) -> None:
    try:
        member = tar.getmember(name)
    except KeyError as exc:
        raise BackupError(f"{path}: {name} is listed in the manifest but missing; the archive is incomplete") from exc
    if not member.isfile():
        raise BackupError(f"{path}: {name} is not a regular file")
    with tar.extractfile(member) as source, target.open("wb") as out:
        while block := source.read(1 << 20):
            out.write(block)
