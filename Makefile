# SPDX-License-Identifier: GPL-3.0-or-later
# A thin wrapper over Meson: `make run` and `make check` install what the project needs from
# Debian's packages when it is missing, configure, build, and run.

BUILD       ?= _build
BENCH_BUILD ?= _build-bench
MESON_ARGS  ?=
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian 12 packages the project needs to build, test and benchmark (one a line, sorted).
DEBIAN_PACKAGES = \
	adwaita-icon-theme \
	appstream \
	curl \
	dbus \
	dbus-x11 \
	debootstrap \
	desktop-file-utils \
	flatpak \
	flatpak-builder \
	fonts-cantarell \
	gcc \
	gettext \
	imagemagick \
	libadwaita-1-dev \
	libglib2.0-bin \
	libglib2.0-dev \
	libgtk-4-bin \
	libgtk-4-dev \
	libjson-glib-dev \
	libsoup-3.0-dev \
	meson \
	ninja-build \
	ostree \
	pkg-config \
	prometheus-node-exporter \
	python3 \
	python3-aiofiles \
	python3-aiohttp \
	x11-utils \
	xauth \
	xvfb

.PHONY: all deps build run check bench clean flatpak

all: build

# dpkg-query is fast; apt-get runs only when something is missing.
deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing: $$missing"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_ARGS)

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

run: build
	./$(BUILD)/app/feedwatch $(ARGS)

# Headless: UI tests need a display, so Xvfb provides one when there is none.
check: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  meson test -C $(BUILD) --print-errorlogs $(TEST_ARGS); \
	else \
	  xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- \
	    meson test -C $(BUILD) --print-errorlogs $(TEST_ARGS); \
	fi

# Optimized, unsanitized build; prints one table per benchmark.
bench: deps
	@[ -f $(BENCH_BUILD)/build.ninja ] || \
	  meson setup $(BENCH_BUILD) --buildtype=release -Db_ndebug=false
	meson compile -C $(BENCH_BUILD)
	BENCH_BUILD=$(BENCH_BUILD) ./tests/bench/run-bench.sh $(BENCH_ARGS)

# Builds the Flatpak against a local stand-in runtime, installs the bundle, runs it in the
# sandbox (headless and under Xvfb); see flatpak/test-flatpak.sh. Needs root.
flatpak: deps
	$(SUDO) ./flatpak/test-flatpak.sh

clean:
	rm -rf $(BUILD) $(BENCH_BUILD)
