#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_completions.sh - the bash, zsh and fish completions of apptrackctl offer every
# command, sub-command and option the real client's help lists, the status names (and the
# other value lists) for option values, files for file arguments and nothing for URLs, ids
# and free text. Each shell really completes: bash calls _apptrackctl with COMP_WORDS set,
# fish runs complete -C, zsh runs compinit in an interactive zsh on a zpty and presses TAB.
. "$(dirname "$0")/lib.sh"
COMP="$SOURCE_DIR/contrib/completions"
BASH_COMPLETION=/usr/share/bash-completion/bash_completion

# ---- the truth, from the real client (and the daemon's error messages) ----

# word lists are one line, words separated by spaces
commands=$("$APPTRACKCTL" help | awk '/^Commands:/ { on = 1; next } on && NF { print $1 }' | paste -sd ' ')
check "apptrackctl help lists commands" test -n "$commands"
global_opts=$("$APPTRACKCTL" --help | awk '/^Global options:/ { on = 1; next } /^Commands:/ { on = 0 } on' |
	grep -oE -- '(^|[ ,])--?[A-Za-z][a-z-]*' | tr -d ' ,' | sort -u | paste -sd ' ')
check "apptrackctl --help lists global options" test -n "$global_opts"
# the global options' values: "  --socket PATH   ..." gives PATH
global_meta=$("$APPTRACKCTL" --help | sed -nE 's/^  (-[A-Za-z], )?(--[a-z-]+) ([A-Z]+) .*/\2 \3/p')

start_daemon
ctl add --company X --position Y --status no-such-status
statuses=$(printf '%s' "$ERR" | sed -n 's/.*(valid: \(.*\))$/\1/p' | tr -d ,)
check "the daemon names the statuses" test -n "$statuses"
ctl list --sort no-such-field
sort_fields=$(printf '%s' "$ERR" | sed -n 's/.*(use \(.*\), with - for descending)$/\1/p' | sed 's/,//g; s/ or / /')
check "the daemon names the sort fields" test -n "$sort_fields"
ctl interview list --type no-such-type
interview_types=$(printf '%s' "$ERR" | sed -n 's/.*: expected \(.*\)$/\1/p' | sed 's/,//g; s/ or / /')
check "the daemon names the interview types" test -n "$interview_types"
stop_daemon

# usage KEY: the arguments of the usage line of a command ("add") or sub-command
# ("contacts add"); summary KEY: its one-line description
usage_text() {
	if [[ $1 == *' '* ]]; then
		"$APPTRACKCTL" $1 --help
	else
		"$APPTRACKCTL" help "$1"
	fi
}
usage() {
	usage_text "$1" | sed -n "1s/^usage: apptrackctl $1 *//p"
}
summary() {
	usage_text "$1" | sed -n 2p
}
subcommands() {
	"$APPTRACKCTL" help "$1" | awk -v c="$1" '/^  / && $1 == c { print $2 }'
}

# parse_usage ARGS: the options of a usage line, in order, into ONAMES and OPTS (option ->
# its metavar, "" for a flag), and its arguments, in order, into POS. "--FIELD VALUE" (the
# options of add) is neither; a quoted metavar ("YYYY-MM-DD HH:MM") is one.
parse_usage() {
	local -a tok
	local i t name next rest flag
	read -ra tok <<<"$1"
	OPTS=() ONAMES=() POS=()
	for ((i = 0; i < ${#tok[@]}; i++)); do
		t=${tok[i]}
		t=${t#"${t%%[!\[\(]*}"} # leading [ and (
		case $t in
		--[a-z]*)
			name=${t%%[])|]*}
			ONAMES+=("$name")
			next=${tok[i + 1]:-}
			flag=""
			case $t in *']'* | *')'*) flag=1 ;; esac       # "[--all]", "--all)"
			case ${next:0:1} in '' | '[' | '(' | '|' | '-') flag=1 ;; esac
			if [[ -n $flag || $next == ... ]]; then
				OPTS[$name]=""
				continue
			fi
			((i++))
			if [[ $next == \"* ]]; then
				# a quoted metavar: up to the word with the closing quote
				rest=${next#\"}
				while [[ $rest != *\"* ]] && ((i + 1 < ${#tok[@]})); do
					((i++))
					rest+=" ${tok[i]}"
				done
				OPTS[$name]=${rest%%\"*}
			else
				next=${next%...}
				OPTS[$name]=${next%%[\])]*}
			fi ;;
		--[A-Z]*) ((i++)) ;;
		'|' | ... | '') ;;
		*)
			t=${t%...}
			POS+=("${t%%[\])]*}") ;;
		esac
	done
}

declare -A OPTS KEY_OPTS KEY_POS META CHOICES SUBS
declare -a ONAMES POS
keys=()
for cmd in $commands; do
	keys+=("$cmd")
	SUBS[$cmd]=$(subcommands "$cmd" | paste -sd ' ')
	for sub in ${SUBS[$cmd]}; do
		keys+=("$cmd $sub")
	done
done
check "apptrackctl help contacts lists sub-commands" test -n "${SUBS[contacts]}"

# every key's options and arguments; the metavars, and the value lists of options
for key in "${keys[@]}"; do
	parse_usage "$(usage "$key")"
	KEY_POS[$key]="${POS[*]}"
	list=""
	for o in "${ONAMES[@]}"; do
		list+=" $o"
		META["$key $o"]=${OPTS[$o]}
		[[ ${OPTS[$o]} == *'|'* ]] && CHOICES[$o]=${OPTS[$o]//|/ }
	done
	KEY_OPTS[$key]=$list
done
for key in "${keys[@]}"; do
	if [[ $(usage "$key") == *--FIELD* ]]; then
		# "ID --FIELD VALUE...": the options of the sibling add, but those the summary excludes
		add=${key% *}
		[[ $add == "$key" ]] && add=add || add="$add add"
		but=$(summary "$key" | grep -oE -- 'but --[a-z-]+' | sed 's/^but //')
		list=""
		for o in ${KEY_OPTS[$add]}; do
			[[ " $but " == *" $o "* ]] && continue
			list+=" $o"
			META["$key $o"]=${META["$add $o"]}
		done
		check "the options of $key come from $add" test -n "$list"
		KEY_OPTS[$key]=$list
	fi
done
for key in "${keys[@]}"; do
	if [[ -n ${SUBS[$key]-} ]]; then
		# a command's own options are those its sub-commands do not have
		list=""
		for o in ${KEY_OPTS[$key]}; do
			for sub in ${SUBS[$key]}; do
				[[ " ${KEY_OPTS[$key $sub]} " == *" $o "* ]] && continue 2
			done
			list+=" $o"
		done
		KEY_OPTS[$key]=$list
	fi
done
expect_eq "the interview types of the usage are the daemon's" "$interview_types" "${CHOICES[--type]-}"
CHOICES[--sort]=$sort_fields

# ---- the queries, and what each must offer ----
#
# Each query is a command line up to the cursor. In $T/files, where the shells complete,
# are sample.csv, sample.eml and sample.txt: a file argument must offer them, and "sa" must
# offer nothing where nothing is to be completed.

FILES="$T/files"
mkdir -p "$FILES"
touch "$FILES/sample.csv" "$FILES/sample.eml" "$FILES/sample.txt"
Q_LINE=() Q_DESC=() Q_KIND=() Q_WANT=() Q_EXTRA=()
# query DESCRIPTION LINE KIND WANT [EXTRA]: KIND set (WANT, and nothing outside WANT and
# EXTRA), has (WANT among others) or none (nothing at all)
query() {
	Q_DESC+=("$1") Q_LINE+=("$2") Q_KIND+=("$3") Q_WANT+=("${4-}") Q_EXTRA+=("${5-}")
}
# the value of an option, or an argument: what it must offer
value_query() {
	local desc=$1 line=$2 name=$3 meta=$4
	if [[ $name == --status ]]; then
		query "$desc offers the statuses" "$line " set "$statuses"
	elif [[ -n $name && -n ${CHOICES[$name]-} ]]; then
		local extra=""
		[[ $name == --sort ]] && extra=$(printf -- '-%s ' $sort_fields)
		query "$desc offers its values" "$line " set "${CHOICES[$name]}" "$extra"
	elif [[ $meta == STATUS ]]; then
		query "$desc offers the statuses" "$line " set "$statuses"
	elif [[ $meta == COMMAND ]]; then
		query "$desc offers the commands" "$line " set "$commands"
	elif [[ $meta == *'|'* ]]; then
		query "$desc offers its values" "$line " set "${meta//|/ }"
	elif [[ $meta == F || $meta == FILE* || $meta == PATH ]]; then
		local ext=""
		[[ $meta == FILE.* ]] && ext=${meta#FILE.}
		query "$desc offers files" "$line sample" has "sample.${ext:-txt}"
	else
		query "$desc ($meta) offers nothing" "$line sa" none
	fi
}

query "the commands" "apptrackctl " set "$commands"
query "the global options" "apptrackctl -" set "$global_opts"
while read -r o meta; do
	[[ -n $o ]] || continue
	value_query "global $o" "apptrackctl $o" "$o" "$meta"
done <<<"$global_meta"
for key in "${keys[@]}"; do
	query "the options of $key" "apptrackctl $key -" set "${KEY_OPTS[$key]}" "--json --help -h"
	if [[ -n ${SUBS[$key]-} ]]; then
		query "the sub-commands of $key" "apptrackctl $key " set "${SUBS[$key]}"
		continue
	fi
	for o in ${KEY_OPTS[$key]}; do
		meta=${META["$key $o"]}
		[[ -n $meta ]] && value_query "$key $o" "apptrackctl $key $o" "$o" "$meta"
	done
	line="apptrackctl $key"
	for p in ${KEY_POS[$key]}; do
		value_query "$key's argument $p" "$line" "" "$p"
		line+=" 1"
	done
done
# global options before the command, and option values that look like commands or
# arguments, are skipped
query "the options of add after global options" "apptrackctl --json --socket x add -" set "${KEY_OPTS[add]}" \
	"--json --help -h"
query "the sub-commands of contacts after --socket=PATH" "apptrackctl --socket=x contacts " set "${SUBS[contacts]}"
# (zsh offers an option given already no more)
query "the options of contacts add after --name rm" "apptrackctl contacts add --name rm -" set \
	"${KEY_OPTS[contacts add]/ --name/}" "--name --json --help -h"
query "status ID STATUS after --note N" "apptrackctl status --note x 1 " set "$statuses"
# apptrackctl.1: list --status takes a comma-separated list
query "list --status continues a comma-separated list" "apptrackctl list --status applied,s" has "applied,screen"

printf '%s\n' "${Q_LINE[@]}" >"$T/queries"
echo "# ${#Q_LINE[@]} queries"

# parse_results FILE: RESULT[line] = the candidates offered, sorted, one a line. A file
# holds "Q<TAB>line", the candidates, "END" for each query.
declare -A RESULT
parse_results() {
	local line q="" cands=""
	RESULT=()
	while IFS= read -r line; do
		case $line in
		Q$'\t'*) q=${line#Q$'\t'} cands="" ;;
		END) [[ -n $q ]] && RESULT[$q]=$(printf '%s' "$cands" | sort -u) q="" ;;
		'') ;;
		*) [[ -n $q ]] && cands+=$line$'\n' ;;
		esac
	done <"$1"
}

# expect_set DESCRIPTION WANT EXTRA GOT: GOT (one a line) holds every word of WANT and
# nothing outside WANT and EXTRA
expect_set() {
	local missing="" extra="" w
	for w in $2; do
		printf '%s\n' "$4" | grep -qxF -- "$w" || missing+=" $w"
	done
	while IFS= read -r w; do
		[[ -z $w || " $2 $3 " == *" $w "* ]] || extra+=" $w"
	done <<<"$4"
	CHECKS=$((CHECKS + 1))
	if [[ -z $missing$extra ]]; then
		echo "ok - $1"
	else
		fail "$1:${missing:+ missing$missing}${extra:+ unexpected$extra}"
	fi
}

# evaluate SHELL OUTPUT: every query answered as it must be
evaluate() {
	local sh=$1 i got
	parse_results "$2"
	expect_eq "$sh answered every query" "$(sort -u "$T/queries" | wc -l)" "${#RESULT[@]}"
	for i in "${!Q_LINE[@]}"; do
		[[ -n ${RESULT[${Q_LINE[i]}]+set} ]] || continue
		got=${RESULT[${Q_LINE[i]}]}
		case ${Q_KIND[i]} in
		set) expect_set "$sh: ${Q_DESC[i]}" "${Q_WANT[i]}" "${Q_EXTRA[i]}" "$got" ;;
		has) expect_match "$sh: ${Q_DESC[i]}" "^${Q_WANT[i]}\$" "$got" ;;
		none) expect_eq "$sh: ${Q_DESC[i]}" "" "$got" ;;
		esac
	done
}

# a completion file without the command "watch" must fail the commands query: the checks
# can fail
expect_mutant_fails() {
	local sh=$1 out=$2
	parse_results "$out"
	CHECKS=$((CHECKS + 1))
	if [[ -n ${RESULT["apptrackctl "]-} && ${RESULT["apptrackctl "]} != *watch* ]]; then
		echo "ok - $sh: a completion without the command watch is caught"
	else
		fail "$sh: the mutant without watch was not caught: [${RESULT["apptrackctl "]-}]"
	fi
}
printf '%s\n' "apptrackctl " >"$T/mutant-queries"

have() {
	command -v "$1" >/dev/null
}

# ---- bash: _apptrackctl with COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT ----

cat >"$T/drive.bash" <<'EOF'
# drive.bash COMPLETION QUERIES: completes each line of QUERIES with _apptrackctl
. /usr/share/bash-completion/bash_completion
. "$1"
while IFS= read -r line; do
	read -ra COMP_WORDS <<<"$line"
	[[ $line == *' ' ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	_apptrackctl apptrackctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
	printf 'Q\t%s\n' "$line"
	((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}"
	echo END
done <"$2"
EOF
check "bash-completion is installed" test -r "$BASH_COMPLETION"
check "apptrackctl.bash is valid bash" bash -n "$COMP/apptrackctl.bash"
(cd "$FILES" && timeout -k 5 60 bash --norc --noprofile "$T/drive.bash" "$COMP/apptrackctl.bash" "$T/queries") \
	>"$T/bash.out" 2>"$T/bash.err"
expect_eq "bash completed without errors" "" "$(cat "$T/bash.err")"
evaluate bash "$T/bash.out"
sed 's/\<watch help"/help"/' "$COMP/apptrackctl.bash" >"$T/mutant.bash"
(cd "$FILES" && timeout -k 5 60 bash --norc --noprofile "$T/drive.bash" "$T/mutant.bash" "$T/mutant-queries") \
	>"$T/mutant-bash.out" 2>/dev/null
expect_mutant_fails bash "$T/mutant-bash.out"

# ---- fish: complete -C ----

cat >"$T/drive.fish" <<'EOF'
# drive.fish COMPLETION QUERIES: lists fish's candidates for each line of QUERIES
source $argv[1]
for q in (cat $argv[2])
    printf 'Q\t%s\n' $q
    complete -C"$q" | string replace -r '\t.*' ''
    echo END
end
EOF
check "fish is installed" have fish
check "apptrackctl.fish is valid fish" fish --no-config -n "$COMP/apptrackctl.fish"
(cd "$FILES" && timeout -k 5 60 fish --no-config "$T/drive.fish" "$COMP/apptrackctl.fish" "$T/queries") \
	>"$T/fish.out" 2>"$T/fish.err"
expect_eq "fish completed without errors" "" "$(cat "$T/fish.err")"
evaluate fish "$T/fish.out"
grep -v -- '-a watch ' "$COMP/apptrackctl.fish" >"$T/mutant.fish"
(cd "$FILES" && timeout -k 5 60 fish --no-config "$T/drive.fish" "$T/mutant.fish" "$T/mutant-queries") \
	>"$T/mutant-fish.out" 2>/dev/null
expect_mutant_fails fish "$T/mutant-fish.out"

# ---- zsh: compinit in an interactive zsh on a pty, TAB on each line ----
#
# The zsh on the pty records the candidates of every compadd call (those with -O, -A or -D
# only compute matches for the completion functions) in $CAP_OUT; TAB is bound to a widget
# that writes the query, runs complete-word and writes END. Nothing is listed or inserted
# for long: AUTO_LIST and AUTO_MENU are off and the line is cleared after each query.

cat >"$T/setup.zsh" <<'EOF'
PS1='' PROMPT='' RPROMPT='' PS2=''
unsetopt AUTO_LIST AUTO_MENU LIST_BEEP BEEP
fpath=($CAP_FPATH $fpath)
autoload -Uz compinit && compinit -u -D
compadd() {
	if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
		builtin compadd "$@"
		return
	fi
	local -a __cap_hits
	local __cap_h
	builtin compadd -A __cap_hits "$@"
	for __cap_h in $__cap_hits; do
		print -r -- "$IPREFIX$__cap_h" >>$CAP_OUT
	done
	builtin compadd "$@"
}
_cap_complete() {
	print -r -- "Q	$BUFFER" >>$CAP_OUT
	zle complete-word
	print -r -- END >>$CAP_OUT
	BUFFER=
}
zle -N _cap_complete
bindkey '^I' _cap_complete
: >$CAP_OUT.ready
EOF
cat >"$T/drive.zsh" <<'EOF'
# drive.zsh SETUP QUERIES: types each line of QUERIES and TAB into an interactive zsh
# (fpath from $CAP_FPATH, candidates to $CAP_OUT); every wait is bounded
zmodload zsh/zpty || exit 3
: >$CAP_OUT
zpty z 'TERM=dumb zsh -f -i'
drain() { local junk; while zpty -r -t z junk 2>/dev/null; do :; done }
zpty -w z "source ${(q)1}"
integer i n=0
for (( i = 0; i < 200; i++ )); do
	[[ -e $CAP_OUT.ready ]] && break
	drain; sleep 0.05
done
if [[ ! -e $CAP_OUT.ready ]]; then
	print -u2 "zsh on the pty did not start"
	zpty -d z; exit 2
fi
while IFS= read -r q; do
	(( n++ ))
	zpty -w -n z "$q"$'\t'
	for (( i = 0; i < 250; i++ )); do
		(( $(grep -c '^END$' $CAP_OUT) >= n )) && break
		drain; sleep 0.02
	done
	if (( i == 250 )); then
		print -u2 "no completion for: $q"
		break
	fi
done <$2
zpty -d z
EOF
check "zsh is installed" have zsh
check "_apptrackctl is valid zsh" zsh -n "$COMP/_apptrackctl"
check "zsh has the zpty module" zsh -fc 'zmodload zsh/zpty'
(cd "$FILES" && CAP_FPATH=$COMP CAP_OUT=$T/zsh.out timeout -k 5 120 zsh -f "$T/drive.zsh" "$T/setup.zsh" "$T/queries") \
	2>"$T/zsh.err"
expect_eq "zsh completed without errors" "" "$(cat "$T/zsh.err")"
evaluate zsh "$T/zsh.out"
mkdir "$T/mutant-zsh"
grep -v "'watch:" "$COMP/_apptrackctl" >"$T/mutant-zsh/_apptrackctl"
(cd "$FILES" && CAP_FPATH=$T/mutant-zsh CAP_OUT=$T/mutant-zsh.out timeout -k 5 60 zsh -f "$T/drive.zsh" "$T/setup.zsh" \
	"$T/mutant-queries") 2>/dev/null
expect_mutant_fails zsh "$T/mutant-zsh.out"

finish
