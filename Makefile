# Makefile: entry point of a fresh clone; runs configure when needed, then mk/build.mk.
BUILD = $(MAKE) --no-print-directory -f mk/build.mk

.PHONY: all check demo install clean distclean deps fuzz fuzz-smoke bench \
	check-sanitizers check-clang

all: config.mk
	+@$(BUILD) all

# check and demo install missing Debian packages first (scripts/install-deps).
check: deps
	+@$(MAKE) --no-print-directory config.mk
	+@$(BUILD) check

demo: deps
	+@$(MAKE) --no-print-directory config.mk
	+@$(BUILD) demo

check-sanitizers check-clang fuzz fuzz-smoke install: config.mk
	+@$(BUILD) $@

# The benchmarks compare with OpenSSH and mosh: install them first.
bench: config.mk
	@scripts/install-deps --bench
	+@$(BUILD) bench

deps:
	@scripts/install-deps

config.mk config.h: configure config.mk.in config.h.in
	@if [ -x config.status ]; then ./config.status --recheck && ./config.status; \
	else ./configure; fi

configure: configure.ac
	autoreconf -fi

clean:
	rm -rf build

distclean: clean
	rm -rf config.mk config.h config.status config.log configure autom4te.cache aclocal.m4
