"""``flask import-people``: preview, problems as FILE:ROW, exit codes, links printed or emailed."""
import pytest

from tests.people.helpers import HEADER, find_user

GOOD = HEADER + "amina@example.org,Amina Khan,EMB-NAI,Spring,\nbo@example.org,Bo,EMB-BER,,trainer\n"


@pytest.fixture
def csv_file(tmp_path):
    def write(text: str, name: str = "people.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return write


def test_problems_are_printed_as_file_row_reason_and_exit_non_zero(runner, missions, csv_file, counts):
    path = csv_file(HEADER + "ok@example.org,Ok,EMB-NAI,,\nbad-email,X,EMB-NAI,,\nz@example.org,Z,NOPE,,\n")
    before = counts()
    result = runner.invoke(args=["import-people", str(path)])
    assert result.exit_code == 1
    assert f"{path}:3: bad email 'bad-email'" in result.output
    assert f"{path}:4: unknown mission code 'NOPE'" in result.output
    assert "Import failed: 2 problem(s); nothing was changed." in result.output
    assert counts() == before
    header_only = runner.invoke(args=["import-people", str(csv_file("email,name\n", "header.csv"))])
    assert header_only.exit_code == 1 and "header.csv:1: missing required column 'mission'" in header_only.output


def test_dry_run_prints_the_preview_and_writes_nothing(runner, missions, csv_file, counts):
    before = counts()
    result = runner.invoke(args=["import-people", str(csv_file(GOOD)), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "2 to create, 0 to change, 0 unchanged, 1 new cohort(s), 0 problem(s)" in result.output
    assert "row 2: create amina@example.org (Amina Khan, EMB-NAI, cohort Spring, diplomat)" in result.output
    assert "new cohort  Spring" in result.output and "Dry run: nothing was changed." in result.output
    assert "set-password" not in result.output.lower() and counts() == before


def test_import_commits_and_prints_a_link_per_new_account(app, runner, missions, csv_file, make_user):
    make_user("diplomat", email="bo@example.org", name="Bo", mission="EMB-NAI")
    result = runner.invoke(args=["import-people", str(csv_file(GOOD))])
    assert result.exit_code == 0, result.output
    assert "row 3: change bo@example.org: mission: EMB-NAI → EMB-BER; adds role trainer" in result.output
    links = [line.split() for line in result.output.splitlines() if "/set-password/" in line]
    assert [parts[0] for parts in links] == ["amina@example.org"]  # only the new account gets one
    assert links[0][1].startswith("/set-password/") and "PUBLIC_URL" in result.output
    assert find_user(app, "amina@example.org").mission.code == "EMB-NAI"


def test_links_are_full_addresses_with_public_url(app, runner, missions, csv_file):
    app.config["PUBLIC_URL"] = "https://academy.example.gov/lms"
    result = runner.invoke(args=["import-people", str(csv_file(GOOD))])
    assert result.exit_code == 0
    assert "amina@example.org  https://academy.example.gov/lms/set-password/" in result.output


def test_links_are_queued_when_smtp_is_configured(mailing_app, runner, missions, csv_file, mail_server):
    mailing_app.config["PUBLIC_URL"] = "https://academy.example.gov"
    result = runner.invoke(args=["import-people", str(csv_file(GOOD))])
    assert result.exit_code == 0, result.output
    assert "Queued set-password emails to 2 new account(s)" in result.output
    assert "/set-password/" not in result.output
    assert sorted(m["To"] for m in mail_server.received) == ["Amina Khan <amina@example.org>", "Bo <bo@example.org>"]


def test_a_missing_file_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(args=["import-people", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2 and "does not exist" in result.output
