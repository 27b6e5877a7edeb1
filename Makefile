# Indonesian -> English localisation pipeline. `make` lists the targets.
# Every target sets the project up first (make setup is idempotent).

PYTHON      ?= python3
VENV        := .venv
PY          := $(VENV)/bin/python
PIPELINE    := $(PY) -m pipeline
DOCS        ?=
BOILERPLATE ?= drop
STRICT      ?=
KEEP        ?= 0
KEEP_DRAFTS ?=
PORT        ?= 8000
DRAFTS      ?=
MODEL       ?=
REDRAFT     ?=
NO_MEMORY   ?=
WORKERS     ?=
SCHEDULER   ?=
BENCH_FLAGS ?=
TRANSLATE_FLAGS := $(if $(MODEL),--model $(MODEL)) $(if $(REDRAFT),--redraft) $(if $(NO_MEMORY),--no-memory) \
                   $(if $(WORKERS),--workers $(WORKERS)) $(if $(SCHEDULER),--scheduler $(SCHEDULER))
# A run on a Dask cluster needs the `cluster` extra; a plain run never installs it.
CLUSTER_SETUP := $(if $(WORKERS)$(SCHEDULER),$(VENV)/.installed-cluster)
ENGLISH_FLAGS := --boilerplate $(BOILERPLATE) --keep $(KEEP) $(if $(STRICT),--strict) $(if $(KEEP_DRAFTS),--keep-counts-drafts)

.DEFAULT_GOAL := help
.PHONY: help setup setup-dev hunspell tm-import extract update translate check stats english bilingual review lint test bench model model-gpu clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'
	@echo "  variables: DOCS='doc ...' BOILERPLATE=drop|keep|translate STRICT=1 KEEP=N KEEP_DRAFTS=1 PORT=8000 DRAFTS=1 MODEL=id REDRAFT=1 NO_MEMORY=1 WORKERS=N SCHEDULER=tcp://host:8786 TMX=file"

setup: $(VENV)/.installed ## create .venv with what the main job runs (no torch, no browser)

# The runtime. argostranslate without its translator's dependencies: the MT
# stage runs the package's CTranslate2 model itself (see pyproject.toml).
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e .
	$(VENV)/bin/pip install --quiet --no-deps argostranslate==1.11.0
	touch $@

setup-dev: $(VENV)/.installed-dev ## add what the tests, lint, benchmarks and training use: GNU gettext, Chromium, hunspell-id, po4a, GNU time, torch (CPU)

$(VENV)/.installed-dev: $(VENV)/.installed scripts/setup-system.sh
	bash scripts/setup-system.sh gettext chromium hunspell-id po4a time
	# torch first, from the CPU wheel: argostranslate's stanza needs torch, and
	# any other spec would pull a multi-GB CUDA build.
	$(VENV)/bin/pip install --quiet torch==2.13.0
	$(VENV)/bin/pip install --quiet -e '.[dev,train,argos,cluster]'
	touch $@

$(VENV)/.installed-cluster: $(VENV)/.installed
	$(VENV)/bin/pip install --quiet -e '.[cluster]'
	touch $@

extract: setup ## segment source/* into locales/<doc>.pot
	$(PIPELINE) extract --boilerplate $(BOILERPLATE) $(DOCS)

update: extract ## create or merge locales/en/LC_MESSAGES/<doc>.po
	$(PIPELINE) update $(DOCS)

translate: update $(CLUSTER_SETUP) ## fill units without a translation with Argos MT drafts (memory first, cached; MODEL=id REDRAFT=1 NO_MEMORY=1 WORKERS=N SCHEDULER=addr)
	$(PIPELINE) translate $(TRANSLATE_FLAGS) $(DOCS)

check: setup hunspell ## QA checks on the catalogs, spell check of the sources (exit 1 on errors)
	$(PIPELINE) check --boilerplate $(BOILERPLATE) $(DOCS)

stats: setup ## units and words per state, % reviewed, QA findings, post-edit distance
	$(PIPELINE) stats --boilerplate $(BOILERPLATE) $(DOCS)

english: translate ## render build/en/<doc>.* (the main job; drafts MT first)
	$(PIPELINE) english $(ENGLISH_FLAGS) $(DOCS)

