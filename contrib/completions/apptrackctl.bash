# bash completion for apptrackctl
_apptrackctl()
{
	local cur prev words cword
	_init_completion || return

	local commands="add list show edit status note rm reminders contacts resume profile match interview upcoming calendar stats import export backup mail rules review ping version watch help"
	local statuses="saved applied screen assessment technical onsite final offer accepted rejected withdrawn ghosted"
	local app_opts="--company --position --status --source --location --salary --url --jd-file --jd-url --applied-on --notes"

	# the command is the first word that is not a global option
	local i cmd="" sub=""
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--socket) ((i++)) ;;
		-*) ;;
		*) if [[ -z $cmd ]]; then cmd=${words[i]}; elif [[ -z $sub ]]; then sub=${words[i]}; fi ;;
		esac
	done

	case $prev in
	--status) COMPREPLY=($(compgen -W "$statuses" -- "$cur")); return ;;
	--type) COMPREPLY=($(compgen -W "phone video onsite" -- "$cur")); return ;;
	--jd-file | --socket) _filedir; return ;;
	--jd-url) return ;; # a URL: nothing to offer
	--sort) COMPREPLY=($(compgen -W "id company position status applied_at updated_at created_at -id -company -position -status -applied_at -updated_at -created_at" -- "$cur")); return ;;
	esac

	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$commands --json --socket --help --version" -- "$cur"))
		return
	fi
	case $cmd in
	add | edit) COMPREPLY=($(compgen -W "$app_opts" -- "$cur")) ;;
	list) COMPREPLY=($(compgen -W "--status --source --company --search --since --until --sort --limit --offset --json" -- "$cur")) ;;
	status) [[ -n $sub ]] && COMPREPLY=($(compgen -W "$statuses --note" -- "$cur")) ;;
	reminders) [[ -z $sub ]] && COMPREPLY=($(compgen -W "done snooze --all" -- "$cur")) ;;
	contacts)
		if [[ -z $sub ]]; then
			COMPREPLY=($(compgen -W "add list show edit rm link" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "--name --position --company --email --phone --link --notes --search --unlink" -- "$cur"))
		fi ;;
	resume)
		if [[ -z $sub ]]; then
			COMPREPLY=($(compgen -W "add list show rm default" -- "$cur"))
		elif [[ $sub == add ]]; then
			if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "--replace" -- "$cur")); else _filedir; fi
		elif [[ $sub == show || $sub == rm || $sub == default ]]; then
			# the stored names, from the NAME column of the list (names with spaces aside)
			COMPREPLY=($(compgen -W "$("${words[0]}" resume list 2>/dev/null | awk 'NR > 1 { print $2 }')" -- "$cur"))
		fi ;;
	profile) COMPREPLY=($(compgen -W "--name --email --phone --location --position --skills --link" -- "$cur")) ;;
	match)
		case $prev in
		--resume-file | --jd-file) _filedir ;;
		--mode) COMPREPLY=($(compgen -W "pair corpus" -- "$cur")) ;;
		--resume) COMPREPLY=($(compgen -W "$("${words[0]}" resume list 2>/dev/null | awk 'NR > 1 { print $2 }')" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "--resume --resume-file --jd-file --all --mode --limit" -- "$cur")) ;;
		esac ;;
	interview)
		if [[ -z $sub ]]; then
			COMPREPLY=($(compgen -W "add list edit rm" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "--at --duration --type --where --notes --from --to" -- "$cur"))
		fi ;;
	upcoming) COMPREPLY=($(compgen -W "--days" -- "$cur")) ;;
	mail) [[ -z $sub ]] && COMPREPLY=($(compgen -W "status sync" -- "$cur")) ;;
	rules) if [[ -z $sub ]]; then COMPREPLY=($(compgen -W "test" -- "$cur")); else _filedir eml; fi ;;
	review)
		if [[ -z $sub ]]; then
			COMPREPLY=($(compgen -W "list show apply drop retry" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "--app" -- "$cur"))
		fi ;;
	stats) COMPREPLY=($(compgen -W "overview pipeline trends sources months positions locations --weeks --limit" -- "$cur")) ;;
	import) COMPREPLY=($(compgen -W "--skip-bad" -- "$cur")); _filedir csv ;;
	export | backup) _filedir ;;
	help) COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
	esac
}
complete -F _apptrackctl apptrackctl
