"""Owners import reviews through the web (preview, corrected column, import), add them by hand,
match them, and read them escaped; the command line imports and matches too."""

from __future__ import annotations

import io
import json

from sqlalchemy import func, select

from cta_kit.extensions import db
from cta_kit.models import Review, ReviewImport
from tests.conftest import GOOGLE_URL, add_destination_row, log_in
from tests.domain.test_review_import import GBP_REVIEW


def upload(client, location_id, data: bytes, name="export.csv", **fields):
    return client.post(f"/locations/{location_id}/reviews/import",
                       data={"file": (io.BytesIO(data), name), **fields}, content_type="multipart/form-data")


def test_upload_preview_correct_a_column_and_import(client, world):
    add_destination_row(world.location, "google", GOOGLE_URL, "search.google.com")
    db.session.commit()
    log_in(client, world.owner)
    data = "Quand;Site;Étoiles;Nom;Avis\n05/10/2026 19:30;Google;2;Ann;<script>alert(1)</script> lent\n".encode("cp1252")
    response = upload(client, world.location.id, data)
    assert response.status_code == 302
    preview = client.get(response.headers["Location"])
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Quand" in page and "&lt;script&gt;" in page and "<script>alert" not in page
    assert db.session.scalar(select(func.count(Review.id))) == 0
    form = {"column_posted_at": "", "column_platform": "1", "column_rating": "2", "column_author": "3", "column_text": "4"}
    refused = client.post(response.headers["Location"], data=form)
    assert "date" in refused.get_data(as_text=True) and db.session.scalar(select(func.count(Review.id))) == 0
    done = client.post(response.headers["Location"], data=dict(form, column_posted_at="0"))
    assert "1 added, 0 already there, 0 rejected" in done.get_data(as_text=True)
    tracker = client.get(f"/locations/{world.location.id}/reviews/").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; lent" in tracker and "not from a card" in tracker
    assert "★★☆☆☆" in tracker  # a low rating shown like any other


def test_a_refused_file_is_said_on_the_form_and_kept_nothing(client, world):
    log_in(client, world.owner)
    response = upload(client, world.location.id, bytes(range(256)) * 20, "photo.jpg")
    assert response.status_code == 200
    assert "not text" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ReviewImport.id))) == 0
    too_big = upload(client, world.location.id, b"x" * (5 * 1024 * 1024 + 10))
    assert too_big.status_code == 413 and "5 MB" in too_big.get_data(as_text=True)


def test_gbp_upload_needs_no_column_choice(client, world):
    log_in(client, world.owner)
    response = upload(client, world.location.id, json.dumps([GBP_REVIEW]).encode(), "reviews.json")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Google Business Profile" in page
    done = client.post(response.headers["Location"], data={})
    assert "1 added" in done.get_data(as_text=True)


def test_manual_review_and_month_count_forms(client, world):
    google = add_destination_row(world.location, "google", GOOGLE_URL, "search.google.com")
    db.session.commit()
    log_in(client, world.owner)
    base = f"/locations/{world.location.id}/reviews"
    assert client.post(f"{base}/new", data={"destination_id": google.id, "posted_on": "2026-10-05", "rating": "4",
                                             "author_name": "Bob", "text": "ok"}).status_code == 302
    bad = client.post(f"{base}/counts", data={"destination_id": google.id, "month": "octobre", "review_count": "7"})
    assert "YYYY-MM" in bad.get_data(as_text=True)
    assert client.post(f"{base}/counts", data={"destination_id": google.id, "month": "2026-10", "review_count": "7",
                                                "average_rating": "4.4"}).status_code == 302
    assert "4.4" in client.get(f"{base}/counts").get_data(as_text=True)


def test_cli_imports_and_reports_each_rejected_row(runner, world, tmp_path):
    add_destination_row(world.location, "google", GOOGLE_URL, "search.google.com")
    db.session.commit()
    path = tmp_path / "reviews.csv"
    path.write_text("date;platform;rating\n2026-10-05;Google;5\nhier;Google;4\n", encoding="utf-8")
    result = runner.invoke(args=["reviews", "import", str(path), "--location", str(world.location.id)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == ["1 added, 0 already there, 1 rejected",
                                              "row 3, date: expected a date such as 2026-10-05, 05/10/2026 or 05/10/2026 14:30"]
    again = runner.invoke(args=["reviews", "import", str(path), "--location", str(world.location.id)])
    assert again.output.startswith("0 added, 1 already there, 1 rejected")
    binary = tmp_path / "x.csv"
    binary.write_bytes(bytes(range(256)) * 50)
    refused = runner.invoke(args=["reviews", "import", str(binary), "--location", str(world.location.id)])
    assert refused.exit_code == 1 and "not text" in refused.output and "Traceback" not in refused.output
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (5 * 1024 * 1024 + 1))
    assert runner.invoke(args=["reviews", "import", str(big), "--location", str(world.location.id)]).exit_code == 1
    missing = runner.invoke(args=["reviews", "import", str(path), "--location", "999"])
    assert missing.exit_code != 0 and "no location 999" in missing.output


def test_cli_match_prints_what_it_attributed(runner, world):
    result = runner.invoke(args=["match", "--location", str(world.location.id)])
    assert result.exit_code == 0 and "0 suggested" in result.output
    assert runner.invoke(args=["match", "--location", "999"]).exit_code != 0
