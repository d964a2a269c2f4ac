#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_docs.sh - the man pages render without warnings; every command and option that
# --help lists is documented in them; every configuration key the daemon reads (taken from
# the settings table in src/core/base/config.c, [account NAME] keys included) has an entry with its default and an example in
# apptrack.conf(5) and a "#key = " line in contrib/apptrack.conf.example; every rule-file
# key, kind and company fallback (from src/core/mail/rules.c; the kinds from mail_kind.c) is documented in
# apptrack.rules(5).
#
# SOURCE_DIR may name a copy of the tree (docs/man, contrib, src/core): that is how the
# checks below were seen to fail, by deleting a key from a copy.
. "$(dirname "$0")/lib.sh"
MAN="$SOURCE_DIR/docs/man"
CONF_MAN="$MAN/apptrack.conf.5"
RULES_MAN="$MAN/apptrack.rules.5"
EXAMPLE="$SOURCE_DIR/contrib/apptrack.conf.example"
CONFIG_C="$SOURCE_DIR/src/core/base/config.c"
RULES_C="$SOURCE_DIR/src/core/mail/rules.c"
KINDS_C="$SOURCE_DIR/src/core/mail/mail_kind.c"

for page in "$MAN"/*.[0-9]; do
	warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l --warnings "$page" 2>&1 >/dev/null)
	expect_eq "$(basename "$page") renders without warnings" "" "$warnings"
	# a control character (a form feed where \fB was meant) renders as a stray letter, silently
	expect_eq "$(basename "$page") holds no control characters" 0 "$(LC_ALL=C grep -c $'[\x01-\x08\x0b\x0c\x0e-\x1f]' "$page")"
done

ctl_man=$(cat "$MAN/apptrackctl.1")
# groff escapes hyphens as \-; compare against the unescaped text
ctl_text=$(printf '%s' "$ctl_man" | sed 's/\\-/-/g; s/\\f[BIRP]//g')
commands=$("$APPTRACKCTL" help | awk '/^Commands:/ { on = 1; next } on && NF { print $1 }')
check "apptrackctl help lists commands" test -n "$commands"
for cmd in $commands; do
	expect_match "apptrackctl.1 documents the command $cmd" "(^|[^a-z])$cmd([^a-z]|$)" "$ctl_text"
	help=$("$APPTRACKCTL" "$cmd" --help 2>&1)
	expect_eq "apptrackctl $cmd --help exits 0" 0 $?
	opts=$(printf '%s\n' "$help" | grep -oE -- '--[a-z][a-z-]*' | sort -u)
	for o in $opts; do
		expect_match "apptrackctl.1 documents $cmd $o" "$o" "$ctl_text"
	done
	# a group (mail, contacts, ...) lists its sub-commands as "  CMD SUB  summary"
	for sub in $(printf '%s\n' "$help" | awk -v c="$cmd" '$1 == c && NF > 2 { print $2 }'); do
		expect_match "apptrackctl.1 documents $cmd $sub" "$cmd $sub" "$ctl_text"
		for o in $("$APPTRACKCTL" "$cmd" "$sub" --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
			expect_match "apptrackctl.1 documents $cmd $sub $o" "$o" "$ctl_text"
		done
	done
done
for sub in add list show edit rm link; do
	expect_match "apptrackctl.1 documents contacts $sub" "contacts $sub" "$ctl_text"
done
for o in $("$APPTRACKCTL" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
	expect_match "apptrackctl.1 documents the global option $o" "$o" "$ctl_text"
done

d_text=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$MAN/apptrackd.8")
for o in $("$APPTRACKD" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
	expect_match "apptrackd.8 documents $o" "$o" "$d_text"
done

# ---- what the source reads ----

# c_array FILE NAME: the text of the C array initializer "NAME[...] = { ... };".
c_array() {
	awk -v name="$2" '
		!on && index($0, name "[") && /=/ { on = 1 }
		on { print }
		on && /};/ { exit }' "$1"
}
# c_strings: the "quoted" strings of its input, one a line.
c_strings() { grep -oE '"[^"]*"' | tr -d '"'; }
# in_list WORD LIST: whether WORD is one of the words of LIST.
in_list() { printf '%s\n' "$2" | tr -s '[:blank:]' '\n' | grep -qxF -- "$1"; }

# config.c's settings table: one { "section", "key", SETTING_TYPE, default, description,
# offsetof(...) } per setting; the default is NULL when computed or none, a string, or a
# CONFIG_..._DEFAULT macro of config.h (replaced by its string). The keys of every
# [account NAME] have the section ACCOUNT_SECTION, "account". Each entry has one
# offsetof, so a count that does not match means the table changed shape.
settings_block=$(c_array "$CONFIG_C" settings)
settings=$(printf '%s\n' "$settings_block" | sed -E 's/\{ *ACCOUNT_SECTION,/{ "account",/' |
	grep -oE '\{ *"[a-z_]+", *"[a-z_]+", *SETTING_[A-Z_]+, *(NULL|"[^"]*"|CONFIG_[A-Z_]+_DEFAULT)' |
	sed -E 's/^\{ *"([a-z_]+)", *"([a-z_]+)", *SETTING_[A-Z_]+, *(NULL|"([^"]*)"|CONFIG_[A-Z_]+_DEFAULT)$/\1\t\2\t\3/; s/\t"([^"]*)"$/\t\1/')
for macro in $(grep -oE 'CONFIG_[A-Z_]+_DEFAULT' <<<"$settings" | sort -u); do
	value=$(sed -nE "s/^#define $macro \"([^\"]*)\"$/\\1/p" "$SOURCE_DIR/include/apptrack/config.h")
	check "config.h defines $macro" test -n "$value"
	settings=$(sed "s/\t$macro\$/\t$value/" <<<"$settings")
done
n_entries=$(printf '%s\n' "$settings_block" | grep -o 'offsetof(' | wc -l)
n_settings=$(printf '%s\n' "$settings" | grep -c .)
check "config.c has settings" test "$n_settings" -gt 0
expect_eq "every entry of config.c's settings table was parsed" "$n_entries" "$n_settings"
setting_keys=$(printf '%s\n' "$settings" | cut -f2)
account_keys=$(awk -F'\t' '$1 == "account" { print $2 }' <<<"$settings")
check "config.c has account keys" test -n "$account_keys"
# settings outside the accounts: the example's defaults, uncommented, set them all
n_general=$(grep -vc $'^account\t' <<<"$settings")
# a key config.c handles by name must be one of the table's keys
for key in $(grep -oE 'strcmp\(key, "[a-z_]+"\)' "$CONFIG_C" | c_strings | sort -u); do
	check "config.c's key $key is in its settings table" in_list "$key" "$setting_keys"
done

rule_keys=$(c_array "$RULES_C" rule_keys | c_strings)
check "rules.c has rule keys" test -n "$rule_keys"
for key in $(c_array "$RULES_C" pattern_keys | c_strings) \
	$(grep -oE 'strcmp\(key, "[a-z_]+"\)' "$RULES_C" | c_strings | sort -u); do
	check "rules.c's key $key is in rule_keys" in_list "$key" "$rule_keys"
done
kinds=$(c_array "$KINDS_C" kind_names | c_strings)
check "mail_kind.c has kinds" test -n "$kinds"
fallbacks="$(c_array "$RULES_C" fallback_names | c_strings) none"
check "rules.c has company fallbacks" test "$(wc -w <<<"$fallbacks")" -gt 1

# ---- the man pages ----

# man_entry PAGE SECTION KEY: the body of the ".TP" (or ".TQ") entry whose tag is
# ".B KEY", under ".SH SECTION"; fails when there is none.
man_entry() {
	awk -v want_sec="$2" -v want_key="$3" '
		function done() { if (hit) { printf "%s", body; found = 1; exit 0 } in_entry = 0; body = "" }
		/^\.SH / { done(); sec = substr($0, 5); gsub(/"/, "", sec); tag = 0; next }
		/^\.(TP|PP|LP|P|SS)( |$)/ { done(); tag = ($0 ~ /^\.TP/); next }
		/^\.TQ( |$)/ { tag = 1; next }
		tag { tag = 0; if ($1 == ".B" && NF == 2) { in_entry = 1; if (sec == want_sec && $2 == want_key) hit = 1 } next }
		in_entry { body = body $0 "\n" }
		END { if (!found) { if (hit) printf "%s", body; else exit 1 } }' "$1"
}
# man_keys PAGE: "SECTION<TAB>KEY" for every .TP/.TQ entry tagged ".B KEY".
man_keys() {
	awk '
		/^\.SH / { sec = substr($0, 5); gsub(/"/, "", sec); tag = 0; next }
		/^\.(TP|TQ)( |$)/ { tag = 1; next }
		tag { tag = 0; if ($1 == ".B" && NF == 2) print sec "\t" $2 }' "$1"
}
# the text of a man page fragment without font escapes, hyphen escapes and macro names
man_plain() { sed -E 's/\\-/-/g; s/\\f[BIRP]//g; s/\\&//g; s/\\e/\\/g; s/^\.[A-Z]+ ?//; s/"//g'; }

# conf_entry SECTION KEY DEFAULT: apptrack.conf.5 has an entry for KEY under [SECTION],
# with its default and an example line.
conf_entry() {
	local sec=$1 key=$2 def=$3 body
	body=$(man_entry "$CONF_MAN" "$sec" "$key")
	check "apptrack.conf.5 has an entry for $key under $sec" test -n "$body"
	expect_match "apptrack.conf.5 gives the default of $key" '^Default:' "$body"
	expect_match "apptrack.conf.5 gives an example of $key" "^\\.B $key = " "$body"
	if [ -n "$def" ] && [ "$def" != NULL ]; then
		check "apptrack.conf.5 gives $key's default $def" \
			grep -qF -- "$def" <<<"$(printf '%s\n' "$body" | man_plain)"
	fi
}
while IFS=$'\t' read -r sec key def; do
	if [ "$sec" = account ]; then
		conf_entry "[account NAME]" "$key" "$def"
	else
		conf_entry "[$sec]" "$key" "$def"
	fi
done <<<"$settings"
# and nothing stale: every key entry of a [section] is one the daemon reads
while IFS=$'\t' read -r sec key; do
	case $sec in
	"[account NAME]") check "apptrack.conf.5's $key is an account key" in_list "$key" "$account_keys" ;;
	\[*) check "apptrack.conf.5's $key is a key of $sec" \
		grep -qxF -- "${sec//[][]/}"$'\t'"$key" <<<"$(printf '%s\n' "$settings" | cut -f1,2)" ;;
	esac
done <<<"$(man_keys "$CONF_MAN")"

for key in $rule_keys; do
	body=$(man_entry "$RULES_MAN" FORMAT "$key")
	check "apptrack.rules.5 has an entry for $key under FORMAT" test -n "$body"
	expect_match "apptrack.rules.5 gives the default of $key" '^Default:' "$body"
	expect_match "apptrack.rules.5 gives an example of $key" "^\\.B $key = " "$body"
done
for key in $(man_keys "$RULES_MAN" | awk -F'\t' '$1 == "FORMAT" { print $2 }'); do
	check "apptrack.rules.5's $key is a rule key" in_list "$key" "$rule_keys"
done
# value words must be in bold (.B, .BR, .BI ... lines) in the entry of their key
bold_words() { grep -E '^\.B[IR]? ' | man_plain | tr -c 'a-z_\n' ' ' | tr ' ' '\n' | grep .; }
kind_bold=$(man_entry "$RULES_MAN" FORMAT kind | bold_words)
for kind in $kinds; do
	check "apptrack.rules.5 names the kind $kind" in_list "$kind" "$kind_bold"
done
fallback_bold=$(man_entry "$RULES_MAN" FORMAT company_fallback | bold_words)
for f in $fallbacks; do
	check "apptrack.rules.5 names the company fallback $f" in_list "$f" "$fallback_bold"
done

# ---- the example configuration ----

# "SECTION<TAB>KEY<TAB>VALUE<TAB>COMMENTED" for each "#key = value" line, where SECTION is
# that of the [section] or #[section] above it ("account" for every account) and
# COMMENTED says whether a "# ..." comment line comes right before it.
example_keys=$(awk '
	/^#?\[[^]]+\]/ { sec = $0; sub(/^#?\[/, "", sec); sub(/\].*/, "", sec); sub(/^account .*/, "account", sec) }
	/^#[a-z_]+ = / { key = substr($1, 2); value = $0; sub(/^#[a-z_]+ = /, "", value)
		print sec "\t" key "\t" value "\t" (prev ~ /^# [^ ]/ ? "yes" : "no") }
	{ prev = $0 }' "$EXAMPLE")
# (for an account key: in the first account that shows it)
while IFS=$'\t' read -r sec key def; do
	line=$(awk -F'\t' -v s="$sec" -v k="$key" '$1 == s && $2 == k { print; exit }' <<<"$example_keys")
	if [ "$sec" = account ]; then
		check "the example config shows $key in an [account NAME] as #$key = " test -n "$line"
	else
		check "the example config shows $key in [$sec] as #$key = " test -n "$line"
	fi
	expect_eq "the example config explains $key in a comment" yes "$(cut -f4 <<<"$line")"
	if [ "$def" != NULL ]; then
		expect_eq "the example config shows $key's default" "$def" "$(cut -f3 <<<"$line")"
	fi
done <<<"$settings"
while IFS=$'\t' read -r sec key _; do
	if [ "$sec" = account ]; then
		check "the example config's $key is an account key" in_list "$key" "$account_keys"
	else
		check "the example config's $key is a key of [$sec]" \
			grep -qxF -- "$sec"$'\t'"$key" <<<"$(printf '%s\n' "$settings" | cut -f1,2)"
	fi
done <<<"$example_keys"

"$APPTRACKD" --check-config --config "$EXAMPLE" >/dev/null
expect_eq "the example config passes --check-config" 0 $?
# the defaults it shows are values the daemon accepts: uncomment every setting before the
# first account section
sed -E '/^#\[account /,$!s/^#([a-z_]+ = )/\1/' "$EXAMPLE" >"$T/uncommented.conf"
check "the uncommented example sets every setting" \
	test "$(grep -cE '^[a-z_]+ = ' "$T/uncommented.conf")" -eq "$n_general"
"$APPTRACKD" --check-config --config "$T/uncommented.conf" >/dev/null
expect_eq "the example's defaults pass --check-config" 0 $?
finish
