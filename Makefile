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

translations: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k lazy_gettext -k _l -k N_ --no-location --sort-output -o cta_kit/translations/messages.pot .
	$(VENV)/bin/pybabel update -i cta_kit/translations/messages.pot -d cta_kit/translations --no-fuzzy-matching
	$(VENV)/bin/pybabel compile -d cta_kit/translations

bench: $(STAMP) system-deps
	$(PY) bench/bench_print.py
