# session-environment.sh: a session's environment: USER, LOGNAME, HOME, SHELL, MAIL, PATH (server_path), TERM (term_type) and MP_CONNECTION from the server; the client's LANG, LC_*, TZ by default; accept_env widens it but never to LD_*, PATH and the like; authorized_keys environment= only with permit_user_environment.
. "$(dirname "$0")/../test-exec.sh"
require_programs
exec </dev/null
start_mps || finish
me=$(id -un)
home=$(getent passwd "$me" | cut -d: -f6)
shell=$(getent passwd "$me" | cut -d: -f7)
[ -n "$shell" ] || shell=/bin/sh
default_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# A harmless LD_PRELOAD for mp itself: its own C library (a sanitizer
# build of mp must be told not to mind it).
asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
libc=$(ldd "$MP" 2>/dev/null | awk '$1 ~ /^libc\.so/ { print $3 }')

# remote_env WHAT VAR=VALUE...: the session's `env` for mp run with only
# HOME, PATH and these variables; in $OBJ/env.
remote_env() {
	what=$1; shift
	env -i HOME="$HOME" PATH="$PATH" ASAN_OPTIONS="$asan" "$@" timeout -k 5 20 "$MP" -s "$MPS_PORT" \
	    --host-key-checking accept-new 127.0.0.1 -- env >"$OBJ/env" 2>"$OBJ/err" ||
	    fail "$what: exit status $? ($(cat "$OBJ/err"))"
}
# has WHAT NAME=VALUE / lacks WHAT NAME: the session's environment.
has() {
	grep -qxF -- "$2" "$OBJ/env" ||
	    fail "$1: the session lacks $2; it has: $(grep "^${2%%=*}=" "$OBJ/env")"
}
lacks() {
	grep -q "^$2=" "$OBJ/env" && fail "$1: the session has $(grep "^$2=" "$OBJ/env")"
}

# The defaults.
remote_env "defaults" LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC FOO_SECRET=1 TERM=vt100
for v in "USER=$me" "LOGNAME=$me" "HOME=$home" "SHELL=$shell" "PATH=$default_path" \
    "TERM=xterm-256color" "MAIL=/var/mail/$me" LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC; do
	has "defaults" "$v"
done
lacks "defaults" FOO_SECRET
grep -Eqx "MP_CONNECTION=127\.0\.0\.1 [0-9]+ 127\.0\.0\.1 $MPS_PORT" "$OBJ/env" ||
    fail "MP_CONNECTION: $(grep '^MP_CONNECTION' "$OBJ/env")"
cport=$(sed -n 's/^MP_CONNECTION=127\.0\.0\.1 \([0-9]*\) .*/\1/p' "$OBJ/env")
[ -n "$cport" ] && [ "$cport" != "$MPS_PORT" ] && [ "$cport" -gt 0 ] ||
    fail "MP_CONNECTION's client port: \"$cport\""

# The client sends FOO_* too: the server's default accept_env drops it.
remote_env "send_env FOO_*" MOSHPIT_SEND_ENV="LANG,LC_*,TZ,FOO_*" LANG=C.UTF-8 FOO_SECRET=1
has "send_env FOO_*" LANG=C.UTF-8
lacks "send_env FOO_*, default accept_env" FOO_SECRET

# accept_env = ["FOO_*"]: FOO_SECRET passes, LANG no longer does.
restart_mps 'accept_env = ["FOO_*"]' || finish
remote_env "accept_env FOO_*" MOSHPIT_SEND_ENV="LANG,LC_*,TZ,FOO_*" LANG=C.UTF-8 FOO_SECRET=1
has "accept_env FOO_*" FOO_SECRET=1
lacks "accept_env FOO_*" LANG
# The client's send_env still decides what is offered.
remote_env "accept_env FOO_*, default send_env" FOO_SECRET=1
lacks "accept_env FOO_*, default send_env" FOO_SECRET

# accept_env = ["*"] and a client that sends everything: the server's own
# variables and the dangerous ones are never the client's.
restart_mps 'accept_env = ["*"]' || finish
remote_env 'accept_env *' MOSHPIT_SEND_ENV="*" FOO_SECRET=1 LANG=C.UTF-8 \
    LD_PRELOAD="$libc" LD_LIBRARY_PATH=/nonexistent-$$ ld_preload=/nonexistent-$$ \
    MP_SNEAK=1 BASH_ENV=/nonexistent-$$ ENV=/nonexistent-$$ IFS=x \
    SHELL=/bin/false MAIL=/nonexistent-$$ LOGNAME=intruder TERM=vt100
has 'accept_env *' FOO_SECRET=1
has 'accept_env *' LANG=C.UTF-8
for v in LD_PRELOAD LD_LIBRARY_PATH ld_preload MP_SNEAK BASH_ENV ENV; do
	lacks 'accept_env *' "$v"
done
for v in "PATH=$default_path" "HOME=$home" "SHELL=$shell" "MAIL=/var/mail/$me" \
    "LOGNAME=$me" "USER=$me" "TERM=xterm-256color"; do
	has 'accept_env *' "$v"
done

# term_type and server_path.
restart_mps 'term_type = "screen"' "server_path = \"/opt/regress-$$/bin:/usr/bin:/bin\"" || finish
remote_env "term_type, server_path"
has "term_type = screen" TERM=screen
has "server_path" "PATH=/opt/regress-$$/bin:/usr/bin:/bin"

# authorized_keys environment=: ignored unless permit_user_environment.
pub=$(cat "$HOME/.mp/id_ed25519.pub")
echo "environment=\"X_FROM_KEY=1\" $pub" >"$MPS_AUTHKEYS"
restart_mps || finish
remote_env "environment=, permit_user_environment false"
lacks "environment=, permit_user_environment false" X_FROM_KEY
restart_mps "permit_user_environment = true" || finish
remote_env "environment=, permit_user_environment true"
has "environment=, permit_user_environment true" X_FROM_KEY=1
finish
