"""Back up and restore an installation: its database, instance/secret_key and instance/config.py, in one archive.

Both run in an app context, under the preparation lock (lms/prepare.py), so no migration runs meanwhile.
A restore checks everything it can before it changes anything: the archive and its checksums, the
database kind, that this code knows the schema revision, that the dump is readable, and that it would
not overwrite a database or instance file holding something else unless forced.
"""
from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app
from sqlalchemy import inspect

from ..extensions import db
from ..prepare import exclusive
from . import database
from .archive import BackupError, Manifest, read_archive, write_archive

INSTANCE_FILES = ("secret_key", "config.py")

__all__ = ["BackupError", "backup", "restore"]


def backup(target: Path) -> tuple[Path, Manifest]:
    """Write one archive of the database and instance files into folder ``target`` (or to file ``target``)."""
    now = datetime.now(UTC)
    path = target / f"lms-backup-{now:%Y%m%dT%H%M%SZ}.tar.gz" if target.is_dir() or not target.suffix else target
    path.parent.mkdir(parents=True, exist_ok=True)
    url = db.engine.url
    instance = Path(current_app.instance_path)
    with tempfile.TemporaryDirectory() as tmp, exclusive():
        revision = _current_revision()
        if revision is None:
            raise BackupError("the database has no schema yet (no migration applied): nothing to back up")
        files = {(dump := database.dump(url, Path(tmp))).name: dump}
        files |= {name: instance / name for name in INSTANCE_FILES if (instance / name).is_file()}
        manifest = write_archive(path, now.isoformat(timespec="seconds"), url.get_backend_name(), revision, files)
    return path, manifest


def restore(archive: Path, force: bool) -> list[str]:
    """Check ``archive`` and restore it into the app's database and instance folder; returns what was done."""
    url = db.engine.url
    instance = Path(current_app.instance_path)
    with tempfile.TemporaryDirectory() as tmp:
        unpacked = Path(tmp)
        manifest = read_archive(archive, unpacked)
        notes = _check_fits(manifest, url.get_backend_name())
        dump = unpacked / database.DUMP_NAMES[manifest.database]
        database.check(url, dump)
        occupied = _occupied(instance, unpacked, manifest)
        if occupied and not force:
            raise BackupError("restore would overwrite " + " and ".join(occupied)
                              + "; nothing was changed. Restore into an empty database, or force it "
                              "(--force; make restore ... FORCE=1)")
        with exclusive():
            database.restore(url, dump, replace=force)
        db.engine.dispose()  # pooled connections would remember the replaced database's types
        written = [_put(unpacked / name, instance / name) for name in INSTANCE_FILES if name in manifest.files]
    return [f"Restored the {manifest.database} database made {manifest.created_at} (schema revision "
            f"{manifest.schema_revision}) into {url.render_as_string(hide_password=True)}", *written, *notes]


def _current_revision() -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _check_fits(manifest: Manifest, kind: str) -> list[str]:
    """Refuse an archive of another database kind or an unknown schema; a note if the schema is older."""
    if manifest.database != kind:
        raise BackupError(f"the archive holds a {manifest.database} database and this installation uses {kind}; "
                          "nothing was changed")
    scripts = ScriptDirectory(current_app.extensions["migrate"].directory)
    try:
        scripts.get_revision(manifest.schema_revision)
    except CommandError as exc:
        raise BackupError(f"the archive's schema revision {manifest.schema_revision} is unknown to this version of "
                          "the LMS (made by a newer one?): install that version first; nothing was changed") from exc
    head = scripts.get_current_head()
    if manifest.schema_revision == head:
        return []
    return [f"The restored schema ({manifest.schema_revision}) is older than this code's ({head}): "
            "run 'make db' (flask prepare) to migrate it."]


def _occupied(instance: Path, unpacked: Path, manifest: Manifest) -> list[str]:
    """What a restore would overwrite: a database with tables, instance files that differ from the archive's."""
    occupied = ["a database that already has tables"] if inspect(db.engine).get_table_names() else []
    db.engine.dispose()
    differing = [name for name in INSTANCE_FILES if name in manifest.files and (instance / name).exists()
                 and (instance / name).read_bytes() != (unpacked / name).read_bytes()]
    return occupied + [f"a different {instance / name}" for name in differing]


def _put(source: Path, target: Path) -> str:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes())
    target.chmod(0o600)
    return f"Wrote {target}"
