# The two set-up commands of the README:
#   make demo   installs the Debian dependencies, fetches the geo/ASN data, builds, runs `keyward demo`
#   make test   installs the Debian dependencies, builds (plain and ASan/UBSan) and runs every test
# Both are safe to run again.

JOBS ?= 2
BUILD ?= build
ASAN_BUILD ?= build-asan

BENCH_BUILD ?= build-bench
BENCH_MB ?= 1024

.PHONY: all deps data build build-asan demo test test-plain test-asan bench clean

all: build

deps:
	bash scripts/install-deps.sh

data:
	bash scripts/fetch-data.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKEYWARD_SANITIZE=ON

build: $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

build-asan: $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)

demo: deps data build
	./$(BUILD)/keyward demo

test-plain: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: build-asan
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

test: deps
	$(MAKE) test-plain
	$(MAKE) test-asan

# Benchmarks beside the tools a user would pick instead; results go in BENCHMARKS.md.
bench:
	bash scripts/install-deps.sh bench
	cmake -S . -B $(BENCH_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DKEYWARD_BENCH=ON
	cmake --build $(BENCH_BUILD) -j $(JOBS)
	bash bench/secrets/run.sh $(BENCH_BUILD) $(BENCH_MB)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
