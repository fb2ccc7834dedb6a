# SPDX-License-Identifier: GPL-3.0-or-later
# A thin wrapper over Meson: `make run` and `make check` install what the project needs from
# Debian's packages when it is missing, configure, build, and run.

BUILD       ?= _build
BENCH_BUILD ?= _build-bench
VALGRIND_BUILD ?= _build-valgrind
MESON_ARGS  ?=
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian 12 packages the project needs to build, test and benchmark (one a line, sorted).
DEBIAN_PACKAGES = \
	adwaita-icon-theme \
	appstream \
	at-spi2-core \
	curl \
	dbus \
	dbus-x11 \
	debootstrap \
	desktop-file-utils \
	elfutils \
	flatpak \
	flatpak-builder \
	fonts-cantarell \
	gcc \
	gettext \
	gi-docgen \
	gobject-introspection \
	gnome-keyring \
	gnome-system-monitor \
	imagemagick \
	libadwaita-1-dev \
	libepoxy-dev \
	libgirepository1.0-dev \
	libglib2.0-bin \
	libglib2.0-dev \
	libgtk-4-bin \
	libgtk-4-dev \
	libjson-glib-dev \
	libmosquitto-dev \
	libnginx-mod-nchan \
	libpcre2-dev \
	libpq-dev \
	libsecret-1-dev \
	libsoup-3.0-dev \
	libsystemd-dev \
	libzstd-dev \
	locales \
	meson \
	mosquitto \
	mosquitto-clients \
	nginx \
	ninja-build \
	openssl \
	ostree \
	pkg-config \
	postgresql-15 \
	prometheus-node-exporter \
	python3 \
	python3-aiofiles \
	python3-aiohttp \
	python3-gi \
	python3-paho-mqtt \
	python3-psycopg \
	python3-pyatspi \
	python3-zstandard \
	systemd-journal-remote \
	valgrind \
	x11-utils \
	xauth \
	xdotool \
	xvfb \
	zstd

.PHONY: all deps build run check docs valgrind bench fuzz soak clean flatpak

all: build

# Servers the integration tests start themselves on loopback ports (tests/integration): their
# packages would also start them as system services, nginx on port 80, which nothing here needs.
NO_SERVICES = nginx|prometheus-node-exporter|postgresql|mosquitto

# dpkg-query is fast; apt-get runs only when something is missing. While it installs, a
# policy-rc.d (the hook Debian's maintainer scripts ask before starting a service, under
# systemd too) refuses to start NO_SERVICES; a machine that has its own policy-rc.d (a
# container's usually refuses every start) keeps it.
POLICY_RC_D = /usr/sbin/policy-rc.d

deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing: $$missing"; \
	  policy=; \
	  if [ ! -e $(POLICY_RC_D) ]; then \
	    policy=$(POLICY_RC_D); \
	    trap '$(SUDO) rm -f $(POLICY_RC_D)' EXIT; trap 'exit 1' INT TERM; \
	    printf '#!/bin/sh\n# from feedwatch make deps, removed when it ends\ncase "$$1" in %s) exit 101;; esac\nexit 0\n' \
	      '$(NO_SERVICES)' | $(SUDO) tee $$policy >/dev/null && \
	    $(SUDO) chmod 755 $$policy; \
	  fi; \
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
# Xvfb resets itself whenever its last client leaves; a test whose window connects in that
# moment is refused ("cannot open display"), so the tests' display never resets.
XVFB_RUN = xvfb-run -a -s '-screen 0 1280x800x24 -noreset'

check: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  meson test -C $(BUILD) --print-errorlogs $(TEST_ARGS); \
	else \
	  $(XVFB_RUN) dbus-run-session -- \
	    meson test -C $(BUILD) --print-errorlogs $(TEST_ARGS); \
	fi

# The API reference of libfeedwatch-streams (gi-docgen, from Feedwatch-0.gir), in
# $(BUILD)/docs/Feedwatch-0/index.html. Fails on any undocumented public symbol.
docs: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD) feedwatch-docs

# The whole suite under valgrind (memory errors and definite leaks fail; see tests/meson.build),
# on its own build without sanitizers, which valgrind cannot run with. Slow: one test at a time.
valgrind: deps
	@[ -f $(VALGRIND_BUILD)/build.ninja ] || meson setup $(VALGRIND_BUILD)
	meson compile -C $(VALGRIND_BUILD)
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  meson test -C $(VALGRIND_BUILD) --setup=valgrind --num-processes 1 --print-errorlogs $(TEST_ARGS); \
	else \
	  $(XVFB_RUN) dbus-run-session -- \
	    meson test -C $(VALGRIND_BUILD) --setup=valgrind --num-processes 1 --print-errorlogs $(TEST_ARGS); \
	fi

# libFuzzer targets (tests/fuzz), each run for FUZZ_TIME seconds (default 60) on a scratch copy
# of its corpus in FUZZ_BUILD (default _build-fuzz; new finds stay there, not in git), one after
# the other; prints each one's final stats. FUZZ_TARGETS picks some (default all), FUZZ_ARGS
# adds libFuzzer options. Needs clang and its runtime (FUZZ_PACKAGES), installed if missing.
FUZZ_BUILD    ?= _build-fuzz
FUZZ_TIME     ?= 60
FUZZ_TARGETS  ?= sse-parser ndjson metrics-parser log-lines feed-spec websocket-frame
FUZZ_PACKAGES  = clang libclang-rt-dev

fuzz: deps
	@$(MAKE) --no-print-directory deps DEBIAN_PACKAGES='$(FUZZ_PACKAGES)'
	@[ -f $(FUZZ_BUILD)/build.ninja ] || \
	  CC=clang meson setup $(FUZZ_BUILD) -Dfuzzing=true -Db_sanitize=address,undefined \
	    -Db_lundef=false
	meson compile -C $(FUZZ_BUILD) $(addprefix tests/fuzz/fuzz-,$(FUZZ_TARGETS))
	./tests/fuzz/run-fuzz.sh $(FUZZ_BUILD) $(FUZZ_TIME) $(FUZZ_TARGETS)

# Optimized, unsanitized build; prints one table per benchmark.
bench: deps
	@[ -f $(BENCH_BUILD)/build.ninja ] || \
	  meson setup $(BENCH_BUILD) --buildtype=release -Db_ndebug=false
	meson compile -C $(BENCH_BUILD)
	BENCH_BUILD=$(BENCH_BUILD) ./tests/bench/run-bench.sh $(BENCH_ARGS)

# Every kind of feed at high rates for SOAK_TIME seconds, through --print and the window (the
# script starts Xvfb when there is no display), sampling memory, descriptors and threads; fails
# if one keeps growing. Writes $(BUILD)/soak-*.csv. A 30 s version runs in `make check`.
SOAK_TIME ?= 600

soak: deps $(BUILD)/build.ninja
	ninja -C $(BUILD) app/feedwatch app/feedwatch-window.so data/gschemas.compiled
	python3 tests/soak/soak.py --feedwatch $(BUILD)/app/feedwatch --schema-dir $(BUILD)/data \
	  --out $(BUILD) --duration $(SOAK_TIME)

# Builds the Flatpak against a local stand-in runtime, installs the bundle, runs it in the
# sandbox (headless and under Xvfb); see flatpak/test-flatpak.sh. Needs root.
flatpak: deps
	$(SUDO) ./flatpak/test-flatpak.sh

clean:
	rm -rf $(BUILD) $(BENCH_BUILD) $(VALGRIND_BUILD) $(FUZZ_BUILD)
