# The two commands of the README: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install system-deps translations bench

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/cta-kit serve --host $(HOST) --port $(PORT)

system-deps:
	bash .ci/system-deps

test: $(STAMP) system-deps
	$(PY) -m pytest $(PYTEST_ARGS)

# Extract every message (ngettext and gettext are default keywords; N_ marks domain messages),
# create the catalogues that are missing, update them, copy msgid into the English catalogue's
# empty entries (English is the source language), then compile the .mo files, which are committed.
# tests/test_translations.py reads the -k flags below: keep them on the extract line.
translations: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k lazy_gettext -k _l -k N_ --no-location --sort-output --project=cta-kit -o cta_kit/translations/messages.pot .
	for lang in en fr; do test -f cta_kit/translations/$$lang/LC_MESSAGES/messages.po || $(VENV)/bin/pybabel init -i cta_kit/translations/messages.pot -d cta_kit/translations -l $$lang || exit 1; done
	$(VENV)/bin/pybabel update -i cta_kit/translations/messages.pot -d cta_kit/translations --no-fuzzy-matching --ignore-obsolete
	$(PY) -c 'import sys; from babel.messages.pofile import read_po, write_po; p = sys.argv[1]; c = read_po(open(p, "rb")); [setattr(m, "string", m.id) for m in c if m.id and not any(m.string if isinstance(m.string, tuple) else [m.string])]; write_po(f := open(p, "wb"), c, ignore_obsolete=True); f.close()' cta_kit/translations/en/LC_MESSAGES/messages.po
	$(VENV)/bin/pybabel compile -d cta_kit/translations --statistics

bench: $(STAMP) system-deps
	$(PY) bench/bench_print.py
	$(PY) bench/bench_redirect.py
