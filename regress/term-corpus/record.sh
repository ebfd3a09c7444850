#!/bin/sh
# record.sh: records the terminal corpus: real programs under script(1) in an 80x24 tmux pane with TERM=xterm-256color, driven by tmux send-keys; writes NAME.vt and its pause offsets NAME.cuts.
#
# usage: sh regress/term-corpus/record.sh [NAME...]	(default: all of them)
# Needs tmux, script (util-linux), vim, less, man, top, htop, bash, vttest.
#
# NAME.vt is exactly what the program wrote to its terminal (script's
# header and trailer removed). NAME.cuts lists, one per line, the byte
# offsets after which the program paused for at least 0.15 s: the screens
# a user saw, where the tests compare emulators.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d)
SOCK="mp-record-$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null || :
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"; rm -rf "$W"' EXIT INT TERM
mkdir "$W/home"
echo "set -g status off" >"$W/tmux.conf"

tm() {
	tmux -L "$SOCK" -f "$W/tmux.conf" "$@"
}

# key ARGS...: tmux send-keys to the recording, then a pause.
key() {
	tm send-keys -t rec "$@"
	sleep "${PAUSE:-0.4}"
}

# text STRING: type STRING literally, then a pause.
text() {
	key -l -- "$1"
}

# start COMMAND: run COMMAND (by sh) under script(1) in a fresh 80x24 pane.
start() {
	printf '%s\n' "$1" >"$W/cmd.sh"
	rm -f "$W/rec.tm" "$W/rec.ts"
	tm new-session -d -s rec -x 80 -y 24 "cd '$W/home' && exec env -i \
	    PATH=/usr/local/bin:/usr/bin:/bin HOME='$W/home' \
	    TERM=xterm-256color LANG=C.UTF-8 LESSHISTFILE=- MANPAGER=less \
	    script -q -m advanced -T '$W/rec.tm' -O '$W/rec.ts' \
	    -c 'sh $W/cmd.sh'"
	sleep 1
}

# finish NAME: wait for the program to end, then write NAME.vt and NAME.cuts.
finish() {
	n=0
	while ! grep -q EXIT_CODE "$W/rec.tm" 2>/dev/null; do
		n=$((n + 1))
		if [ $n -gt 100 ]; then
			echo "record.sh: $1 did not end" >&2
			exit 1
		fi
		sleep 0.2
	done
	tm kill-session -t rec 2>/dev/null || :
	header=$(head -n 1 "$W/rec.ts" | wc -c)
	total=$(awk '$1 == "O" { n += $3 } END { print n + 0 }' "$W/rec.tm")
	tail -c "+$((header + 1))" "$W/rec.ts" | head -c "$total" >"$here/$1.vt"
	awk '$1 == "O" {
		if (n > 0 && $2 >= 0.15) print n
		n += $3
	} END { print n }' "$W/rec.tm" >"$here/$1.cuts"
	echo "$1: $total bytes, $(wc -l <"$here/$1.cuts") pauses"
}

sample_c() {
	cat <<'EOF'
/* sample.c: a small program to edit in the vim recording. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct word {
	char *text;
	int count;
};

static int
compare(const void *a, const void *b)
{
	const struct word *x = a, *y = b;

	if (x->count != y->count)
		return y->count - x->count;
	return strcmp(x->text, y->text);
}

static struct word *
find(struct word *words, size_t n, const char *text)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(words[i].text, text) == 0)
			return &words[i];
	return NULL;
}

int
main(void)
{
	struct word words[256], *w;
	char line[1024], *tok;
	size_t n = 0, i;

	while (fgets(line, sizeof(line), stdin) != NULL) {
		for (tok = strtok(line, " \t\n"); tok != NULL;
		    tok = strtok(NULL, " \t\n")) {
			if ((w = find(words, n, tok)) != NULL) {
				w->count++;
				continue;
			}
			if (n == sizeof(words) / sizeof(words[0]))
				break;
			words[n].text = strdup(tok);
			words[n++].count = 1;
		}
	}
	qsort(words, n, sizeof(words[0]), compare);
	for (i = 0; i < n; i++)
		printf("%6d %s\n", words[i].count, words[i].text);
	return 0;
}
EOF
}

rec_vim() {
	sample_c >"$W/home/sample.c"
	start "vim -u NONE -N -i NONE -c 'syntax on' -c 'set number ruler laststatus=2' sample.c"
	key G; key gg; key C-d; key C-d; key C-u
	text "/strcmp"; key Enter; key n
	key o; text "	/* a comment typed in insert mode, long enough to wrap past the right edge of the window */"
	key Escape; key 5k; key dd; key u
	text ":split"; key Enter; key C-w j; key 20j
	text ":set nonumber"; key Enter
	text ":q"; key Enter
	text ":%s/words/items/g"; key Enter; key C-l
	text ":q!"; key Enter
	finish vim
}

