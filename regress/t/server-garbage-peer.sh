# server-garbage-peer.sh: random bytes, an SSH client and a Rust moshpit client are each closed with nothing sent back and one clear log line; logins still work.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish

hex() {
	od -An -tx1 | tr -d ' \n'
}

# probe NAME HEX LOGTEXT
probe() {
	log_mark
	res=$(tcp_probe "$2" 5)
	set -- "$1" "$2" "$3" $res
	if [ "${4:-}" != closed ]; then
		fail "$1: the connection is still open after 5 s"
	elif [ "$6" != 0 ]; then
		fail "$1: the server sent back $6 bytes"
	fi
	wait_log "$3" 5
}

garbage="fefe$(head -c 300 /dev/urandom | hex)"
probe "random bytes" "$garbage" "refusing a peer that sent no moshpit version line"
probe "SSH client" "$(printf 'SSH-2.0-OpenSSH_9.2\r\n' | hex)" "refusing an SSH client on the moshpit port"
# The Rust moshpit's first frame: KexInit (id 9), length 0xdb, variant 9, payload.
rust="09$(printf '00%.0s' 1 2 3 4 5 6 7)db09$(head -c 218 /dev/zero | hex)"
probe "Rust moshpit" "$rust" "refusing a client that speaks the Rust moshpit protocol"
probe "empty line" "0d0a" "refusing a peer that sent no moshpit version line"

out=$(mp_cmd 127.0.0.1 -- echo in-\$\(\(4+5\)\) </dev/null 2>"$OBJ/err")
[ "$out" = in-9 ] || fail "login after the garbage: $(cat "$OBJ/err")"
finish
