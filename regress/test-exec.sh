# test-exec.sh: shared driver sourced by every regress/t/*.sh script (one behaviour per script).
# Provides the build's binaries, a private scratch directory and assertion helpers.
set -u

: "${MP_BUILD_DIR:?run regress scripts through make check (MP_BUILD_DIR unset)}"
MP_KEYGEN="$MP_BUILD_DIR/bin/mp-keygen"
TEST_NAME=$(basename "$0" .sh)
OBJ=$(mktemp -d "${TMPDIR:-/tmp}/mp-regress.$TEST_NAME.XXXXXX")
chmod 700 "$OBJ"
# Programs under test must not see the developer's own keys or config.
export HOME="$OBJ/home"
mkdir -p "$HOME"
chmod 700 "$HOME"
unset MOSHPIT_CONFIG MOSHPITS_CONFIG 2>/dev/null || true

test_failures=0

cleanup() {
	rm -rf "$OBJ"
}
trap cleanup EXIT

verbose() {
	echo "  $TEST_NAME: $*"
}

fail() {
	echo "  FAIL $TEST_NAME: $*"
	test_failures=$((test_failures + 1))
}

# expect_ok DESCRIPTION COMMAND...: the command must exit 0.
expect_ok() {
	desc=$1; shift
	if ! "$@" >"$OBJ/out" 2>"$OBJ/err"; then
		fail "$desc: exited non-zero: $(head -c 500 "$OBJ/err")"
		return 1
	fi
	return 0
}

# expect_fail DESCRIPTION PATTERN COMMAND...: the command must exit non-zero
# and print PATTERN (an extended regular expression) on stderr.
expect_fail() {
	desc=$1; pattern=$2; shift 2
	if "$@" >"$OBJ/out" 2>"$OBJ/err"; then
		fail "$desc: succeeded but should have failed"
		return 1
	fi
	if ! grep -Eq -- "$pattern" "$OBJ/err"; then
		fail "$desc: error message did not match /$pattern/: $(head -c 500 "$OBJ/err")"
		return 1
	fi
	return 0
}

# finish: report and exit with the script's verdict; call at the end.
finish() {
	if [ "$test_failures" -ne 0 ]; then
		echo "not ok $TEST_NAME ($test_failures failures)"
		exit 1
	fi
	echo "ok $TEST_NAME"
	exit 0
}
