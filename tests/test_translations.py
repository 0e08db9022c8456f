"""The French and English catalogues cover every message of the interface, keep its
placeholders, and their committed .mo files match the .po files.

Messages are extracted here the way `make translations` extracts them: the method map of
babel.cfg and the -k keywords of the Makefile's `pybabel extract` line.
"""

from __future__ import annotations

import re
import shlex
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from cta_kit.config import DEFAULTS

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "cta_kit" / "translations"
LANGUAGES = tuple(DEFAULTS["LANGUAGES"])
FIX = "Run `make translations`, then translate the new entries in cta_kit/translations/*/LC_MESSAGES/messages.po"

# %(name)s, %(num)d, %s, %%: Python's printf-style conversions.
PERCENT = re.compile(r"%(?:\((?P<name>\w+)\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>[diouxXeEfFgGcrsa%])")
# {code}: a layout variable shown to the reader as it is (but not {{ or }}).
BRACED = re.compile(r"(?<!\{)\{(\w+)\}(?!\})")
NBSP = "\u00a0"


def extract_keywords() -> dict:
    """The keywords of the Makefile's `pybabel extract` command, added to Babel's defaults."""
    lines = [line for line in (ROOT / "Makefile").read_text().splitlines() if "pybabel extract" in line]
    assert lines, "the Makefile has no `pybabel extract` line (target `translations`)"
    args = shlex.split(lines[0].replace("$(VENV)", ""))
    names = [args[i + 1] for i, arg in enumerate(args[:-1]) if arg in ("-k", "--keyword", "--keywords")]
    names += [arg.split("=", 1)[1] for arg in args if arg.startswith(("--keyword=", "--keywords="))]
    keywords = {} if "--no-default-keywords" in args else dict(DEFAULT_KEYWORDS)
    keywords.update(parse_keywords(names))
    return keywords


@cache
def extracted() -> Catalog:
    """Every message marked in the source tree, with where it was found."""
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(ROOT / "babel.cfg"))
    catalog = Catalog()
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=extract_keywords()
    ):
        catalog.add(message, None, [(filename, lineno)], context=context)
    return catalog


@cache
def po_catalog(language: str) -> Catalog:
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing. {FIX}."
    with open(path, "rb") as f:
        return read_po(f, locale=language)


def strings(message) -> tuple[str, ...]:
    return (message.string,) if isinstance(message.string, str) else tuple(message.string or ())


def ids(message) -> tuple[str, ...]:
    return (message.id,) if isinstance(message.id, str) else tuple(message.id)


def where(message) -> str:
    return ", ".join(f"{file}:{line}" for file, line in message.locations[:3])


def translated(catalog: Catalog) -> list:
    return [m for m in catalog if m.id and not m.fuzzy and any(strings(m))]


def test_the_makefile_extracts_with_every_marker():
    keywords = extract_keywords()
    for name in ("_", "gettext", "ngettext", "lazy_gettext", "_l", "N_"):
        assert name in keywords, f"add `-k {name}` to the Makefile's `pybabel extract` line"


def test_messages_are_found():
    # A broken method map or keyword list would make the completeness test pass on nothing.
    found = {m.id for m in extracted() if m.id}
    assert len(found) > 100
    assert "Your account" in found  # a template
    assert "Business name" in found  # _l in forms.py
    assert ("%(num)d review site", "%(num)d review sites") in {m.id for m in extracted() if not isinstance(m.id, str)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    catalog = po_catalog(language)
    missing = []
    for message in extracted():
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        if entry is None:
            problem = "not in the catalogue"
        elif entry.fuzzy:
            problem = "fuzzy"
        elif not all(strings(entry)) or (entry.pluralizable and len(strings(entry)) != catalog.num_plurals):
            problem = "not translated"
        else:
            continue
        missing.append(f"  {ids(message)[0]!r} ({problem}; {where(message)})")
    assert not missing, (
        f"{len(missing)} message(s) missing from the {language} catalogue. {FIX}:\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders(language):
    wrong = []
    for message in translated(po_catalog(language)):
        names = {m.group(0) for text in ids(message) for m in PERCENT.finditer(text) if m.group("name")}
        braced = {name for text in ids(message) for name in BRACED.findall(text)}
        literal_percents = max(text.count("%%") for text in ids(message))
        for text in strings(message):
            found = {m.group(0) for m in PERCENT.finditer(text) if m.group("name")}
            stray = "%" in PERCENT.sub("", text)
            unnamed = any(not m.group("name") and m.group("type") != "%" for m in PERCENT.finditer(text))
            if found != names or set(BRACED.findall(text)) != braced or stray or unnamed or (
                text.count("%%") != literal_percents
            ):
                wrong.append(f"  {ids(message)[0]!r}\n    -> {text!r}")
    assert not wrong, (
        f"{language}: these translations change the %(name)s placeholders or {{variables}} of their "
        "message, or have a % that is not written %%:\n" + "\n".join(wrong)
    )


def test_french_typography_is_consistent():
    # The French catalogue puts a non-breaking space before : ; ? ! and inside « ».
    wrong = [
        f"  {text!r}"
        for message in translated(po_catalog("fr"))
        for text in strings(message)
        if re.search(r" [:;!?](?=\s|$)", text) or re.search(r"«(?!\u00a0)|(?<!\u00a0)»", text)
    ]
    assert not wrong, "use a non-breaking space (U+00A0) before : ; ? ! and inside « »:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogues_match_the_po_files(language):
    mo_path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo"
    assert mo_path.is_file(), f"{mo_path.relative_to(ROOT)} is missing: run `make translations`"
    with open(mo_path, "rb") as f:
        mo = read_mo(f)
    in_po = {(ids(m)[0], m.context): strings(m) for m in translated(po_catalog(language))}
    in_mo = {(ids(m)[0], m.context): strings(m) for m in mo if m.id and any(strings(m))}
    stale = sorted(
        key[0] for key in in_po.keys() | in_mo.keys() if in_po.get(key) != in_mo.get(key)
    )
    assert not stale, (
        f"{mo_path.relative_to(ROOT)} is out of date with its .po file for {len(stale)} message(s), "
        f"such as {stale[:5]}: run `make translations` (or `pybabel compile -d cta_kit/translations`)"
    )


def test_the_app_speaks_french():
    import flask_babel

    from cta_kit import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert flask_babel.gettext("Your account") == "Votre compte"
        assert flask_babel.gettext("Log in") == "Connexion"
        assert flask_babel.ngettext("%(num)d review site", "%(num)d review sites", 1) == "1 site d’avis"
        assert flask_babel.ngettext("%(num)d review site", "%(num)d review sites", 3) == "3 sites d’avis"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert flask_babel.gettext("Your account") == "Your account"
