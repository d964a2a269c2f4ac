# SPDX-License-Identifier: GPL-3.0-or-later
# fish completion for apptrackctl(1), installed as
# share/fish/vendor_completions.d/apptrackctl.fish.
#
# The lists are static: completing never runs apptrackctl or talks to apptrackd. They follow
# `apptrackctl help`, `apptrackctl help COMMAND` and `apptrackctl COMMAND [SUB] --help`;
# tests/e2e/test_completions.sh checks them against the real client.

# The sub-commands of COMMAND, one a line (nothing for a command without them).
function __apptrackctl_subcommands --argument-names cmd
    switch $cmd
        case reminders
            printf '%s\n' done snooze
        case contacts
            printf '%s\n' add list show edit rm link
        case resume
            printf '%s\n' add list show rm default
        case interview
            printf '%s\n' add list edit rm
        case mail
            printf '%s\n' status sync model
        case rules
            printf '%s\n' test
        case review
            printf '%s\n' list show apply drop retry
    end
end

# Prints how many arguments follow the command (and sub-command) before the cursor, then
# the command and the sub-command: "0", "0 add", "1 contacts edit". Options and their
# values are skipped.
function __apptrackctl_state
    set -l flags --json --help -h --version -V --all --replace --unlink --skip-bad
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l cmd
    set -l sub
    set -l nargs 0
    set -l skip 0
    set -l only_args 0
    for t in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        if test $only_args = 0; and string match -q -- '-?*' $t
            if test $t = --
                set only_args 1
            else if not string match -q -- '*=*' $t; and not contains -- $t $flags
                set skip 1 # its value is the next word
            end
            continue
        end
        if test -z "$cmd"
            set cmd $t
        else if test -z "$sub" -a $nargs = 0; and contains -- $t (__apptrackctl_subcommands $cmd)
            set sub $t
        else
            set nargs (math $nargs + 1)
        end
    end
    echo $nargs $cmd $sub
end

# __apptrackctl_at STATE...: the command line is at one of STATES ("" for no command yet,
# "add", "contacts add" ...).
function __apptrackctl_at
    set -l s (string split ' ' -- (__apptrackctl_state))
    contains -- "$s[2..-1]" $argv
end

# __apptrackctl_arg STATE N: the cursor is on argument N+1 of STATE.
function __apptrackctl_arg --argument-names state n
    set -l s (string split ' ' -- (__apptrackctl_state))
    test "$s[2..-1]" = "$state" -a "$s[1]" = "$n"
end

# A comma-separated list of statuses (list --status): the ones given, then each status.
function __apptrackctl_status_list
    set -l given (string replace -r '[^,]*$' '' -- (commandline -ct))
    for s in $argv
        echo $given$s
    end
end

set -l statuses saved applied screen assessment technical onsite final offer accepted rejected withdrawn ghosted
set -l sort_fields id company position status applied_at updated_at created_at
set -l sort_fields $sort_fields -$sort_fields # - for descending
set -l interview_types phone video onsite
set -l kinds confirmation rejection interview assessment offer recruiter noise

complete -c apptrackctl -f # no files, unless an option or argument is a file

# global options
complete -c apptrackctl -l json -d 'Print results as JSON, for scripts'
complete -c apptrackctl -n '__apptrackctl_at ""' -l socket -r -F -d "apptrackd's control socket"
complete -c apptrackctl -n '__apptrackctl_at ""' -s h -l help -d 'Show the help'
complete -c apptrackctl -n '__apptrackctl_at ""' -s V -l version -d 'Show the version'

