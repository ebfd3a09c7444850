# mk/build.mk: compiles the library, programs, tests, fuzzers and benchmarks (run via Makefile).
TOP := $(abspath .)
include config.mk

B ?= build

WARN = -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wpointer-arith \
	-Wstrict-prototypes -Wmissing-prototypes -Wvla -Wimplicit-fallthrough \
	-Wundef -Wwrite-strings
HARDEN = -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fstack-clash-protection \
	-fcf-protection -fPIE
LDHARDEN = -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack

ifeq ($(SANITIZE),yes)
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
ifeq ($(FUZZ),yes)
SANFLAGS = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -DMP_FUZZING
endif

ifeq ($(SECCOMP_DEBUG),yes)
SECCOMP_DEBUG_FLAGS = -DMP_SECCOMP_DEBUG=1
endif

CFLAGS = -std=gnu11 $(SECCOMP_DEBUG_FLAGS) -D_GNU_SOURCE $(CONFIGURED_CFLAGS) $(WARN) $(HARDEN) $(SANFLAGS) \
	-I. $(DEP_CFLAGS) -MMD -MP
LDFLAGS = $(LDHARDEN) $(SANFLAGS)
LIBS = $(CRYPTO_LIBS) $(ZSTD_LIBS)

# ---- the common library -------------------------------------------------
COMMON_SRCS := $(wildcard common/*.c common/*/*.c)
COMMON_OBJS := $(COMMON_SRCS:%.c=$(B)/obj/%.o)
LIBCOMMON := $(B)/libmpcommon.a

