SHELL := /bin/bash
# JKOKit — set-up in two commands:
#   make demo   install missing Debian packages, build in release, run the default experiment
#   make test   same set-up, then the whole test suite (release build, -enable-testing)
# Also: make bench (every benchmark suite, release), make build, make clean,
#   make figures (regenerate every fast figure recipe into figures/),
#   make check-figures (regenerate them and fail when figures/ differs from the commit),
#   make install PREFIX=DIR (copy the release jko to DIR/bin; default /usr/local),
#   make notebooks (run every notebook in notebooks-md/ and regenerate its figures),
#   make check-notebooks (CI: --check every notebook, --verify the fast ones 01–03).
# Open MPI (libopenmpi-dev, openmpi-bin) is installed with the rest; JKO_MPI=0 leaves it out
# of the build (the tool then runs in one process only; the MPI tests skip).

DEBIAN_PACKAGES := libgsl-dev libcairo2-dev libopenblas-dev pkg-config fonts-dejavu-core dataset-fashion-mnist libgif-dev zlib1g-dev libopenmpi-dev openmpi-bin
# Open MPI is optional: JKO_MPI=0 builds the single-process tool (make JKO_MPI=0 …, or a
# machine where libopenmpi-dev is missing); by default it follows pkg-config after setup.
JKO_MPI ?= $(shell pkg-config --exists ompi-c 2>/dev/null && echo 1 || echo 0)
export JKO_MPI
# Hand kernels need AVX2/FMA to vectorise (swiftc's default x86-64 target is SSE2 only).
ARCH_FLAGS := $(if $(filter x86_64,$(shell uname -m)),-Xswiftc -target-cpu -Xswiftc haswell,)
RELEASE := swift build -c release $(ARCH_FLAGS)
JKO := .build/release/jko
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup build demo test bench clean figures check-figures install notebooks check-notebooks

# Installs only what is missing (idempotent): dpkg-query decides, apt-get runs only then.
setup:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: setup
	$(RELEASE) --product jko

demo: build
	$(JKO) demo

test: setup
	@mkdir -p .build
	swift build -c release $(ARCH_FLAGS) -Xswiftc -enable-testing --build-tests
	@set -o pipefail; swift test -c release $(ARCH_FLAGS) -Xswiftc -enable-testing --skip-build --disable-swift-testing 2>&1 \
	  | tee .build/test.log; status=$$?; \
	  summary=$$(grep -E "^\s*Executed [0-9]+ tests?" .build/test.log | tail -1); \
	  total=$$(echo "$$summary" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/'); \
	  failed=$$(echo "$$summary" | sed -E 's/.* ([0-9]+) failures?.*/\1/'); \
	  skipped=$$(echo "$$summary" | grep -oE '[0-9]+ tests? skipped' | grep -oE '^[0-9]+' || echo 0); \
	  echo "tests: $$((total - failed - skipped)) passed, $$failed failed, $$skipped skipped"; exit $$status

# Every figure in figures/ from its recipe (fixed seeds): one command after any change.
# Built with the test flags, so that after 'make test' (as in CI) nothing recompiles.
FIGURE_BUILD ?= swift build -c release $(ARCH_FLAGS) -Xswiftc -enable-testing --product jko
figures: setup
	$(FIGURE_BUILD)
	@mkdir -p .build; start=$$(date +%s); $(JKO) figure --all --out figures > .build/figures.log || { cat .build/figures.log; exit 1; }; \
	  echo "regenerated $$(grep -c '^wrote' .build/figures.log) figures in $$(( $$(date +%s) - start )) s"

# CI: the committed figures must be what the code draws now.
check-figures: figures
	@git diff --stat --exit-code -- figures/ || { echo "figures/ is out of date with the code: run 'make figures' and commit the result"; exit 1; }
	@untracked=$$(git ls-files --others --exclude-standard -- figures/); \
	  if [ -n "$$untracked" ]; then echo "new figures not committed: $$untracked"; exit 1; fi

# jko on the PATH: make install PREFIX=$$HOME/.local puts it in ~/.local/bin.
PREFIX ?= /usr/local
install: build
	install -d $(PREFIX)/bin
	install -m 755 $(JKO) $(PREFIX)/bin/jko
	@echo "installed $(PREFIX)/bin/jko; make sure $(PREFIX)/bin is on your PATH"

# Every notebook re-run (commands in a scratch folder, output blocks rewritten) and its
# figures regenerated; release build with the test flags, as for 'make figures'.
NOTEBOOKS := $(sort $(wildcard notebooks-md/[0-9]*.md))
FAST_NOTEBOOKS := $(sort $(wildcard notebooks-md/01-*.md notebooks-md/02-*.md notebooks-md/03-*.md))
notebooks: setup
	$(FIGURE_BUILD)
	$(JKO) notebook $(NOTEBOOKS)

# CI: every notebook parses and its figures and captions are in order; the fast notebooks'
# outputs are what the code prints now.
check-notebooks: setup
	$(FIGURE_BUILD)
	$(JKO) notebook --check notebooks-md/*.md
	$(JKO) notebook --verify $(FAST_NOTEBOOKS)

bench: build
	@for s in $$($(JKO) bench | cut -d: -f1); do $(JKO) bench $$s || exit 1; done

clean:
	rm -rf .build