# commands
set -l at_top -n '__apptrackctl_at ""'
complete -c apptrackctl $at_top -a add -d 'Track a new application; prints its id'
complete -c apptrackctl $at_top -a list -d 'List applications'
complete -c apptrackctl $at_top -a show -d 'Show an application with its timeline, reminders, interviews and contacts'
complete -c apptrackctl $at_top -a edit -d "Change an application's fields"
complete -c apptrackctl $at_top -a status -d 'Move an application to another status'
complete -c apptrackctl $at_top -a note -d "Add a note to an application's timeline"
complete -c apptrackctl $at_top -a rm -d 'Remove an application and its history'
complete -c apptrackctl $at_top -a reminders -d 'List pending reminders, or act on one'
complete -c apptrackctl $at_top -a contacts -d 'Manage contacts'
complete -c apptrackctl $at_top -a resume -d 'Your resumes; one is the default'
complete -c apptrackctl $at_top -a profile -d 'Show your profile, or change the fields given'
complete -c apptrackctl $at_top -a match -d 'Score a resume against job descriptions'
complete -c apptrackctl $at_top -a stats -d 'Pipeline statistics'
complete -c apptrackctl $at_top -a interview -d 'Interviews: schedule, list, change, remove'
complete -c apptrackctl $at_top -a upcoming -d 'The next interviews, due reminders and recent applications'
complete -c apptrackctl $at_top -a calendar -d 'Where the iCalendar feed of interviews and reminders is'
complete -c apptrackctl $at_top -a mail -d 'The mail accounts apptrackd watches, and its mail model'
complete -c apptrackctl $at_top -a rules -d 'Check how the mail rules and the model classify messages'
complete -c apptrackctl $at_top -a learn -d 'Teach the mail model that messages are of a kind'
complete -c apptrackctl $at_top -a unlearn -d 'Take back what learn taught about messages'
complete -c apptrackctl $at_top -a review -d 'The queue of mail that could not be applied'
complete -c apptrackctl $at_top -a import -d 'Import applications from a CSV file'
complete -c apptrackctl $at_top -a export -d 'Export applications as CSV'
complete -c apptrackctl $at_top -a backup -d 'Write an online backup of the database to a new FILE'
complete -c apptrackctl $at_top -a ping -d 'Check that apptrackd answers'
complete -c apptrackctl $at_top -a version -d "Show apptrackctl's and apptrackd's versions"
complete -c apptrackctl $at_top -a watch -d 'Print changes as they happen'
complete -c apptrackctl $at_top -a web -d 'A login link to the web page'
complete -c apptrackctl $at_top -a help -d 'Show help for all commands or one'

# applications: add, edit (the options of add but --status), list, status
set -l app -n '__apptrackctl_at add edit'
complete -c apptrackctl $app -l company -x -d Company
complete -c apptrackctl $app -l position -x -d Position
complete -c apptrackctl -n '__apptrackctl_at add' -l status -x -a "$statuses" -d Status
complete -c apptrackctl $app -l source -x -d 'Where you found the posting'
complete -c apptrackctl $app -l location -x -d Location
complete -c apptrackctl $app -l salary -x -d Salary
complete -c apptrackctl $app -l url -x -d "The posting's URL"
complete -c apptrackctl $app -l jd-file -r -F -d 'Read the job description from a file'
complete -c apptrackctl $app -l jd-url -x -d 'Fetch the job description from a web page'
complete -c apptrackctl $app -l applied-on -x -d 'The day you applied (YYYY-MM-DD)'
complete -c apptrackctl $app -l notes -x -d Notes

set -l list -n '__apptrackctl_at list'
complete -c apptrackctl $list -l status -x -a "(__apptrackctl_status_list $statuses)" -d 'Statuses (comma-separated)'
complete -c apptrackctl $list -l source -x -d Source
complete -c apptrackctl $list -l company -x -d 'Part of the company name'
complete -c apptrackctl $list -l search -x -d 'Words to find'
complete -c apptrackctl $list -l since -x -d 'Applied on or after (YYYY-MM-DD)'
complete -c apptrackctl $list -l until -x -d 'Applied on or before (YYYY-MM-DD)'
complete -c apptrackctl $list -l sort -x -a "$sort_fields" -d 'Sort field, - for descending'
complete -c apptrackctl $list -l limit -x -d 'At most N rows'
complete -c apptrackctl $list -l offset -x -d 'Skip N rows'

