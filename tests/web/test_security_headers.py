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
