"""Fixtures: one migrated database per run (SQLite, or PostgreSQL via CTA_KIT_TEST_DATABASE_URL),
emptied after every test; an app per test; users at two locations of two businesses."""

from __future__ import annotations

import contextvars
import os
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from flask import has_app_context
from flask.testing import FlaskClient

from cta_kit import create_app
from cta_kit.extensions import db
from cta_kit.models import (
    ROLE_OWNER,
    ROLE_STAFF,
    Business,
    Campaign,
    CampaignDestination,
    Card,
    InstanceSetting,
    Location,
    ReviewDestination,
    User,
    utcnow,
)
from cta_kit.services.accounts import SETUP_DONE_KEY
from cta_kit.services.passwords import hash_password

TEST_DATABASE_ENV = "CTA_KIT_TEST_DATABASE_URL"
PASSWORD = "correct horse battery"
CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def reset_postgres_database(url: str) -> None:
    """Create the test database when missing, and empty its schema."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database})
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    engine = create_engine(target, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get(TEST_DATABASE_ENV)
    if url:
        if is_postgres(url):
            reset_postgres_database(url)
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


def app_config(database_url: str, instance_path: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-to-pass",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "ARGON2_PARAMETERS": CHEAP_ARGON2,
        "AUTO_UPGRADE_DB": False,
        "PUBLIC_BASE_URL": "https://cards.example.com",
        "HUEY_IMMEDIATE": True,  # print jobs run inside the request that queues them
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def migrated_database(database_url, tmp_path_factory) -> str:
    from flask_migrate import upgrade

    app = create_app(app_config(database_url, str(tmp_path_factory.mktemp("instance"))))
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        db.engine.dispose()
    return database_url


def empty_all_tables() -> None:
    with db.engine.begin() as connection:
        tables = [table for table in reversed(db.metadata.sorted_tables)]
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


class IsolatedClient(FlaskClient):
    """Serves each request in its own app context, as a real server does.

    Tests hold an app context to query the database; without this, requests would share its
    ``g`` and session, and a logged-out user would still be cached as logged in.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            # End the test's own transaction so that it sees what the request wrote, as a
            # second visitor would (SQLite's WAL and PostgreSQL both read from a snapshot).
            db.session.commit()
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def make_app(migrated_database, tmp_path, monkeypatch):
    """Build an app on the test database, with its own instance folder; tables are emptied after the test."""
    apps = []

    def build(**overrides):
        instance = tmp_path / f"instance{len(apps)}"
        monkeypatch.setenv("CTA_KIT_INSTANCE_PATH", str(instance))
        app = create_app(app_config(migrated_database, str(instance), **overrides))
        app.test_client_class = IsolatedClient
        apps.append(app)
        return app

    yield build
    if apps:
        with apps[0].app_context():
            db.session.remove()
            empty_all_tables()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@dataclass
class World:
    """Two businesses. Business A has locations X and Y; its second owner works only at Y."""

    location: Location
    other_location: Location
    foreign_location: Location
    owner: User
    staff: User
    other_location_owner: User
    foreign_owner: User
    campaign_id: int | None = None
    batch_id: int | None = None
    card_code: str | None = None
    job_id: int | None = None
    feedback_code: str | None = None  # a card printed with the private feedback page
    feedback_id: int | None = None


def make_user(business, name, login, role, locations, language="en") -> User:
    user = User(
        business=business,
        name=name,
        login=login,
        password_hash=hash_password(PASSWORD),
        role=role,
        language=language,
        locations=list(locations),
    )
    db.session.add(user)
    return user