complete -c apptrackctl -n '__apptrackctl_arg status 1' -a "$statuses"
complete -c apptrackctl -n '__apptrackctl_at status' -l note -x -d 'A note for the timeline'

# reminders
complete -c apptrackctl -n '__apptrackctl_arg reminders 0' -a done -d 'Mark a reminder done'
complete -c apptrackctl -n '__apptrackctl_arg reminders 0' -a snooze -d 'Push a reminder back (e.g. 2d, 4h)'
complete -c apptrackctl -n '__apptrackctl_at reminders' -l all -d 'Done and cancelled reminders too'

# contacts
set -l contacts -n '__apptrackctl_arg contacts 0'
complete -c apptrackctl $contacts -a add -d 'Add a contact'
complete -c apptrackctl $contacts -a list -d 'List contacts, or those that match'
complete -c apptrackctl $contacts -a show -d 'Show a contact and the applications linked to it'
complete -c apptrackctl $contacts -a edit -d "Change a contact's fields"
complete -c apptrackctl $contacts -a rm -d 'Remove a contact'
complete -c apptrackctl $contacts -a link -d 'Link a contact to an application (or unlink it)'
set -l contact -n '__apptrackctl_at "contacts add" "contacts edit"'
complete -c apptrackctl $contact -l name -x -d Name
complete -c apptrackctl $contact -l position -x -d Position
complete -c apptrackctl $contact -l company -x -d Company
complete -c apptrackctl $contact -l email -x -d 'Email address'
complete -c apptrackctl $contact -l phone -x -d 'Phone number'
complete -c apptrackctl $contact -l link -x -d 'A link (URL)'
complete -c apptrackctl $contact -l notes -x -d Notes
complete -c apptrackctl -n '__apptrackctl_at "contacts list"' -l search -x -d 'Part of a name, company or position'
complete -c apptrackctl -n '__apptrackctl_at "contacts link"' -l unlink -d 'Remove the link'

# resumes and profile
set -l resume -n '__apptrackctl_arg resume 0'
complete -c apptrackctl $resume -a add -d 'Store the text of FILE (text, Markdown or PDF) as resume NAME'
complete -c apptrackctl $resume -a list -d 'List the stored resumes'
complete -c apptrackctl $resume -a show -d "Print a resume's text"
complete -c apptrackctl $resume -a rm -d 'Remove a resume'
complete -c apptrackctl $resume -a default -d 'Make a resume the default'
complete -c apptrackctl -n '__apptrackctl_arg "resume add" 1' -F
complete -c apptrackctl -n '__apptrackctl_at "resume add"' -l replace -d "Swap an existing resume's text"

set -l profile -n '__apptrackctl_at profile'
complete -c apptrackctl $profile -l name -x -d 'Your name'
complete -c apptrackctl $profile -l email -x -d 'Email address'
complete -c apptrackctl $profile -l phone -x -d 'Phone number'
complete -c apptrackctl $profile -l location -x -d Location
complete -c apptrackctl $profile -l position -x -d 'The position you look for'
complete -c apptrackctl $profile -l skills -x -d 'Comma-separated skills'
complete -c apptrackctl $profile -l link -x -d 'A link (repeatable)'

# matching
set -l match -n '__apptrackctl_at match'
complete -c apptrackctl $match -l resume -x -d 'The stored resume to score'
complete -c apptrackctl $match -l resume-file -r -F -d 'Score the resume in a file'
complete -c apptrackctl $match -l jd-file -r -F -d 'Score against a job description file'
complete -c apptrackctl $match -l all -d 'Every application with a job description'
complete -c apptrackctl $match -l mode -x -a 'pair corpus' -d 'How to weigh terms'
complete -c apptrackctl $match -l limit -x -d 'At most N results'

# statistics
complete -c apptrackctl -n '__apptrackctl_arg stats 0' -a 'overview pipeline trends sources months positions locations'
complete -c apptrackctl -n '__apptrackctl_at stats' -l weeks -x -d 'Weeks of trends'
complete -c apptrackctl -n '__apptrackctl_at stats' -l limit -x -d 'Groups to show'

