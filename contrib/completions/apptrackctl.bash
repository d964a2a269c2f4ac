# SPDX-License-Identifier: GPL-3.0-or-later
# bash completion for apptrackctl(1)                        -*- shell-script -*-
#
# Installed as share/bash-completion/completions/apptrackctl. The lists are static:
# completing never runs apptrackctl or talks to apptrackd. They follow `apptrackctl help`,
# `apptrackctl help COMMAND` and `apptrackctl COMMAND [SUB] --help`;
# tests/e2e/test_completions.sh checks them against the real client.

_apptrackctl()
{
	local cur prev words cword split
	_init_completion -s || return

	local commands="add list show edit status note rm reminders contacts resume profile match
		stats interview upcoming calendar mail rules learn unlearn review import export backup
		ping version web watch help"
	local statuses="saved applied screen assessment technical onsite final offer accepted
		rejected withdrawn ghosted"
	local sort_fields="id company position status applied_at updated_at created_at"
	local reports="overview pipeline trends sources months positions locations"
	local kinds="confirmation rejection interview assessment offer recruiter noise"
	local app_opts="--company --position --status --source --location --salary --url --jd-file
		--jd-url --applied-on --notes"
	local contact_opts="--name --position --company --email --phone --link --notes"
	local interview_opts="--at --duration --type --where --notes"

	# the sub-commands of the commands that have them
	local -A subs=(
		[reminders]="done snooze"
		[contacts]="add list show edit rm link"
		[resume]="add list show rm default"
		[interview]="add list edit rm"
		[mail]="status sync model"
		[rules]="test"
		[review]="list show apply drop retry"
	)
	# the options of each "COMMAND" or "COMMAND SUB" (--json is accepted everywhere)
	local -A opts=(
		[add]=$app_opts
		[list]="--status --source --company --search --since --until --sort --limit --offset"
		[edit]=${app_opts/--status /}
		[status]="--note"
		[reminders]="--all"
		["contacts add"]=$contact_opts
		["contacts list"]="--search"
		["contacts edit"]=$contact_opts
		["contacts link"]="--unlink"
		["resume add"]="--replace"
		[profile]="--name --email --phone --location --position --skills --link"
		[match]="--resume --resume-file --jd-file --all --mode --limit"
		[stats]="--weeks --limit"
		["interview add"]=$interview_opts
		["interview list"]="--from --to --type"
		["interview edit"]=$interview_opts
		[upcoming]="--days --limit"
		[web]="--open"
		["review apply"]="--app --kind"
		[import]="--skip-bad"
	)
	# the options that take no value; every other one takes one
	local flags=" --json --help -h --version -V --all --replace --unlink --skip-bad "

	# find the command, its sub-command and how many arguments follow them, skipping the
	# options and their values
	local i w cmd="" sub="" nargs=0 only_args=""
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		if [[ -z $only_args && $w == -?* ]]; then
			if [[ $w == -- ]]; then
				only_args=1
			elif [[ $w != *=* && $flags != *" $w "* ]]; then
				((i++))
			fi
			continue
		fi
		if [[ -z $cmd ]]; then
			cmd=$w
		elif [[ -z $sub && $nargs -eq 0 && " ${subs[$cmd]-} " == *" $w "* ]]; then
			sub=$w
		else
			((nargs++))
		fi
	done
	local key=$cmd${sub:+ $sub}

	# the value of an option
	case $prev in
	--status)
		if [[ $cmd == list ]]; then # a comma-separated list
			local given=""
			[[ $cur == *,* ]] && given=${cur%,*},
			COMPREPLY=($(compgen -P "$given" -W "$statuses" -- "${cur##*,}"))
		else
			COMPREPLY=($(compgen -W "$statuses" -- "$cur"))
		fi
		return ;;
	--sort)
		COMPREPLY=($(compgen -W "$sort_fields $(printf -- '-%s ' $sort_fields)" -- "$cur"))
		return ;;
	--type) COMPREPLY=($(compgen -W "phone video onsite" -- "$cur")); return ;;
	--mode) COMPREPLY=($(compgen -W "pair corpus" -- "$cur")); return ;;
	--kind) COMPREPLY=($(compgen -W "$kinds" -- "$cur")); return ;;
	--jd-file | --resume-file | --socket) _filedir; return ;;
	-?*)
		# URLs, names, dates, ids, free text: nothing to offer
		[[ -z $only_args && $flags != *" $prev "* ]] && return ;;
	esac
	$split && return

	if [[ -z $only_args && $cur == -* ]]; then
		if [[ -z $cmd ]]; then
			COMPREPLY=($(compgen -W "--json --socket --help -h --version -V" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "${opts[$key]-} --json" -- "$cur"))
		fi
		return
	fi

	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		return
	fi
	if [[ -n ${subs[$cmd]-} && -z $sub && $nargs -eq 0 ]]; then
		COMPREPLY=($(compgen -W "${subs[$cmd]}" -- "$cur"))
		return
	fi
	# the arguments: NUMBER of those before the cursor, then what to offer
	case $key:$nargs in
	status:1) COMPREPLY=($(compgen -W "$statuses" -- "$cur")) ;;
	stats:0) COMPREPLY=($(compgen -W "$reports" -- "$cur")) ;;
	help:0) COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
	import:0) _filedir csv ;;
	learn:0) COMPREPLY=($(compgen -W "$kinds" -- "$cur")) ;;
	export:0 | backup:0 | "resume add:1" | "rules test:"* | learn:* | unlearn:*) _filedir ;;
	esac
} &&
	complete -F _apptrackctl apptrackctl
