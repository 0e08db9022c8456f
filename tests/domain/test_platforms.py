import copy
import dataclasses
import json
from datetime import date
from importlib import resources

import pytest

from cta_kit.domain.errors import DomainError, UnknownPlatformError
from cta_kit.domain.platforms import (
    Platform,
    RegistryError,
    get_platform,
    load_registry,
    parse_registry,
    platform_keys,
)


def shipped_data():
    return json.loads(resources.files("cta_kit").joinpath("platforms.json").read_text(encoding="utf-8"))


def test_keys_are_in_display_order():
    assert platform_keys() == ("google", "tripadvisor", "facebook", "thefork", "trustpilot", "yelp", "other")


def test_registry_is_read_once():
    assert load_registry() is load_registry()


@pytest.mark.parametrize(
    "key, label",
    [("google", "Google"), ("tripadvisor", "Tripadvisor"), ("facebook", "Facebook"), ("thefork", "TheFork"),
     ("trustpilot", "Trustpilot"), ("yelp", "Yelp")],
)
def test_labels(key, label):
    assert get_platform(key).label == label


def test_yelp_is_presence_only_and_may_not_be_asked():
    policy = get_platform("yelp").policy
    assert policy.may_ask_for_reviews is False
    assert policy.presence_only is True


@pytest.mark.parametrize("key", [k for k in platform_keys() if k != "yelp"])
def test_other_platforms_may_be_asked_and_are_not_presence_only(key):
    policy = get_platform(key).policy
    assert policy.may_ask_for_reviews is True
    assert policy.presence_only is False


@pytest.mark.parametrize("key", platform_keys())
def test_no_platform_allows_incentives(key):
    assert get_platform(key).policy.incentives_allowed is False


@pytest.mark.parametrize("key", platform_keys())
def test_every_rule_has_a_source_and_a_check_date(key):
    notes = get_platform(key).policy.notes
    assert notes
    for note in notes:
        assert note.text.strip()
        assert note.source.startswith("https://")
        assert isinstance(note.last_checked, date)
        assert (note.last_checked.year, note.last_checked.month) == (2026, 11)


@pytest.mark.parametrize("key", platform_keys())
def test_accepted_forms_give_an_example_each(key):
    platform = get_platform(key)
    assert platform.accepted_forms
    for form in platform.accepted_forms:
        assert " such as " in form


@pytest.mark.parametrize("key", [k for k in platform_keys() if k != "other"])
def test_known_platforms_list_their_hosts(key):
    hosts = get_platform(key).hosts
    assert hosts
    assert all(host == host.lower() and "/" not in host for host in hosts)


def test_platforms_are_frozen():
    platform = get_platform("google")
    assert isinstance(platform, Platform)
    with pytest.raises(dataclasses.FrozenInstanceError):
        platform.label = "Evil"
    with pytest.raises(dataclasses.FrozenInstanceError):
        platform.policy.incentives_allowed = True
    with pytest.raises(TypeError):
        load_registry()["evil"] = platform


@pytest.mark.parametrize("key", ["nope", "", "GOOGLE", None, ["google"]])
def test_unknown_key_is_a_domain_error_listing_the_choices(key):
    with pytest.raises(UnknownPlatformError) as caught:
        get_platform(key)
    assert isinstance(caught.value, DomainError)
    assert caught.value.code == "unknown_platform"
    rendered = caught.value.message.render()
    assert "google" in rendered and "tripadvisor" in rendered


def test_shipped_data_parses():
    assert tuple(parse_registry(shipped_data())) == platform_keys()


def _broken(path, value=None, delete=False):
    data = copy.deepcopy(shipped_data())
    target = data
    for step in path[:-1]:
        target = target[step]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    "path, expected",
    [
        (("platforms", 0, "label"), "missing field 'label'"),
        (("platforms", 0, "key"), "missing field 'key'"),
        (("platforms", 1, "policy"), "missing field 'policy'"),
        (("platforms", 5, "policy", "presence_only"), "missing field 'presence_only'"),
        (("platforms", 0, "policy", "notes", 0, "source"), "missing field 'source'"),
        (("platforms", 0, "accepted_forms"), "missing field 'accepted_forms'"),
        (("platforms",), "missing field 'platforms'"),
    ],
)
def test_missing_field_is_named(path, expected):
    with pytest.raises(RegistryError, match=expected):
        parse_registry(_broken(path, delete=True))


@pytest.mark.parametrize(
    "path, value, expected",
    [
        (("platforms", 0, "policy", "incentives_allowed"), "no", "must be of type bool"),
        (("platforms", 0, "label"), "", "must not be empty"),
        (("platforms", 0, "hosts"), "g.page", "must be of type list"),
        (("platforms", 0, "accepted_forms"), [], "must not be empty"),
        (("platforms", 0, "policy", "notes"), [], "must not be empty"),
        (("platforms", 0, "policy", "notes", 0, "source"), "http://example.com", "https://"),
        (("platforms", 0, "policy", "notes", 0, "last_checked"), "2026-11-xx", "must be a date"),
        (("platforms", 0, "key"), "Google Maps", "lower-case"),
        (("platforms", 1, "key"), "google", "duplicate platform key 'google'"),
        (("platforms",), [], "no platforms"),
    ],
)
def test_malformed_field_is_refused(path, value, expected):
    with pytest.raises(RegistryError, match=expected):
        parse_registry(_broken(path, value))


def test_registry_error_is_not_a_domain_error():
    # A broken data file is a packaging bug, not something to show an owner on a form.
    assert not issubclass(RegistryError, DomainError)
