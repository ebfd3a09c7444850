# server-config-check.sh: mps -t checks a configuration (exit 0, or the file, line and key of a mistake); -T prints the effective one; MOSHPITS_ variables override the file.
. "$(dirname "$0")/../test-exec.sh"
require_programs
exec </dev/null
mps_setup
good="$SRV/good.toml"
mps_write_config "$good" 23456

expect_ok "-t on a good file" "$MPS" -t -c "$good"

cp "$good" "$SRV/bad.toml"
echo "bogus_key = 1" >>"$SRV/bad.toml"
line=$(grep -c '' "$SRV/bad.toml")
expect_fail "-t, unknown key" "$SRV/bad\\.toml:$line: .*bogus_key: unknown key" "$MPS" -t -c "$SRV/bad.toml"
expect_fail "start, unknown key" "bad\\.toml:$line:" timeout 5 "$MPS" -e -c "$SRV/bad.toml"

sed 's/^port = .*/port = 70000/' "$good" >"$SRV/bad.toml"
line=$(grep -n '^port' "$SRV/bad.toml" | cut -d: -f1)
expect_fail "-t, port out of range" "bad\\.toml:$line: .*port" "$MPS" -t -c "$SRV/bad.toml"
sed 's/^ip = .*/ip = "not-an-address"/' "$good" >"$SRV/bad.toml"
expect_fail "-t, bad ip" "not-an-address" "$MPS" -t -c "$SRV/bad.toml"

# A missing host key is explained.
sed "s|^private_key_path = .*|private_key_path = \"$SRV/nothere\"|" "$good" >"$SRV/nokey.toml"
expect_fail "-t, no host key" "no host key at $SRV/nothere" "$MPS" -t -c "$SRV/nokey.toml"
# So is a net child that cannot be run.
sed "s|^mps_net_path = .*|mps_net_path = \"$SRV/nothere\"|" "$good" >"$SRV/nonet.toml"
expect_fail "-t, no mps-net" "$SRV/nothere" "$MPS" -t -c "$SRV/nonet.toml"

expect_ok "-T" "$MPS" -T -c "$good"
grep -q '^port = 23456$' "$OBJ/out" || fail "-T does not show port = 23456: $(cat "$OBJ/out")"
grep -q '^login_grace_time = 20$' "$OBJ/out" || fail "-T does not show login_grace_time"
grep -q "^per_source_penalties = " "$OBJ/out" || fail "-T does not show per_source_penalties"
cp "$OBJ/out" "$SRV/printed.toml"
expect_ok "-t on -T's output" "$MPS" -t -c "$SRV/printed.toml"

MOSHPITS_PORT=34567 "$MPS" -T -c "$good" >"$OBJ/out" 2>"$OBJ/err" || fail "-T with MOSHPITS_PORT failed"
grep -q '^port = 34567$' "$OBJ/out" || fail "MOSHPITS_PORT did not override the file: $(grep '^port' "$OBJ/out")"
MOSHPITS_PORT=nope "$MPS" -t -c "$good" >"$OBJ/out" 2>"$OBJ/err" && fail "MOSHPITS_PORT=nope accepted"
grep -q MOSHPITS_PORT "$OBJ/err" || fail "a bad MOSHPITS_PORT is not named: $(cat "$OBJ/err")"
finish