bilingual: update ## side-by-side HTML, bilingual Markdown, TMX, XLIFF in build/bilingual/ (DRAFTS=1: MT drafts in the TMX)
	$(PIPELINE) bilingual --boilerplate $(BOILERPLATE) $(DOCS)
	$(PIPELINE) tmx --boilerplate $(BOILERPLATE) $(if $(DRAFTS),--include-drafts) $(DOCS)
	$(PIPELINE) xliff export --boilerplate $(BOILERPLATE) $(DOCS)

TMX ?=
tm-import: setup ## add a TMX file to the translation memory in locales/tm/ (TMX=path/to/memory.tmx)
	@test -n "$(TMX)" || { echo "usage: make tm-import TMX=path/to/memory.tmx" >&2; exit 2; }
	$(PIPELINE) tm import "$(TMX)"

review: update ## serve the review page on http://127.0.0.1:8000 (PORT=…)
	$(PIPELINE) review --port $(PORT)

hunspell: ## install the Indonesian dictionary the spell check of `make check` reads
	bash scripts/setup-system.sh hunspell-id

lint: setup-dev ## ruff and mypy over the code (zero findings; make test runs it first)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

test: setup-dev lint ## lint, then the test suite (installs what the tests need first)
	$(PY) -m pytest -q

bench: setup-dev ## run bench/ (~15 min) and write bench/RESULTS.md; BENCH_FLAGS='--quick --output /tmp/r.md' for a smoke run
	$(PY) bench/run.py $(BENCH_FLAGS)

TRAIN_CORPUS ?= ../shared/corpora/train
BENCHMARK    ?= ../shared/eval/flores200-devtest
TRAIN_WORK   := training/work
CHECKPOINT   := training/checkpoint/translate-id_en.pt
GPU_MINUTES  ?= 7

$(TRAIN_WORK)/train.id: training/prepare_data.py | setup-dev
	$(PY) training/prepare_data.py --corpus-dir $(TRAIN_CORPUS) --benchmark $(BENCHMARK).id $(BENCHMARK).en --work-dir $(TRAIN_WORK)

# File targets, so a re-run keeps the vocabularies and resumes training.
$(TRAIN_WORK)/sentencepiece.model: $(TRAIN_WORK)/train.id training/train_spm.py
	$(PY) training/train_spm.py --work-dir $(TRAIN_WORK)

$(TRAIN_WORK)/spm8k/sentencepiece.model: $(TRAIN_WORK)/train.id training/train_spm.py
	$(PY) training/train_spm.py --work-dir $(TRAIN_WORK) --vocab-size 8000 --output $@

model: setup-dev $(TRAIN_WORK)/sentencepiece.model ## continue the model on the CPU from training/checkpoint (hours; a re-run resumes), package, evaluate
	OMP_WAIT_POLICY=PASSIVE nice -n 10 $(PY) training/train.py --work-dir $(TRAIN_WORK) --init-from $(CHECKPOINT)
	$(PY) training/convert.py --work-dir $(TRAIN_WORK) --write-checkpoint $(CHECKPOINT)
	$(PY) training/package.py --work-dir $(TRAIN_WORK)
	$(PY) training/evaluate.py --benchmark $(BENCHMARK) --work-dir $(TRAIN_WORK)

model-gpu: setup-dev $(TRAIN_WORK)/sentencepiece.model $(TRAIN_WORK)/spm8k/sentencepiece.model ## train on one NVIDIA GPU (~8 min, GPU_MINUTES=7), package, evaluate
	$(PY) training/gpu_recipe.py --work-dir $(TRAIN_WORK) --minutes $(GPU_MINUTES) --benchmark $(BENCHMARK) --out $(TRAIN_WORK)/gpu-out
	mkdir -p $(dir $(CHECKPOINT)) && cp $(TRAIN_WORK)/translate-id_en.pt $(CHECKPOINT)
	$(PY) training/package.py --work-dir $(TRAIN_WORK) --staged $(TRAIN_WORK)/gpu-package
	$(PY) training/evaluate.py --benchmark $(BENCHMARK) --work-dir $(TRAIN_WORK)

clean: ## remove build outputs (keeps .venv and the catalogs)
	rm -rf build .pytest_cache