# ---- the net child's confinement (seccomp, capabilities, drops) ----------
SANDBOX_SRCS := $(wildcard sandbox/*.c)
ifneq ($(SANDBOX_SRCS),)
LIBSANDBOX := $(B)/libmpsandbox.a
SANDBOX_LIBS = $(SECCOMP_LIBS) $(LIBCAP_LIBS)
endif

# ---- programs -----------------------------------------------------------
KEYGEN_SRCS := $(wildcard keygen/*.c)
MPS_SRCS := $(wildcard monitor/*.c session/*.c)
NET_SRCS := $(wildcard privsep/*.c)
MP_SRCS := $(wildcard client/*.c)
PROGRAMS :=
LIBEXEC_PROGRAMS :=
SBIN_PROGRAMS :=
ifneq ($(KEYGEN_SRCS),)
PROGRAMS += $(B)/bin/mp-keygen
endif
ifneq ($(MPS_SRCS),)
SBIN_PROGRAMS += $(B)/bin/mps
endif
ifneq ($(NET_SRCS),)
LIBEXEC_PROGRAMS += $(B)/bin/mps-net
endif
ifneq ($(MP_SRCS),)
PROGRAMS += $(B)/bin/mp
endif

# ---- tests, fuzzers, benchmarks -----------------------------------------
UNIT_SRCS := $(wildcard regress/unittests/test_*.c)
UNIT_BINS := $(UNIT_SRCS:regress/unittests/%.c=$(B)/tests/%)
# Everything else in regress/unittests/ supports tests, fuzzers and benchmarks.
SUPPORT_SRCS := $(filter-out $(UNIT_SRCS),$(wildcard regress/unittests/*.c))
LIBSUPPORT := $(B)/libmptest.a
FUZZ_SRCS := $(wildcard regress/fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:regress/fuzz/%.c=$(B)/fuzz/%)
BENCH_SRCS := $(wildcard regress/bench/*.c)
BENCH_BINS := $(BENCH_SRCS:regress/bench/%.c=$(B)/bench/%)
# Programs the regress scripts drive (vtreplay), one per regress/tools/*.c.
TOOL_SRCS := $(wildcard regress/tools/*.c)
TOOL_BINS := $(TOOL_SRCS:regress/tools/%.c=$(B)/tools/%)

ALL_OBJS := $(COMMON_OBJS) $(KEYGEN_SRCS:%.c=$(B)/obj/%.o) \
	$(MPS_SRCS:%.c=$(B)/obj/%.o) $(NET_SRCS:%.c=$(B)/obj/%.o) \
	$(MP_SRCS:%.c=$(B)/obj/%.o) \
	$(SANDBOX_SRCS:%.c=$(B)/obj/%.o) \
	$(SUPPORT_SRCS:%.c=$(B)/obj/%.o) \
	$(UNIT_SRCS:%.c=$(B)/obj/%.o) $(BENCH_SRCS:%.c=$(B)/obj/%.o) \
	$(FUZZ_SRCS:%.c=$(B)/obj/%.o) $(TOOL_SRCS:%.c=$(B)/obj/%.o)

.PHONY: all check unittests regress demo fuzzers fuzz fuzz-smoke bench install \
	check-sanitizers check-clang need-clang
.DELETE_ON_ERROR:
.SECONDARY:

all: $(LIBCOMMON) $(PROGRAMS) $(SBIN_PROGRAMS) $(LIBEXEC_PROGRAMS)

$(B)/obj/%.o: %.c config.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/obj/regress/%.o: CFLAGS += $(TEST_CFLAGS)

$(LIBCOMMON): $(COMMON_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(B)/bin/mp-keygen: $(KEYGEN_SRCS:%.c=$(B)/obj/%.o) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# Each program's main() is in main.c; the rest of its folder forms a
# library that unit tests link too.
LIBMONITOR := $(B)/libmpmonitor.a
LIBCLIENT := $(B)/libmpclient.a
LIBNET := $(B)/libmpnet.a
$(LIBMONITOR): $(filter-out $(B)/obj/monitor/main.o,$(MPS_SRCS:%.c=$(B)/obj/%.o))
$(LIBCLIENT): $(filter-out $(B)/obj/client/main.o,$(MP_SRCS:%.c=$(B)/obj/%.o))
$(LIBNET): $(filter-out $(B)/obj/privsep/main.o,$(NET_SRCS:%.c=$(B)/obj/%.o))
$(LIBMONITOR) $(LIBCLIENT) $(LIBNET):
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(B)/bin/mps: $(B)/obj/monitor/main.o $(LIBMONITOR) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(PAM_LIBS) $(LIBCAP_LIBS)

$(B)/bin/mps-net: $(B)/obj/privsep/main.o $(LIBNET) $(LIBSANDBOX) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(SANDBOX_LIBS)

$(B)/bin/mp: $(B)/obj/client/main.o $(LIBCLIENT) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(LIBSANDBOX): $(SANDBOX_SRCS:%.c=$(B)/obj/%.o)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(LIBSUPPORT): $(SUPPORT_SRCS:%.c=$(B)/obj/%.o)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(B)/tests/%: $(B)/obj/regress/unittests/%.o $(LIBSUPPORT) $(LIBMONITOR) \
    $(LIBCLIENT) $(LIBNET) $(LIBSANDBOX) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(SANDBOX_LIBS) $(PAM_LIBS) \
	    $(CMOCKA_LIBS) $(JANSSON_LIBS) $(VTERM_LIBS)

$(B)/bench/%: $(B)/obj/regress/bench/%.o $(LIBSUPPORT) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(VTERM_LIBS)

$(B)/tools/%: $(B)/obj/regress/tools/%.o $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(B)/fuzz/%: $(B)/obj/regress/fuzz/%.o $(LIBSUPPORT) $(LIBCLIENT) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

# ---- running ------------------------------------------------------------
export MP_VECTORS_DIR := $(VECTORS_DIR)
export MP_BUILD_DIR := $(abspath $(B))

unittests: all $(UNIT_BINS) $(TOOL_BINS)
	@sh regress/run-unittests $(UNIT_BINS)

regress: all $(TOOL_BINS)
	@sh regress/run-regress

check: all $(UNIT_BINS) $(TOOL_BINS)
	@sh regress/run-all $(UNIT_BINS)

check-sanitizers:
	+@$(MAKE) --no-print-directory -f mk/build.mk B=build/sanitize SANITIZE=yes check

need-clang:
	@test -n "$(CLANG)" || { echo "clang not found: install the Debian package clang (scripts/install-deps)"; exit 1; }

check-clang: need-clang
	+@$(MAKE) --no-print-directory -f mk/build.mk B=build/clang CC=$(CLANG) $(BENCH_SRCS:regress/bench/%.c=build/clang/bench/%) unittests

fuzzers: $(FUZZ_BINS)

fuzz: need-clang
	+@$(MAKE) --no-print-directory -f mk/build.mk B=build/fuzz CC=$(CLANG) FUZZ=yes fuzzers

fuzz-smoke: fuzz
	@sh regress/fuzz/run-smoke build/fuzz/fuzz

bench: all $(BENCH_BINS)
	@for b in $(BENCH_BINS); do echo "== $$b"; $$b || exit 1; done
	@for b in regress/bench/*.sh; do echo "== $$b"; sh $$b || exit 1; done

demo: all
	@sh scripts/demo $(B)

install: all
	install -d $(DESTDIR)$(bindir)
	install -m 0755 $(PROGRAMS) $(DESTDIR)$(bindir)
	$(if $(SBIN_PROGRAMS),install -d $(DESTDIR)$(sbindir))
	$(if $(SBIN_PROGRAMS),install -m 0755 $(SBIN_PROGRAMS) $(DESTDIR)$(sbindir))
	$(if $(LIBEXEC_PROGRAMS),install -d $(DESTDIR)$(libexecdir))
	$(if $(LIBEXEC_PROGRAMS),install -m 0755 $(LIBEXEC_PROGRAMS) $(DESTDIR)$(libexecdir))
	install -d $(DESTDIR)$(sysconfdir)/pam.d
	test -e $(DESTDIR)$(sysconfdir)/pam.d/mps || \
	    install -m 0644 contrib/pam.d/mps $(DESTDIR)$(sysconfdir)/pam.d/mps

-include $(ALL_OBJS:.o=.d)
