# Two commands: `make demo` (HTTP endpoint and page over the bundled samples) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench bench-scale browser clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		(echo "gongkai needs Python 3.11 or newer" >&2; exit 1)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/gongkai serve --demo

# The browser test needs Chromium (driven over its DevTools protocol, no driver) and a CJK font
# for readable screenshots: installed from Debian's packages when we may (root + apt).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null) \
		|| echo "chromium not installed: the browser test will be skipped"; }

test: $(BIN)/.installed browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(BIN)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: $(BIN)/.installed
	$(BIN)/python benchmarks/parse_speed.py
	$(BIN)/python benchmarks/index_and_query.py

# The scale figures of docs/index.md: SIZES=1000,10000,40000 for all of them (about an hour).
SIZES ?= 1000
bench-scale: $(BIN)/.installed
	$(BIN)/python benchmarks/scale.py --sizes $(SIZES) --engines whoosh,tantivy

clean:
	rm -rf $(VENV) var .pytest_cache
