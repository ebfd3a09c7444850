# session-askpass.sh: a passphrase-protected identity: without a terminal MP_ASKPASS supplies the passphrase (a wrong one, a failing program, none at all each give a clear message and 255); on a terminal mp asks "Enter passphrase for key" with echo off.
. "$(dirname "$0")/../test-exec.sh"
require_programs
KEY="$HOME/.mp/id_ed25519"
printf 'open sesame\n' | "$MP_KEYGEN" generate --passphrase-stdin -C regress-client \
    >/dev/null 2>"$OBJ/keygen.err" || { fail "cannot generate the key: $(cat "$OBJ/keygen.err")"; finish; }
start_mps || finish
grep -qF "$(cut -d' ' -f1,2 "$KEY.pub")" "$SRV/authorized_keys" || fail "the protected key is not authorized"

# askpass NAME ANSWER [STATUS]: a program that logs its prompt and prints ANSWER.
askpass() {
	cat >"$OBJ/$1" <<EOS
#!/bin/sh
printf '%s\n' "\$*" >>"$OBJ/prompts"
printf '%s\n' "$2"
exit ${3:-0}
EOS
	chmod 0755 "$OBJ/$1"
}
askpass right "open sesame"
askpass wrong "open barley"
askpass cancel "" 1

# login VARIABLE=VALUE...: mp with no terminal at all (its own session, stdin
# /dev/null) and these variables; the status.
login() {
	: >"$OBJ/prompts"
	env "$@" setsid -w timeout -k 5 20 "$MP" -s "$MPS_PORT" --host-key-checking accept-new \
	    127.0.0.1 -- echo in-\$\(\(3+4\)\) </dev/null >"$OBJ/out" 2>"$OBJ/err"
}

login MP_ASKPASS="$OBJ/right" || fail "MP_ASKPASS: exit status $? ($(cat "$OBJ/err"))"
[ "$(cat "$OBJ/out")" = in-7 ] || fail "MP_ASKPASS: output \"$(cat "$OBJ/out")\""
[ "$(cat "$OBJ/prompts")" = "Enter passphrase for key '$KEY': " ] ||
    fail "MP_ASKPASS: the program was asked \"$(cat "$OBJ/prompts")\""
login MP_ASKPASS="$OBJ/right" MP_ASKPASS_REQUIRE=force ||
    fail "MP_ASKPASS_REQUIRE=force: exit status $? ($(cat "$OBJ/err"))"
[ "$(cat "$OBJ/out")" = in-7 ] || fail "MP_ASKPASS_REQUIRE=force: output \"$(cat "$OBJ/out")\""

# A wrong passphrase: asked three times, then the key is skipped.
login MP_ASKPASS="$OBJ/wrong"
rc=$?
[ $rc = 255 ] || fail "wrong passphrase: exit status $rc, expected 255"
[ -s "$OBJ/out" ] && fail "wrong passphrase: the command ran"
grep -qF "$KEY: incorrect passphrase 3 times; skipping this key" "$OBJ/err" ||
    fail "wrong passphrase: message: $(cat "$OBJ/err")"
grep -q "no usable identity key" "$OBJ/err" || fail "wrong passphrase: no \"no usable identity key\": $(cat "$OBJ/err")"
[ "$(grep -c "Bad passphrase, try again for key '$KEY': " "$OBJ/prompts")" = 2 ] ||
    fail "wrong passphrase: prompts $(cat "$OBJ/prompts")"
grep -q "open barley\|open sesame" "$OBJ/err" && fail "a passphrase appears in mp's messages"

# The program fails (cancelled): the key is not used.
login MP_ASKPASS="$OBJ/cancel"
rc=$?
[ $rc = 255 ] || fail "cancelled askpass: exit status $rc, expected 255"
grep -q "no usable identity key" "$OBJ/err" || fail "cancelled askpass: message: $(cat "$OBJ/err")"

# No program, no terminal; and forced with no program.
for how in "MP_ASKPASS_REQUIRE=" "MP_ASKPASS_REQUIRE=force" "MP_ASKPASS=$OBJ/right MP_ASKPASS_REQUIRE=never"; do
	# shellcheck disable=SC2086
	login $how
	rc=$?
	[ $rc = 255 ] || fail "$how: exit status $rc, expected 255"
	grep -qF "$KEY is protected by a passphrase and there is no terminal to ask for it on; set MP_ASKPASS" "$OBJ/err" ||
	    fail "$how: message: $(cat "$OBJ/err")"
	[ -s "$OBJ/prompts" ] && fail "$how: the askpass program was run"
done

# On a terminal: the prompt, echo off; a wrong answer asks again. MP_ASKPASS
# is not used when stdin is a terminal (unless forced).
: >"$OBJ/prompts"
tm_start mp 100 24 "cd '$OBJ' && MP_ASKPASS='$OBJ/wrong' '$MP' -s '$MPS_PORT' --host-key-checking accept-new 127.0.0.1; echo MP-EXIT=\$?; sleep 120"
wait_for "Enter passphrase for key '$KEY':" || finish
tm send-keys -t mp -l "open barley" && tm send-keys -t mp Enter
wait_for "Bad passphrase, try again for key '$KEY':" || finish
tm send-keys -t mp -l "open sesame" && tm send-keys -t mp Enter
wait_log "session opened for" 15 || finish
tm_run 'echo ready-$((6*7))x' "ready-42x" || finish
grep -q "open sesame\|open barley" "$OBJ/screen" && fail "a passphrase was echoed: $(cat "$OBJ/screen")"
[ -s "$OBJ/prompts" ] && fail "the askpass program was run despite the terminal"
tm_type exit
wait_for "MP-EXIT=0"
finish
