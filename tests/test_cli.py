"""The cta-kit command: config layers, check-deploy, backup, db upgrade, demo."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import select

from cta_kit import create_app
from cta_kit.models import utcnow
from cta_kit.domain.deployment import DeploymentSettings, deployment_problems, filesystem_of
from cta_kit.extensions import db
from cta_kit.models import ReviewDestination, User
from tests.conftest import is_postgres


def test_config_layers_defaults_instance_then_environment(tmp_path, monkeypatch):
    instance = tmp_path / "var-lib-cta-kit"
    instance.mkdir()
    (instance / "config.py").write_text("PUBLIC_BASE_URL = 'https://from-instance.example'\nMAX_CONTENT_LENGTH = 123\n")
    monkeypatch.setenv("CTA_KIT_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("CTA_KIT_PUBLIC_BASE_URL", "https://from-env.example")
    monkeypatch.setenv("CTA_KIT_DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite3")
    app = create_app()
    assert app.instance_path == str(instance)
    assert app.config["PUBLIC_BASE_URL"] == "https://from-env.example"
    assert app.config["MAX_CONTENT_LENGTH"] == 123
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/env.sqlite3"
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("CTA_KIT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("CTA_KIT_SECRET_KEY", raising=False)
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second and len(first) >= 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert create_app().config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/cta-kit.sqlite3"


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({}, []),
        ({"debug": True}, ["Debug mode"]),
        ({"session_cookie_secure": False}, ["not marked Secure"]),
        ({"public_base_url": None}, ["No public base URL"]),
        ({"public_base_url": "http://reviews.example.com"}, ["starting with https://"]),
        ({"sqlite_filesystem": "nfs4"}, ["network filesystem"]),
        ({"secret_key": "short"}, ["shorter than 32"]),
        ({"debug": True, "public_base_url": None}, ["Debug mode", "No public base URL"]),
        ({"csrf_enabled": False}, ["CSRF protection is off"]),
        ({"session_cookie_httponly": False}, ["HttpOnly is off"]),
        ({"session_cookie_samesite": "None"}, ["SameSite=None"]),
        ({"session_cookie_samesite": None}, ["SameSite=None"]),
        ({"session_cookie_samesite": "Strict"}, []),
        ({"public_base_url": "https://localhost"}, ["only reachable from this machine"]),
        ({"public_base_url": "https://127.0.0.1:8443"}, ["only reachable from this machine"]),
        ({"public_base_url": "https://[::1]"}, ["only reachable from this machine"]),
        ({"public_base_url": "https://cards.localhost"}, ["only reachable from this machine"]),
        ({"public_base_url": "https://owner:secret@reviews.example.com"}, ["user name and password"]),
        ({"public_base_url": "https://owner@reviews.example.com"}, ["user name and password"]),
        ({"public_base_url": "https://reviews.example.com/cards"}, ["nothing after it"]),
        ({"public_base_url": "https://reviews.example.com/?ref=card"}, ["nothing after it"]),
        ({"public_base_url": "https://reviews.example.com#top"}, ["nothing after it"]),
        ({"public_base_url": "https://192.168.1.10"}, ["only reachable from this machine or network"]),
        ({"public_base_url": "https://bistro.local"}, ["only reachable from this machine or network"]),
        ({"public_base_url": "https://owner@10.0.0.2/cards"}, ["user name and password", "nothing after it", "10.0.0.2"]),
        ({"public_base_url": "https://reviews.example.com/"}, []),
        ({"public_base_url": "https://reviews.example.com:notaport"}, ["starting with https://"]),
    ],
)
def test_deployment_rules(overrides, expected):
    settings = dict(
        debug=False,
        testing=False,
        secret_key="x" * 64,
        public_base_url="https://reviews.example.com",
        session_cookie_secure=True,
        session_cookie_httponly=True,
        session_cookie_samesite="Lax",
        csrf_enabled=True,
        database_backend="sqlite",
        sqlite_filesystem="ext4",
    )
    settings.update(overrides)
    problems = deployment_problems(DeploymentSettings(**settings))
    assert len(problems) == len(expected)
    for problem, words in zip(problems, expected):
        assert words in problem


def test_filesystem_of_picks_the_deepest_mount():
    mounts = "/dev/vda / ext4 rw 0 0\nserver:/srv /srv/data nfs4 rw 0 0\n"
    assert filesystem_of("/srv/data/cta.sqlite3", mounts) == "nfs4"
    assert filesystem_of("/srv/database.sqlite3", mounts) == "ext4"


def run_cta_kit(args, env, cwd):
    return subprocess.run(
        [sys.executable, "-m", "cta_kit", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def fresh_env(tmp_path, monkeypatch):
    import os

    env = {key: value for key, value in os.environ.items() if not key.startswith("CTA_KIT_")}
    env["CTA_KIT_INSTANCE_PATH"] = str(tmp_path / "instance")
    return env


def test_check_deploy_reports_and_fails_on_an_unsafe_config(fresh_env, tmp_path):
    result = run_cta_kit(["check-deploy"], fresh_env, tmp_path)
    assert result.returncode == 1
    assert "No public base URL" in result.stdout


def test_check_deploy_passes_on_a_production_config(fresh_env, tmp_path):
    result = run_cta_kit(["check-deploy"], {**fresh_env, **PRODUCTION_ENV}, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


PRODUCTION_ENV = {"CTA_KIT_PUBLIC_BASE_URL": "https://reviews.example.com", "CTA_KIT_SESSION_COOKIE_SECURE": "true"}


@pytest.mark.parametrize(
    "variables, words",
    [
        ({"CTA_KIT_DEBUG": "true"}, "Debug mode"),
        ({"FLASK_DEBUG": "1"}, "Debug mode"),
        ({"CTA_KIT_WTF_CSRF_ENABLED": "false"}, "CSRF protection is off"),
        ({"CTA_KIT_SESSION_COOKIE_HTTPONLY": "false"}, "HttpOnly is off"),
        ({"CTA_KIT_SESSION_COOKIE_SAMESITE": "None"}, "SameSite=None"),
        ({"CTA_KIT_PUBLIC_BASE_URL": "https://127.0.0.1"}, "only reachable from this machine"),
    ],
)
def test_check_deploy_reads_what_the_production_entry_point_builds(fresh_env, tmp_path, variables, words):
    result = run_cta_kit(["check-deploy"], {**fresh_env, **PRODUCTION_ENV, **variables}, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert words in result.stdout and "No unsafe setting" not in result.stdout


def test_check_deploy_sees_debug_in_the_instance_config(fresh_env, tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text("DEBUG = True\n")
    result = run_cta_kit(["check-deploy"], {**fresh_env, **PRODUCTION_ENV}, tmp_path)
    assert result.returncode == 1 and "Debug mode" in result.stdout


def test_db_upgrade_on_an_empty_sqlite_database_then_backup(fresh_env, tmp_path):
    result = run_cta_kit(["db", "upgrade"], fresh_env, tmp_path)
    assert result.returncode == 0, result.stderr
    database = tmp_path / "instance" / "cta-kit.sqlite3"
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"user_account", "location", "review_destination", "alembic_version"} <= tables

    demo = run_cta_kit(["demo"], fresh_env, tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "demo-owner@example.com" in demo.stdout and "password:" in demo.stdout

    copy = tmp_path / "copy.sqlite3"
    result = run_cta_kit(["backup", str(copy)], fresh_env, tmp_path)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT count(*) FROM user_account").fetchone()[0] == 3
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    refused = run_cta_kit(["backup", str(copy)], fresh_env, tmp_path)
    assert refused.returncode != 0 and "exists already" in refused.stderr


def test_demo_on_a_new_instance_upgrades_the_database_first(fresh_env, tmp_path):
    first = run_cta_kit(["demo"], fresh_env, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr and "Demo restaurant created" in first.stdout
    assert "backed up" not in first.stdout  # a new database has nothing to keep
    second = run_cta_kit(["demo"], fresh_env, tmp_path)
    assert second.returncode == 0, second.stderr
    assert "exists already" in second.stdout and "backed up" not in second.stdout
    database = tmp_path / "instance" / "cta-kit.sqlite3"
    with sqlite3.connect(database) as connection:
        # the owner and two staff, once: running the demo twice adds nobody
        assert connection.execute("SELECT count(*) FROM user_account").fetchone()[0] == 3
        assert connection.execute("SELECT count(*) FROM business").fetchone()[0] == 1


def test_demo_backs_up_an_old_database_before_upgrading_it(fresh_env, tmp_path):
    old = run_cta_kit(["db", "upgrade", "0001"], fresh_env, tmp_path)
    assert old.returncode == 0, old.stderr
    demo = run_cta_kit(["demo"], fresh_env, tmp_path)
    assert demo.returncode == 0, demo.stderr
    (backup,) = (tmp_path / "instance" / "backups").iterdir()
    assert f"Database backed up to {backup} before upgrading." in demo.stdout
    with sqlite3.connect(backup) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings")
    connection = db.session.connection()
    assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_demo_creates_a_restaurant_and_is_rerunnable(runner, app):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["demo"])
    assert "exists already" in second.output
    owner = db.session.scalar(select(User).where(User.login == "demo-owner@example.com"))
    platforms = [d.platform for d in db.session.scalars(select(ReviewDestination).order_by(ReviewDestination.position))]
    assert owner is not None and platforms[:2] == ["google", "tripadvisor"] and "yelp" in platforms


def test_the_demo_till_has_weeks_of_history_made_once(runner, app):
    from sqlalchemy import func

    from cta_kit.models import Card, CardBatch, Preference, Scan

    def count(query):
        db.session.commit()
        return db.session.scalar(query)

    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output and "demo.staff2" in first.output
    taps = count(select(func.count()).select_from(Preference))
    scans = count(select(func.count()).select_from(Scan))
    redeemed = count(select(func.count()).select_from(Card).where(Card.redeemed_at.is_not(None)))
    assert taps > 100 and scans > 5 and redeemed > 3
    assert count(select(func.count(func.distinct(Preference.user_id)))) == 2
    assert count(select(func.max(Preference.created_at))) <= utcnow()
    assert count(select(CardBatch.link_mode).where(CardBatch.card_count > 1)) == "tracked"
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "demo.staff2" in second.output
    assert count(select(func.count()).select_from(Preference)) == taps
    assert count(select(func.count()).select_from(CardBatch)) == 1


def test_backup_on_postgres_gives_pg_dump_guidance(runner, app, tmp_path):
    if not is_postgres(app.config["SQLALCHEMY_DATABASE_URI"]):
        pytest.skip("PostgreSQL guidance")
    result = runner.invoke(args=["backup", str(tmp_path / "x.dump")])
    assert result.exit_code == 2 and "pg_dump" in result.output


def test_layouts_lists_every_layout_with_its_size(runner, app):
    result = runner.invoke(args=["layouts"])
    assert result.exit_code == 0
    for name in ("business-card-10up-a4", "avery-5371-letter", "bill-insert-3up-a4", "table-tent-a6-from-a5",
                 "thermal-80mm", "thermal-58mm"):
        assert name in result.output
    assert "85 x 55 mm" in result.output and "roll 80 mm" in result.output


def test_policy_check_command_prints_json_with_the_flag(runner, app):
    import json

    ok = runner.invoke(args=["policy", "check", "--json", "--platform", "google", "--lang", "fr", "Votre avis compte, scannez le code."])
    assert ok.exit_code == 0 and json.loads(ok.output) == []
    bad = runner.invoke(args=["policy", "check", "--json", "--platform", "google", "--lang", "en", "Leave us a 5-star review!"])
    assert bad.exit_code == 1
    findings = json.loads(bad.output)
    assert findings[0]["severity"] == "error" and findings[0]["source"].startswith("https://")


def test_policy_check_command_reports_in_the_wording_language(runner, app):
    french = runner.invoke(args=["policy", "check", "--platform", "google", "--platform", "thefork", "--lang", "fr",
                                 "Aidez-nous à atteindre 4,8 sur Google !"])
    assert french.exit_code == 1
    lines = french.output.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("ERREUR\u00a0: «\u00a0atteindre 4,8\u00a0» demande une note positive")
    assert lines[1] == "  Source\u00a0: https://support.google.com/contributionpolicy/answer/7400114"
    assert lines[2].startswith("AVERTISSEMENT\u00a0: Sur TheFork, seuls les clients")
    english = runner.invoke(args=["policy", "check", "--lang", "en", "A review? A coffee!"])
    assert english.exit_code == 1
    assert english.output.startswith("ERROR: “A review? A coffee!” ties a reward to posting a review")
    assert "  Source: https://www.ecfr.gov/" in english.output


def test_policy_check_command_says_when_nothing_is_wrong(runner, app):
    only_warning = runner.invoke(args=["policy", "check", "--platform", "thefork", "--lang", "fr", "Votre avis compte"])
    assert only_warning.exit_code == 0 and only_warning.output.startswith("AVERTISSEMENT\u00a0: Sur TheFork")
    clean = runner.invoke(args=["policy", "check", "--lang", "fr", "Votre avis compte"])
    assert (clean.exit_code, clean.output) == (0, "Aucun problème détecté.\n")


def test_demo_then_print_a_sheet_with_its_manifest(runner, app, tmp_path):
    import csv

    from tests.pdf_readback import decoded_qr_codes_per_page

    demo = runner.invoke(args=["demo"])
    command = next(line for line in demo.output.splitlines() if "cards print" in line)
    campaign_id = command.split("--campaign ")[1].split()[0]
    pdf, manifest = tmp_path / "cards.pdf", tmp_path / "cards.csv"
    result = runner.invoke(
        args=["cards", "print", "--campaign", campaign_id, "--count", "10", "--layout", "avery-5371-letter",
              "--out", str(pdf), "--manifest", str(manifest)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(manifest.open(encoding="utf-8")))
    assert len(rows) == 10 and list(rows[0]) == ["code", "url_1", "url_2"]
    expected = sorted(url for row in rows for url in (row["url_1"], row["url_2"]))
    assert decoded_qr_codes_per_page(pdf.read_bytes()) == [expected]


def test_cards_print_refuses_with_reasons(runner, app, tmp_path):
    missing = runner.invoke(args=["cards", "print", "--campaign", "999", "--count", "1", "--layout", "thermal-80mm",
                                  "--out", str(tmp_path / "x.pdf")])
    assert missing.exit_code != 0 and "no campaign 999" in missing.output
    runner.invoke(args=["demo"])
    from cta_kit.models import Campaign

    campaign = db.session.scalar(select(Campaign))
    campaign.body = "Only happy customers: leave us a positive review!"
    db.session.commit()
    refused = runner.invoke(args=["cards", "print", "--campaign", str(campaign.id), "--count", "1", "--layout",
                                  "thermal-80mm", "--out", str(tmp_path / "x.pdf")])
    assert refused.exit_code != 0 and "ERROR" in refused.output and not (tmp_path / "x.pdf").exists()


def test_serve_upgrades_then_serves_the_setup_page(fresh_env, tmp_path):
    """What `make run` does on a fresh machine."""
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "cta_kit", "serve", "--port", str(port)], env=fresh_env, cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/setup", timeout=2) as response:
                    page = response.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert "Create my account" in page or "Créer mon compte" in page
        assert (tmp_path / "instance" / "cta-kit.sqlite3").exists()
    finally:
        server.terminate()
        server.wait(timeout=10)


def assert_one_line_error(result, words):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:") and words in lines[0], result.stderr


@pytest.fixture
def demo_instance(fresh_env, tmp_path):
    """A fresh instance with the demo restaurant; returns its campaign id."""
    assert run_cta_kit(["db", "upgrade"], fresh_env, tmp_path).returncode == 0
    demo = run_cta_kit(["demo"], fresh_env, tmp_path)
    command = next(line for line in demo.stdout.splitlines() if "cards print" in line)
    return command.split("--campaign ")[1].split()[0]


def batch_count(tmp_path) -> int:
    with sqlite3.connect(tmp_path / "instance" / "cta-kit.sqlite3") as connection:
        return connection.execute("SELECT count(*) FROM card_batch").fetchone()[0]


def test_cards_print_checks_its_output_paths_before_printing(fresh_env, tmp_path, demo_instance):
    (tmp_path / "a-file").write_text("")
    (tmp_path / "folder").mkdir()
    good = str(tmp_path / "cards.pdf")
    batches_before = batch_count(tmp_path)  # the demo has printed its own
    bad_paths = [
        (["--out", "/no/such/dir/cards.pdf"], "No such file or directory"),
        (["--out", str(tmp_path / "folder")], "Is a directory"),
        (["--out", str(tmp_path / "a-file" / "cards.pdf")], "Not a directory"),
        (["--out", good, "--manifest", "/no/such/dir/cards.csv"], "No such file or directory"),
        (["--out", good, "--manifest", good], "same file"),
    ]
    for paths, words in bad_paths:
        result = run_cta_kit(
            ["cards", "print", "--campaign", demo_instance, "--count", "2", "--layout", "thermal-80mm", *paths],
            fresh_env, tmp_path,
        )
        assert_one_line_error(result, words)
    assert batch_count(tmp_path) == batches_before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a-file", "folder", "instance"]


def test_command_failures_are_one_line_without_a_traceback(fresh_env, tmp_path):
    (tmp_path / "not-a-database.sqlite3").write_text("hello")
    (tmp_path / "a-file").write_text("")
    cases = [
        (["layouts"], {"CTA_KIT_DATABASE_URL": "nonsense"}, "CTA_KIT_DATABASE_URL"),
        (["--help"], {"CTA_KIT_DATABASE_URL": "nonsense"}, "CTA_KIT_DATABASE_URL"),
        (["check-deploy"], {"CTA_KIT_INSTANCE_PATH": str(tmp_path / "a-file" / "instance")}, "cannot start"),
        (["backup", str(tmp_path / "copy.sqlite3")],
         {"CTA_KIT_DATABASE_URL": f"sqlite:///{tmp_path}/not-a-database.sqlite3"}, "not a database"),
        (["restore", str(tmp_path / "not-a-database.sqlite3")], {}, "not a usable SQLite database"),
        (["restore", str(tmp_path / "missing.sqlite3")], {}, "There is no file"),
    ]
    for args, variables, words in cases:
        assert_one_line_error(run_cta_kit(args, {**fresh_env, **variables}, tmp_path), words)
    with sqlite3.connect(tmp_path / "db.sqlite3") as connection:
        connection.execute("CREATE TABLE guest (name TEXT)")
    assert_one_line_error(run_cta_kit(["backup", str(tmp_path / "a-file" / "copy.sqlite3")],
                                      {**fresh_env, "CTA_KIT_DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"},
                                      tmp_path), "a-file")


def test_serve_on_a_busy_port_says_so_in_one_line(fresh_env, tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = run_cta_kit(["serve", "--port", str(busy.getsockname()[1])], fresh_env, tmp_path)
    assert_one_line_error(result, "Address already in use")


def test_restore_over_a_database_left_with_a_stale_wal(fresh_env, tmp_path, demo_instance):
    from tests.services.test_restore import crash_while_writing

    database = tmp_path / "instance" / "cta-kit.sqlite3"
    saved = tmp_path / "saved.sqlite3"
    assert run_cta_kit(["backup", str(saved)], fresh_env, tmp_path).returncode == 0
    crash_while_writing(database, "UPDATE business SET name = 'Changed after the backup'")

    result = run_cta_kit(["restore", str(saved)], fresh_env, tmp_path)

    assert result.returncode == 0, result.stderr
    assert "kept at" in result.stdout and not (tmp_path / "instance" / "cta-kit.sqlite3-wal").exists()
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT name FROM business").fetchone()[0] != "Changed after the backup"
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    kept = next((tmp_path / "instance" / "backups").glob("*before-restore*"))
    with sqlite3.connect(kept) as connection:
        assert connection.execute("SELECT name FROM business").fetchone()[0] == "Changed after the backup"
    current = run_cta_kit(["db", "current"], fresh_env, tmp_path)
    assert current.returncode == 0 and "(head)" in current.stdout


def test_restore_on_postgres_gives_pg_restore_guidance(runner, app, tmp_path):
    if not is_postgres(app.config["SQLALCHEMY_DATABASE_URI"]):
        pytest.skip("PostgreSQL guidance")
    result = runner.invoke(args=["restore", str(tmp_path / "x.dump")])
    assert result.exit_code == 2 and "pg_restore" in result.output


def test_cards_test_sheet_writes_a_layouts_sheet_with_the_locations_offset(runner, world, tmp_path):
    from tests.pdf_readback import pdf_text

    world.location.print_offset_x_mm = -1.5
    db.session.commit()
    out = tmp_path / "sheet.pdf"
    result = runner.invoke(args=["cards", "test-sheet", "--layout", "avery-5371-letter", "--location",
                                 str(world.location.id), "--lang", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = " ".join(pdf_text(out.read_bytes()).split())
    assert "Printer test sheet: Avery 5371 / 8371 business cards (US Letter), Chez Nous Paris" in text
    assert "Offset in use: -1.5 mm across, 0 mm down" in text
    result = runner.invoke(args=["cards", "test-sheet", "--layout", "thermal-58mm", "-o", str(out)])
    assert result.exit_code == 0 and "Printer test sheet: Thermal slip, 58 mm roll" in " ".join(pdf_text(out.read_bytes()).split())


@pytest.mark.parametrize("args, message", [
    (["--layout", "nope"], "There is no layout called “nope”"),
    (["--layout", "thermal-58mm", "--location", "999"], "There is no location 999."),
])
def test_cards_test_sheet_says_what_is_wrong(runner, world, tmp_path, args, message):
    result = runner.invoke(args=["cards", "test-sheet", *args, "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and message in result.output


def test_cards_print_warns_of_a_line_the_layout_leaves_out(runner, app, tmp_path, monkeypatch):
    from cta_kit.domain.layouts import load_layout
    from cta_kit.models import Campaign
    from cta_kit.services import printing
    from cta_kit.services.layouts import LAYOUTS_DIR

    source = (LAYOUTS_DIR / "business-card-10up-a4.toml").read_text(encoding="utf-8")
    path = tmp_path / "business-card-10up-a4.toml"
    path.write_text(source.replace('text = "{presence_line}"', 'text = "{location}"'), encoding="utf-8")
    monkeypatch.setattr(printing, "layout_named", lambda name, field="layout": load_layout(path))
    runner.invoke(args=["demo"])
    campaign = db.session.scalar(select(Campaign))
    result = runner.invoke(args=["cards", "print", "--campaign", str(campaign.id), "--count", "1", "--layout",
                                 "business-card-10up-a4", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 0, result.output
    assert (
        "WARNING: “Business cards, 10 on A4” leaves out the presence line (“Retrouvez-nous aussi sur Yelp”): "
        "choose another layout to print it.\n"
    ) in result.output
