# The two commands of the README: `make demo` and `make test`. Everything else is for developers.
PRESET ?= release
BUILD := build/$(PRESET)
AISLE := $(BUILD)/aisle
DEMO_STORE := out/demo.db
DEMO_PORT ?= 8080
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 20
# What `build` compiles and which tests `test` runs (ctest arguments); test-tsan narrows both.
BUILD_TARGET ?= all
TEST_SELECT ?=

.PHONY: all deps build demo test test-asan test-tsan fuzz bench package format format-check tidy clean

all: build

deps:
	@scripts/deps.sh

build: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) --target $(BUILD_TARGET)

# Ingest the bundled UCI Online Retail sample into a fresh store, describe it, fit the default
# recommender, ask it, evaluate four models on a leave-last-out split (out/demo-report), then
# start the server on the store and model (with companion models for the session demo and that
# report for the Models page), call each endpoint once, and stop it.
demo: build
	@mkdir -p out && rm -f $(DEMO_STORE) $(DEMO_STORE)-wal $(DEMO_STORE)-shm
	$(AISLE) ingest online-retail data/sample/online-retail.csv.zst --store sqlite:$(DEMO_STORE)
	$(AISLE) stats --store sqlite:$(DEMO_STORE)
	$(AISLE) train --store sqlite:$(DEMO_STORE) --out out/demo.aislemodel
	$(AISLE) recommend --model out/demo.aislemodel --user 17850 --k 5
	$(AISLE) similar --model out/demo.aislemodel --item 85123A --k 5
	$(AISLE) evaluate --store sqlite:$(DEMO_STORE) --models popularity,item_knn,als,ease --out out/demo-report
	scripts/demo-serve.sh $(AISLE) sqlite:$(DEMO_STORE) out/demo.aislemodel $(DEMO_PORT) out/demo-report

# The whole suite; PostgreSQL tests run against a throwaway server started for them. On the
# release preset the Debian packages are built first, for the package test to install.
test: build
	@if [ "$(PRESET)" = release ]; then cmake --build $(BUILD) --target package >/dev/null; fi
	@OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 TSAN_OPTIONS="suppressions=$(CURDIR)/scripts/tsan.supp" \
	  scripts/with-postgres.sh \
	  ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) $(TEST_SELECT)

test-asan:
	@$(MAKE) --no-print-directory test PRESET=asan-ubsan

# Only the test binaries that exercise aisle's threads, and the replicas test (label `threads`,
# tests/CMakeLists.txt): the rest is single-threaded, and a ThreadSanitizer build of it cost CI
# minutes for nothing.
test-tsan:
	@$(MAKE) --no-print-directory test PRESET=tsan BUILD_TARGET=threaded_tests TEST_SELECT="-L threads"

# The Debian packages, from the release build (cmake/packaging.cmake): build/release/aisle_*.deb
# and, when libtorch is there, aisle-torch_*.deb. Install with `sudo apt install ./build/release/aisle_*.deb`.
package:
	@$(MAKE) --no-print-directory build PRESET=release
	@cmake --build build/release --target package
	@ls -l build/release/*.deb

# Each libFuzzer target for FUZZ_SECONDS on its seed corpus (clang). Only the fuzz targets and the
# libraries they link are built: the CLI and the server are not fuzzed, and compiling them again
# under clang cost CI minutes for nothing (the `fuzzers` target of fuzz/CMakeLists.txt).
fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build build/fuzz -j $(JOBS) --target fuzzers
	@scripts/run-fuzzers.sh build/fuzz $(FUZZ_SECONDS)

bench: build
	@scripts/deps.sh bench
	@scripts/run-benchmarks.sh $(BUILD)

FORMAT_FILES = $(shell git ls-files '*.cpp' '*.h')
format:
	@clang-format -i $(FORMAT_FILES)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES)

# clang-tidy on every source file in parallel; a naming violation is an error (.clang-tidy).
# Not on the torch model code: clang 14 cannot parse libtorch 1.13's headers with libstdc++ 12
# (c10::IValue incomplete), so tidy would report errors that are not in aisle's code.
TIDY_FILES = $(shell git ls-files 'src/*.cpp' ':!:src/aisle/models/sasrec/sasrec.cpp')
tidy: build
	@run-clang-tidy -p $(BUILD) -j $(JOBS) -quiet $(TIDY_FILES) > $(BUILD)/tidy.log 2>&1 \
	  || { grep -E 'error:' $(BUILD)/tidy.log | sort -u; echo "tidy: failed (full output: $(BUILD)/tidy.log)"; exit 1; }
	@echo "tidy: clean ($$(grep -c 'warning:' $(BUILD)/tidy.log || true) warnings of other checks in $(BUILD)/tidy.log)"

clean:
	rm -rf build out
