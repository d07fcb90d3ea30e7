# One command to run the app with demo data, one to run the tests (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
SEED   ?= 42
FLASK  := $(BIN)/flask --app surveyapp

.PHONY: run serve-prod test setup system-deps translations lint clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

## run: set up, migrate, load the demo (once) and serve on http://127.0.0.1:$(PORT)
run: setup
	$(FLASK) init-db
	$(FLASK) demo --seed $(SEED)
	$(FLASK) build-reports --month $$($(BIN)/python -c "import datetime as d; t = d.date.today().replace(day=1) - d.timedelta(days=1); print(t.strftime('%Y-%m'))") \
	  || echo "Note: the demo's PDF reports need Chromium (apt-get install chromium fonts-wqy-microhei)."
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

## serve-prod: like run, but served by gunicorn with the shipped gunicorn.conf.py (gthread workers,
## timeouts, header limits) on http://127.0.0.1:$(PORT); SURVEYAPP_ENV=production applies its checks
serve-prod: setup
	$(FLASK) init-db
	$(BIN)/gunicorn -c gunicorn.conf.py --bind 127.0.0.1:$(PORT)

## test: set up (Python packages, and chromium/fonts/poppler when root) and run the whole suite
test: setup system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

system-deps:
	@sh .ci/system-deps

## translations: extract strings, update the zh catalog, compile it
translations: setup
	$(BIN)/pybabel extract -F surveyapp/translations/babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o /tmp/surveyapp-messages.pot .
	$(BIN)/pybabel update -i /tmp/surveyapp-messages.pot -d surveyapp/translations -l zh --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d surveyapp/translations

lint: setup
	$(BIN)/ruff check surveyapp analysis tests bench

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache
