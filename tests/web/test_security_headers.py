from __future__ import annotations


def test_html_responses_carry_the_security_headers(client, world):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'self'"):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_flags(client, world):
    from tests.conftest import log_in

    response = log_in(client, world.owner)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookie_in_production(make_app, world):
    app = make_app(SESSION_COOKIE_SECURE=True)
    from tests.conftest import log_in

    response = log_in(app.test_client(), world.owner)
    assert "Secure" in response.headers["Set-Cookie"]


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)


def test_behind_a_trusted_proxy_each_client_has_its_own_address(make_app, world):
    app = make_app(TRUSTED_PROXIES=1)
    client = app.test_client()
    for _ in range(5):
        client.post("/login", data={"login": "nobody@example.com", "password": "wrong"},
                    headers={"X-Forwarded-For": "203.0.113.7"})
    from cta_kit.models import LoginFailure
    from cta_kit.extensions import db
    from sqlalchemy import select

    addresses = set(db.session.scalars(select(LoginFailure.address)))
    assert addresses == {"203.0.113.7"}


def test_an_unexpected_error_shows_a_friendly_page_without_a_traceback(make_app):
    app = make_app(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in body and "secret internals" not in body and "Traceback" not in body


def test_printed_cards_and_manifests_are_never_stored(client, printed_world):
    from tests.conftest import log_in

    log_in(client, printed_world.owner)
    from cta_kit.extensions import db
    from cta_kit.models import ReviewDestination
    from sqlalchemy import select

    location = printed_world.location.id
    destination = db.session.scalar(select(ReviewDestination.id).where(ReviewDestination.location_id == location).limit(1))
    base = f"/locations/{location}/batches/{printed_world.batch_id}"
    slip = f"/locations/{location}/destinations/{destination}/slip.pdf"
    for url in (f"{base}.pdf", f"{base}/manifest.csv", slip):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_hsts_only_when_served_over_https(make_app, world):
    plain = make_app().test_client().get("/login")
    assert "Strict-Transport-Security" not in plain.headers
    secure = make_app().test_client().get("/login", base_url="https://reviews.example.com")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    behind_tls_proxy = make_app(SESSION_COOKIE_SECURE=True).test_client().get("/login")
    assert "max-age=" in behind_tls_proxy.headers["Strict-Transport-Security"]