rec_less() {
	start "less -R /usr/share/common-licenses/GPL-3"
	key Space; key Space; key b; key j; key j
	text "/warranty"; key Enter; key n; key n
	text "-N"; key Enter; key G; key g; key q
	finish less
}

rec_man() {
	start "man ls"
	sleep 1
	key Space; key Space
	text "/sort"; key Enter; key n; key k; key q
	finish man
}

rec_top() {
	start "top -d 0.5"
	sleep 2
	key 1; sleep 1; key c; sleep 1; key q
	finish top
}

rec_htop() {
	start "htop -d 5"
	sleep 2
	key Down; key Down; key Down; sleep 1; key F2; sleep 0.5; key Escape
	sleep 1; key q
	finish htop
}

rec_shell() {
	start "PS1='\\[\\e[1;32m\\]user@host\\[\\e[0m\\]:\\[\\e[1;34m\\]~\\[\\e[0m\\]\$ ' bash --norc --noprofile -i"
	text "ls --color=always -la /usr/share/common-licenses /usr/bin/vi /usr/share/man"; key Enter
	text 'for i in $(seq 0 255); do printf "\e[38;5;%dm%03d " $i $i; done; printf "\e[0m\n"'; key Enter
	text 'for r in 0 40 80 120 160 200 240; do for g in 0 60 120 180 240; do printf "\e[48;2;%d;%d;100m  " $r $g; done; done; printf "\e[m\n"'; key Enter
	text 'echo $(seq 1 120)'; key Enter
	text 'printf "\e[1mbold\e[0m \e[2mfaint\e[0m \e[3mitalic\e[0m \e[4munder\e[0m \e[5mblink\e[0m \e[7mreverse\e[0m \e[9mstrike\e[0m \e[4:3mcurly\e[0m\n"'; key Enter
	text 'printf "a\tbb\tccc\tdddd\te\n1\t22\t333\t4444\t5\n"'; key Enter
	text 'seq 1 12'; key Enter
	text 'echo a very long command line that the shell has to wrap over two rows of the terminal'; key C-a; key M-f; key M-f; key C-k; key Enter
	text "exit"; key Enter
	finish shell
}

sample_wide() {
	printf '%s\n' \
	    'CJK: 漢字とかなカナ、中文字符，한국어 텍스트' \
	    'Fullwidth: ＡＢＣ１２３！ and halfwidth: ｱｲｳｴｵ' \
	    'Emoji: 😀 😃 🎉 🚀 🌍 ❤ ✔ ☃ ⚡ 🐧' \
	    'Greek Ελληνικά, Cyrillic Кириллица, Hebrew עברית, Arabic العربية' \
	    'Box: ┌──┬──┐ │ab│cd│ └──┴──┘ ░▒▓█ ♠♣♥♦'
	printf 'Combining: e\314\201 a\314\203 n\314\203 double e\314\201\314\201 Z\314\244\314\210 end\n'
	printf '%079d漢next\n' 0
	printf '%078d漢next\n' 0
	printf '\e[31m紅\e[42m綠\e[0m \e[7m反転\e[0m 😀x\n'
	printf 'overwrite: 漢字\b\bX\n'
	printf '漢字漢字\r\e[3CY\e[10;1H'
}

rec_wide() {
	sample_wide >"$W/home/wide.txt"
	start "cat wide.txt"
	finish wide
}

rec_vttest() {
	start "vttest"
	# 1: cursor movements (six screens), 2: screen features (fifteen),
	# 8: insert and delete (fourteen); then 0 quits.
	PAUSE=0.8
	text 1; key Enter
	for _i in 1 2 3 4 5 6; do key Enter; done
	text 2; key Enter
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do key Enter; done
	text 8; key Enter
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do key Enter; done
	text 0; key Enter
	PAUSE=0.4
	finish vttest
}

names=${*:-"vim less man top htop shell wide vttest"}
for name in $names; do
	"rec_$name"
done