# interviews
set -l interview -n '__apptrackctl_arg interview 0'
complete -c apptrackctl $interview -a add -d 'Schedule an interview'
complete -c apptrackctl $interview -a list -d 'List interviews by start time'
complete -c apptrackctl $interview -a edit -d 'Change an interview'
complete -c apptrackctl $interview -a rm -d 'Remove an interview'
set -l iv -n '__apptrackctl_at "interview add" "interview edit"'
complete -c apptrackctl $iv -l at -x -d 'Start time (YYYY-MM-DD HH:MM or ISO 8601)'
complete -c apptrackctl $iv -l duration -x -d 'Length, e.g. 45m'
complete -c apptrackctl $iv -l where -x -d 'Place or meeting link'
complete -c apptrackctl $iv -l notes -x -d Notes
complete -c apptrackctl -n '__apptrackctl_at "interview list"' -l from -x -d 'From this day (YYYY-MM-DD)'
complete -c apptrackctl -n '__apptrackctl_at "interview list"' -l to -x -d 'Up to this day (YYYY-MM-DD)'
complete -c apptrackctl -n '__apptrackctl_at "interview add" "interview edit" "interview list"' -l type -x -a "$interview_types" -d 'Kind of interview'
complete -c apptrackctl -n '__apptrackctl_at upcoming' -l days -x -d 'How many days ahead'
complete -c apptrackctl -n '__apptrackctl_at upcoming' -l limit -x -d 'How many interviews and reminders to show'
complete -c apptrackctl -n '__apptrackctl_at web' -l open -d 'Open the link with xdg-open'

# mail, rules and the review queue
complete -c apptrackctl -n '__apptrackctl_arg mail 0' -a status -d 'Per account and folder: connected, last sync, counts'
complete -c apptrackctl -n '__apptrackctl_arg mail 0' -a sync -d "Read every account's new mail now"
complete -c apptrackctl -n '__apptrackctl_arg mail 0' -a model -d 'The mail model: its file, its lessons, or why it is not loaded'
complete -c apptrackctl -n '__apptrackctl_arg rules 0' -a test -d 'Classify raw messages as the daemon would'
complete -c apptrackctl -n '__apptrackctl_at "rules test"' -F
complete -c apptrackctl -n '__apptrackctl_arg learn 0' -a "$kinds"
complete -c apptrackctl -n '__apptrackctl_at learn; and not __apptrackctl_arg learn 0' -F
complete -c apptrackctl -n '__apptrackctl_at unlearn' -F
set -l review -n '__apptrackctl_arg review 0'
complete -c apptrackctl $review -a list -d 'List messages that could not be applied'
complete -c apptrackctl $review -a show -d 'Show a queued message'
complete -c apptrackctl $review -a apply -d 'Apply a queued message'
complete -c apptrackctl $review -a drop -d 'Remove a message from the queue'
complete -c apptrackctl $review -a retry -d 'Run the current rules again on every queued message'
complete -c apptrackctl -n '__apptrackctl_at "review apply"' -l app -x -d 'Apply to this application'
complete -c apptrackctl -n '__apptrackctl_at "review apply"' -l kind -x -a "$kinds" -d 'Apply as this kind (and teach it)'

# import, export, backup, help
complete -c apptrackctl -n '__apptrackctl_arg import 0' -F
complete -c apptrackctl -n '__apptrackctl_at import' -l skip-bad -d 'Import the good rows, list the bad ones'
complete -c apptrackctl -n '__apptrackctl_arg export 0' -F
complete -c apptrackctl -n '__apptrackctl_arg backup 0' -F
complete -c apptrackctl -n '__apptrackctl_arg help 0' -a 'add list show edit status note rm reminders contacts resume profile match stats interview upcoming calendar mail rules learn unlearn review import export backup ping version watch web help'
