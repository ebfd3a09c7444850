/* seccomp.c: the libseccomp filter of the net child's steady-state loop. */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <seccomp.h>

#include "common/err.h"
#include "common/log.h"
#include "sandbox/sandbox.h"

enum cond {
	COND_NONE,		/* allowed whatever the arguments */
	COND_NOEXEC_A2,		/* allowed when (arg2 & PROT_EXEC) == 0 */
	COND_EMPTY_PATH_A3,	/* allowed when arg3 has AT_EMPTY_PATH (fstat) */
};

struct rule {
	const char	*name;
	enum cond	 cond;
};

/*
 * Names rather than SCMP_SYS() so that one table serves every
 * architecture: names the running one lacks (poll on arm64, mmap2 on
 * x86_64) are skipped.
 */
static const struct rule allow_rules[] = {
	{ "read", COND_NONE }, { "write", COND_NONE },
	{ "readv", COND_NONE }, { "writev", COND_NONE },
	{ "recvmsg", COND_NONE }, { "sendmsg", COND_NONE },
	{ "recvfrom", COND_NONE }, { "sendto", COND_NONE },
	{ "ppoll", COND_NONE }, { "ppoll_time64", COND_NONE },
	{ "poll", COND_NONE },
	{ "clock_gettime", COND_NONE }, { "clock_gettime64", COND_NONE },
	{ "clock_nanosleep", COND_NONE },
	{ "clock_nanosleep_time64", COND_NONE }, { "nanosleep", COND_NONE },
	{ "getrandom", COND_NONE },
	{ "brk", COND_NONE },
	{ "mmap", COND_NOEXEC_A2 }, { "mmap2", COND_NOEXEC_A2 },
	{ "mprotect", COND_NOEXEC_A2 },
	{ "mremap", COND_NONE }, { "munmap", COND_NONE },
	{ "madvise", COND_NONE },
	{ "futex", COND_NONE }, { "futex_time64", COND_NONE },
	{ "close", COND_NONE },
	{ "exit", COND_NONE }, { "exit_group", COND_NONE },
	{ "rt_sigreturn", COND_NONE }, { "rt_sigprocmask", COND_NONE },
	{ "restart_syscall", COND_NONE },
	{ "getpid", COND_NONE }, { "gettid", COND_NONE },
	{ "fstat", COND_NONE }, { "fstat64", COND_NONE },
	{ "newfstatat", COND_EMPTY_PATH_A3 },
	{ "fstatat64", COND_EMPTY_PATH_A3 },
};

/* The file-opening calls fail cleanly: a library probing a file survives. */
static const char *const eacces_rules[] = {
	"open", "openat", "openat2", "creat",
};

static volatile sig_atomic_t report_fd = -1;

static int
add_rule(scmp_filter_ctx ctx, const struct rule *r)
{
	int nr;

	nr = seccomp_syscall_resolve_name(r->name);
	if (nr < 0)
		return 0;	/* not a syscall of this architecture */
	switch (r->cond) {
	case COND_NOEXEC_A2:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
		    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	case COND_EMPTY_PATH_A3:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
		    SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH));
	case COND_NONE:
		break;
	}
	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
}

static int
add_ioctl_rules(scmp_filter_ctx ctx, int ioctl_fd)
{
	int r;

	/* The kernel reads the request as 32 bits: compare only those. */
	r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
	    SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, FIONREAD));
	if (r != 0 || ioctl_fd < 0)
		return r;
	/* On the PTY master: set the window size, read the line discipline's
	 * modes (is echo off?). */
	r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 2,
	    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)ioctl_fd, 0),
	    SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSWINSZ));
	if (r != 0)
		return r;
	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 2,
	    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)ioctl_fd, 0),
	    SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TCGETS));
}

static int
add_rules(scmp_filter_ctx ctx, const struct sandbox_fds *allowed)
{
	size_t i;
	int nr;

	for (i = 0; i < sizeof(allow_rules) / sizeof(allow_rules[0]); i++)
		if (add_rule(ctx, &allow_rules[i]) != 0)
			return MP_ERR_SYSTEM;
	for (i = 0; i < sizeof(eacces_rules) / sizeof(eacces_rules[0]); i++) {
		nr = seccomp_syscall_resolve_name(eacces_rules[i]);
		if (nr >= 0 && seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
		    nr, 0) != 0)
			return MP_ERR_SYSTEM;
	}
	if (add_ioctl_rules(ctx, allowed->ioctl_fd) != 0)
		return MP_ERR_SYSTEM;
	return 0;
}

/* Async-signal-safe: formats with no library call, writes one record of
 * the log pipe's format (common/log.c: uint16 length, level, text), exits. */
static void
sigsys_report(int sig, siginfo_t *info, void *ctx)
{
	static const char prefix[] = "sandbox: forbidden syscall ";
	char msg[64];
	char digits[16];
	size_t len = SANDBOX_REPORT_HDR, n = 0, i;
	unsigned int v;
	int nr = info->si_syscall;

	(void)sig;
	(void)ctx;
	for (i = 0; prefix[i] != '\0'; i++)
		msg[len++] = prefix[i];
	if (nr < 0)
		msg[len++] = '-';
	v = nr < 0 ? 0u - (unsigned int)nr : (unsigned int)nr;
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 && n < sizeof(digits));
	while (n > 0)
		msg[len++] = digits[--n];
	msg[0] = 0;
	msg[1] = (char)(len - SANDBOX_REPORT_HDR + 1);	/* level + text */
	msg[2] = (char)LOG_LEVEL_ERROR;
	if (report_fd >= 0)
		(void)!write(report_fd, msg, len);
	_exit(SANDBOX_DEBUG_EXIT);
}

static int
install_sigsys(int fd)
{
	struct sigaction sa;
	sigset_t set;

	if (fd < 0)
		return MP_ERR_INVALID_ARGUMENT;
	report_fd = fd;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sigsys_report;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) != 0)
		return MP_ERR_SYSTEM;
	sigemptyset(&set);
	sigaddset(&set, SIGSYS);
	if (sigprocmask(SIG_UNBLOCK, &set, NULL) != 0)
		return MP_ERR_SYSTEM;
	return 0;
}

static int
build_and_load(const struct sandbox_fds *allowed, int debug)
{
	scmp_filter_ctx ctx;
	int r;

	ctx = seccomp_init(debug ? SCMP_ACT_TRAP : SCMP_ACT_KILL_PROCESS);
	if (ctx == NULL)
		return MP_ERR_ALLOC;
	/* no_new_privs is set by our own prctl before; keep libseccomp out. */
	r = MP_ERR_SYSTEM;
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) != 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_KILL_PROCESS) != 0)
		goto out;
	if ((r = add_rules(ctx, allowed)) != 0)
		goto out;
	r = seccomp_load(ctx) == 0 ? 0 : MP_ERR_SYSTEM;
 out:
	seccomp_release(ctx);
	return r;
}

int
sandbox_seccomp_apply(const struct sandbox_fds *allowed, int debug)
{
	int r;

	if (allowed == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	if (debug && (r = install_sigsys(allowed->report_fd)) != 0)
		return r;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		return MP_ERR_SYSTEM;
	return build_and_load(allowed, debug);
}
