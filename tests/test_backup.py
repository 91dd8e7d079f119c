"""`flask backup` and `flask restore` (make backup / make restore): a round trip on PostgreSQL (real pg_dump and
pg_restore) and on SQLite gives back every row and the instance files; a bad archive changes nothing."""
from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import delete, func, select

from lms.accounts import create_user
from lms.backup.archive import write_archive
from lms.content.importer import import_content
from lms.extensions import db
from lms.models import Mission, User
from tests.fixtures.app import TEST_CONFIG
from tests.helpers import DATA, PASSWORD, table_rows


def installation(make_app, url: str, instance: Path):
    """An app on ``url`` with its own instance folder, as one server's operator has it."""
    instance.mkdir(parents=True, exist_ok=True)
    app = make_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    app.instance_path = str(instance)
    return app


@pytest.fixture(params=["sqlite", "postgresql"])
def source(request, new_database, make_app, tmp_path):
    """A migrated installation with content, a user and instance files, ready to be backed up."""
    app = installation(make_app, new_database(request.param, "backup_source"), tmp_path / "source")
    (tmp_path / "source" / "secret_key").write_text("the installation's key")
    (tmp_path / "source" / "config.py").write_text("REPORT_CACHE_SECONDS = 30\n")
    with app.app_context():
        upgrade()
        import_content(DATA / "courses", DATA / "quizzes")
        create_user("amina@example.org", "Amina", PASSWORD, ["diplomat", "trainer"], None)
        db.session.commit()
    return app


def backed_up(app, folder: Path) -> Path:
    result = app.test_cli_runner().invoke(args=["backup", str(folder)])
    assert result.exit_code == 0, result.output
    archives = list(folder.glob("lms-backup-*.tar.gz"))
    assert len(archives) == 1 and str(archives[0]) in result.output
    return archives[0]


def test_round_trip_into_a_new_empty_database_gives_back_every_row_and_the_instance_files(
        source, new_database, make_app, tmp_path):
    archive = backed_up(source, tmp_path / "backups")
    with source.app_context():
        kind = db.engine.url.get_backend_name()
    # the test app's SECRET_KEY is set in its config, as from the environment, so it is not in the archive
    assert "Note: SECRET_KEY comes from the environment" in source.test_cli_runner().invoke(
        args=["backup", str(tmp_path / "more")]).output
    target = installation(make_app, new_database(kind, "backup_target"), tmp_path / "target")
    result = target.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert f"Restored the {kind} database made" in result.output
    assert table_rows(target) == table_rows(source)
    assert (tmp_path / "target" / "secret_key").read_text() == "the installation's key"
    assert (tmp_path / "target" / "config.py").read_text() == "REPORT_CACHE_SECONDS = 30\n"
    with target.app_context():
        assert db.session.scalar(select(User).where(User.email == "amina@example.org")).check_password(PASSWORD)


def test_restore_refuses_a_database_with_tables_unless_forced(source, tmp_path):
    archive = backed_up(source, tmp_path / "backups")
    with source.app_context():
        db.session.execute(delete(Mission))
        create_user("later@example.org", "Later", PASSWORD, ["diplomat"], None)
        db.session.commit()
    runner = source.test_cli_runner()
    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code == 1 and "would overwrite a database that already has tables" in refused.output
    with source.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.email == "later@example.org"))
    forced = runner.invoke(args=["restore", str(archive), "--force"])
    assert forced.exit_code == 0, forced.output
    with source.app_context():
        assert db.session.scalar(select(User.email).where(User.email == "later@example.org")) is None


def crafted(folder: Path, manifest: dict | None, files: dict[str, bytes]) -> Path:
    """A tar.gz with the given manifest (None: none) and files, as a damaged or foreign archive might be."""
    path = folder / "crafted.tar.gz"
    members = {**({"manifest.json": json.dumps(manifest).encode()} if manifest is not None else {}), **files}
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def bad_archives(folder: Path, good: Path) -> dict[str, Path]:
    """Each kind of archive a restore must refuse, with the words its refusal must contain."""
    folder.mkdir()
    with tarfile.open(good) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    (folder / "truncated.tar.gz").write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    (folder / "text.tar.gz").write_text("not an archive")
    wrong_sum = crafted(folder, manifest, dict.fromkeys(manifest["files"], b"tampered")).rename(
        folder / "tampered.tar.gz")
    no_manifest = crafted(folder, None, {"database.sqlite3": b"x"}).rename(folder / "bare.tar.gz")
    write_archive(folder / "newer.tar.gz", "2030-01-01T00:00:00+00:00", manifest["database"], "ffffffffffff", {})
    other = {"sqlite": "postgresql", "postgresql": "sqlite"}[manifest["database"]]
    write_archive(folder / "other.tar.gz", manifest["created_at"], other, manifest["schema_revision"], {})
    return {"not a readable backup archive": folder / "truncated.tar.gz",
            "is not a readable backup": folder / "text.tar.gz",
            "does not match its checksum": wrong_sum,
            "is not an LMS backup": no_manifest,
            "schema revision ffffffffffff is unknown": folder / "newer.tar.gz",
            f"the archive holds a {other} database": folder / "other.tar.gz"}


def test_a_damaged_or_unknown_archive_is_refused_and_nothing_changes_even_when_forced(source, tmp_path):
    archive = backed_up(source, tmp_path / "backups")
    (tmp_path / "source" / "secret_key").write_text("a newer key")
    before = table_rows(source)
    runner = source.test_cli_runner()
    for words, bad in bad_archives(tmp_path / "bad", archive).items():
        result = runner.invoke(args=["restore", str(bad), "--force"])
        assert result.exit_code == 1 and words in result.output, (bad.name, result.output)
        assert "Traceback" not in result.output
    assert table_rows(source) == before
    assert (tmp_path / "source" / "secret_key").read_text() == "a newer key"