@pytest.fixture
def world(app) -> World:
    business = Business(name="Chez Nous")
    foreign_business = Business(name="Elsewhere Ltd")
    location = Location(business=business, name="Chez Nous Paris", timezone="Europe/Paris", language="fr")
    other_location = Location(business=business, name="Chez Nous Lyon", timezone="Europe/Paris", language="fr")
    foreign_location = Location(business=foreign_business, name="Elsewhere", timezone="Europe/London", language="en")
    db.session.add_all([business, foreign_business, location, other_location, foreign_location])
    owner = make_user(business, "Olivia Owner", "owner@example.com", ROLE_OWNER, [location, other_location])
    staff = make_user(business, "Sam Staff", "sam", ROLE_STAFF, [location])
    other_owner = make_user(business, "Yann Lyon", "lyon@example.com", ROLE_OWNER, [other_location])
    foreign_owner = make_user(foreign_business, "Fiona Foreign", "fiona@example.com", ROLE_OWNER, [foreign_location])
    db.session.add(InstanceSetting(key=SETUP_DONE_KEY, value=utcnow().isoformat()))
    db.session.commit()
    return World(location, other_location, foreign_location, owner, staff, other_owner, foreign_owner)


def log_in(client, user: User, password: str = PASSWORD):
    response = client.post("/login", data={"login": user.login, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


GOOGLE_URL = "https://search.google.com/local/writereview?placeid=ChIJN1t_tDeuEmsRUsoyG83frY4"
TRIPADVISOR_URL = "https://www.tripadvisor.fr/UserReviewEdit-g187147-d1234567.html"


def add_destination_row(location, platform, url, display_url, position=0, presence_only=False):
    destination = ReviewDestination(
        location=location, platform=platform, entered=url, url=url, display_url=display_url,
        position=position, presence_only=presence_only,
    )
    db.session.add(destination)
    return destination


def make_campaign(location, destinations, **fields) -> Campaign:
    values = dict(
        name="Autumn cards", language="fr", headline="Votre avis compte",
        body="Sur quel site laissez-vous vos avis ? Scannez le code.", offer_kind="thank_you",
        offer_text="Un café offert à votre prochaine visite", offer_validity_days=30,
        link_mode="direct", distribution="every_customer", starts_on=date(2026, 11, 1),
    )
    values.update(fields)
    campaign = Campaign(location=location, **values)
    campaign.featured = [CampaignDestination(destination=d, position=i) for i, d in enumerate(destinations, start=1)]
    db.session.add(campaign)
    db.session.commit()
    return campaign


@pytest.fixture
def printed_world(world) -> World:
    """The world, with two review sites at location X, a campaign featuring them, one printed batch
    and a finished print job (with its own batch)."""
    from cta_kit.services.print_jobs import queue_print
    from cta_kit.services.printing import PrintOrder, print_cards

    google = add_destination_row(world.location, "google", GOOGLE_URL, "search.google.com", 0)
    tripadvisor = add_destination_row(world.location, "tripadvisor", TRIPADVISOR_URL, "tripadvisor.fr", 1)
    campaign = make_campaign(world.location, [google, tripadvisor])
    world.campaign_id = campaign.id
    world.batch_id = print_cards(PrintOrder(campaign.id, 3, "business-card-10up-a4")).batch_id
    world.card_code = db.session.scalar(select(Card.code).where(Card.batch_id == world.batch_id).limit(1))
    world.job_id = queue_print(PrintOrder(campaign.id, 2, "business-card-10up-a4"), world.owner, world.location.id).id
    return world


@pytest.fixture
def impatient_sqlite(app):
    """A context in which another connection holds SQLite's write lock, and ours wait 50 ms for it.

    The app's busy timeout is 5 s; waiting it out in every such test would be slow.
    """
    import contextlib

    from sqlalchemy import event

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's database-wide write lock")

    def short_wait(dbapi_connection, _record, _proxy):
        dbapi_connection.execute("PRAGMA busy_timeout=50")

    @contextlib.contextmanager
    def locked():
        db.session.commit()
        event.listen(db.engine, "checkout", short_wait)
        other = db.engine.raw_connection()
        try:
            other.execute("BEGIN IMMEDIATE")
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
            event.remove(db.engine, "checkout", short_wait)
            db.session.remove()

    return locked
