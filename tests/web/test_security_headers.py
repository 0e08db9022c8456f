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
