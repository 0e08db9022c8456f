"""Importing posted reviews: each review once however often or however concurrently a file is
imported, nothing left by a failed or killed import, sites told apart, manual entries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from cta_kit.extensions import db
from cta_kit.models import Review, ReviewImport, ReviewMonthCount
from cta_kit.services.errors import ServiceError
from cta_kit.services.reviews import (
    ManualReviewInput,
    MonthCountInput,
    UploadInput,
    add_manual_review,
    confirm_import,
    import_reviews,
    preview_import,
    set_month_count,
    upload_reviews,
)
from tests.conftest import GOOGLE_URL, add_destination_row
from tests.domain.test_review_import import ANONYMOUS, FRENCH_CSV, GBP_REVIEW


def review_count() -> int:
    db.session.commit()
    return db.session.scalar(select(func.count(Review.id)))


@pytest.fixture
def sites(world):
    google = add_destination_row(world.location, "google", GOOGLE_URL, "search.google.com", 0)
    opentable = add_destination_row(world.location, "other", "https://www.opentable.fr/r/chez-nous", "opentable.fr", 1)
    opentable.label = "OpenTable"
    quandoo = add_destination_row(world.location, "other", "https://www.quandoo.fr/place/chez-nous", "quandoo.fr", 2)
    quandoo.label = "Quandoo"
    db.session.commit()
    return google, opentable, quandoo


GBP_PAGE = json.dumps({"reviews": [GBP_REVIEW, ANONYMOUS]}).encode()


def test_the_same_export_three_times_adds_each_review_once(world, sites):
    outcomes = [import_reviews(world.location.id, GBP_PAGE) for _ in range(3)]
    assert [(o.added, o.already_there, o.rejected) for o in outcomes] == [(2, 0, 0), (0, 2, 0), (0, 2, 0)]
    assert review_count() == 2
    google = sites[0]
    assert {r.destination_id for r in db.session.scalars(select(Review))} == {google.id}


def test_an_overlapping_export_adds_only_the_new_reviews(world, sites):
    import_reviews(world.location.id, json.dumps([GBP_REVIEW]).encode())
    newer = dict(GBP_REVIEW, reviewId="Newer", createTime="2026-11-03T10:00:00Z")
    outcome = import_reviews(world.location.id, json.dumps([GBP_REVIEW, newer]).encode())
    assert (outcome.added, outcome.already_there) == (1, 1)


def test_csv_rows_go_to_the_right_one_of_two_other_sites(world, sites):
    _, opentable, quandoo = sites
    data = ("date;plateforme;note;texte\n2026-10-05;OpenTable;4;a\n2026-10-06;Quandoo;5;b\n"
            "2026-10-07;Google;3;c\n2026-10-08;Michelin;;d\n").encode()
    outcome = import_reviews(world.location.id, data)
    assert (outcome.added, outcome.rejected) == (4, 0)
    by_text = {r.text: r for r in db.session.scalars(select(Review))}
    assert by_text["a"].destination_id == opentable.id
    assert by_text["b"].destination_id == quandoo.id
    assert by_text["d"].platform == "other" and by_text["d"].destination_id is None


def test_rejected_rows_are_reported_and_the_rest_imported(world, sites):
    data = "date;platform;rating\n2026-10-05;Google;5\nnot a date;Google;4\n2026-10-07;Google;9\n".encode()
    outcome = import_reviews(world.location.id, data)
    assert (outcome.added, outcome.rejected) == (1, 2)
    assert [p.row for p in outcome.problems] == [3, 4]


def test_a_refused_file_adds_nothing_and_says_why(world, sites):
    with pytest.raises(ServiceError) as refused:
        import_reviews(world.location.id, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10, "csv")
    assert "not text" in refused.value.errors["file"].render()
    with pytest.raises(ServiceError):
        import_reviews(world.location.id, b"x" * (5 * 1024 * 1024 + 1))
    assert review_count() == 0


def test_a_failure_inside_the_import_leaves_nothing(world, sites, monkeypatch):
    rows = "".join(f"2026-10-{1 + i % 28:02d} 12:{i % 60:02d};Google;5;review {i}\n" for i in range(50))
    data = ("date;platform;rating;text\n" + rows).encode()
    original = db.session.execute
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 30:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(db.session, "execute", failing)
    with pytest.raises(RuntimeError):
        import_reviews(world.location.id, data)
    monkeypatch.undo()
    db.session.rollback()
    assert review_count() == 0


def test_a_process_killed_mid_import_leaves_nothing(app, world, sites, tmp_path):
    """The import dies with SIGKILL after writing every row, just before its commit."""
    data = tmp_path / "reviews.csv"
    data.write_text("date;platform;rating;text\n" + "".join(
        f"2026-10-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d};Google;4;avis {i}\n" for i in range(500)), encoding="utf-8")
    script = (
        "import os, signal, sys\n"
        "from cta_kit import create_app\n"
        "from cta_kit.extensions import db\n"
        "from cta_kit.services import reviews\n"
        "app = create_app({'SQLALCHEMY_DATABASE_URI': sys.argv[1], 'SECRET_KEY': 'x' * 40, 'AUTO_UPGRADE_DB': False})\n"
        "with app.app_context():\n"
        "    db.session.commit = lambda: os.kill(os.getpid(), signal.SIGKILL)\n"
        "    reviews.import_reviews(int(sys.argv[2]), open(sys.argv[3], 'rb').read())\n"
    )
    env = dict(os.environ, CTA_KIT_INSTANCE_PATH=str(tmp_path / "instance"))
    db.session.commit()
    result = subprocess.run([sys.executable, "-c", script, app.config["SQLALCHEMY_DATABASE_URI"],
                             str(world.location.id), str(data)], env=env, capture_output=True, timeout=120)
    assert result.returncode == -9, result.stderr.decode()
    assert review_count() == 0
    assert import_reviews(world.location.id, data.read_bytes()).added == 500


def test_two_imports_at_once_add_each_review_once(make_app, world, sites):
    """Two server processes' worth of sessions importing overlapping files at the same moment."""
    app = make_app()
    rows = [f"2026-10-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d};Google;{1 + i % 5};avis {i}\n" for i in range(300)]
    first = ("date;platform;rating;text\n" + "".join(rows[:200])).encode()
    second = ("date;platform;rating;text\n" + "".join(rows[100:])).encode()
    location_id = world.location.id
    db.session.commit()
    barrier, outcomes, errors = threading.Barrier(2), [], []

    def run(data):
        with app.app_context():
            try:
                barrier.wait()
                outcomes.append(import_reviews(location_id, data))
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(data,)) for data in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert review_count() == 300
    assert sum(o.added for o in outcomes) == 300
    assert sum(o.already_there for o in outcomes) == 100


def test_upload_preview_then_import_with_a_corrected_column(world, sites):
    data = "Quand;Site;Étoiles;Nom du client;Avis\n05/10/2026;Google;4;Ann;Très bien\n".encode()
    upload = upload_reviews(world.owner, world.location.id, UploadInput("export.csv", data))
    preview = preview_import(world.owner, world.location.id, upload.id)
    assert preview.headers[0] == "Quand" and "posted_at" not in preview.mapping
    with pytest.raises(ServiceError) as refused:
        confirm_import(world.owner, world.location.id, upload.id, preview.mapping)
    assert "date" in refused.value.errors["file"].render()
    assert review_count() == 0
    outcome = confirm_import(world.owner, world.location.id, upload.id, dict(preview.mapping, posted_at=0))
    assert outcome.added == 1
    db.session.refresh(upload)
    assert upload.data is None and upload.added == 1
    with pytest.raises(ServiceError):
        confirm_import(world.owner, world.location.id, upload.id, dict(preview.mapping, posted_at=0))


def test_an_upload_is_for_the_owners_own_location(world, sites):
    from cta_kit.services.errors import NotFound

    upload = upload_reviews(world.owner, world.location.id, UploadInput("r.json", GBP_PAGE))
    with pytest.raises(NotFound):
        preview_import(world.foreign_owner, world.foreign_location.id, upload.id)
    with pytest.raises(NotFound):
        preview_import(world.owner, world.other_location.id, upload.id)


def test_manual_review_and_month_count(world, sites):
    google = sites[0]
    review = add_manual_review(world.owner, world.location.id, ManualReviewInput(google.id, date(2026, 10, 5), 2, "Bob", "Bof"))
    assert review.rating == 2 and review.source == "manual"
    # noon in Paris, 10:00 UTC in October (summer time)
    assert review.posted_at == datetime(2026, 10, 5, 10, 0, tzinfo=timezone.utc)
    with pytest.raises(ServiceError):
        add_manual_review(world.owner, world.location.id, ManualReviewInput(google.id, date(2026, 10, 5), 2, "Bob", "Bof"))
    count = set_month_count(world.owner, world.location.id, MonthCountInput(google.id, "2026-10", 7, 4.4))
    again = set_month_count(world.owner, world.location.id, MonthCountInput(google.id, "2026-10", 8, None))
    assert count.id == again.id and again.review_count == 8 and again.average_rating is None
    assert db.session.scalar(select(func.count(ReviewMonthCount.id))) == 1
    with pytest.raises(ServiceError) as refused:
        set_month_count(world.owner, world.location.id, MonthCountInput(google.id, "2026-13", -1, 6))
    assert set(refused.value.errors) == {"month", "review_count", "average_rating"}


def test_import_records_are_kept_per_upload(world, sites):
    upload = upload_reviews(world.owner, world.location.id, UploadInput("r.json", GBP_PAGE))
    confirm_import(world.owner, world.location.id, upload.id)
    assert db.session.scalar(select(func.count(Review.id)).where(Review.import_id == upload.id)) == 2
    assert db.session.get(ReviewImport, upload.id).imported_at is not None


def test_french_csv_through_the_service(world, sites):
    outcome = import_reviews(world.location.id, FRENCH_CSV.encode("utf-16"))
    assert (outcome.added, outcome.rejected) == (4, 0)
