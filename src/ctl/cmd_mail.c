/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_mail.c - apptrackctl's mail commands: mail (status, sync, model), rules test, learn
 * and unlearn, and the review queue (list, show, apply, drop, retry).
 *
 * Messages given as files (rules test, learn, unlearn) are read here, as the user, and
 * sent base64-encoded, so the daemon never opens user paths.
 */
#include "ctl.h"
#include "output.h"

#include "apptrack/rules.h"

#define RULES_TEST_MAX_FILES 1000

/* ---- mail ---- */

static int cmd_mail_status(struct ctl *ctl, struct opts *o)
{
	json_t *result = NULL, *model = NULL;
	int r;

	(void)o;
	if ((r = ctl_call(ctl, "mail.status", NULL, &result, NULL)) != CTL_OK)
		return r;
	/* people see the model beside the accounts; scripts get the accounts alone */
	if ((r = ctl_call(ctl, "mail.model", NULL, &model, NULL)) != CTL_OK) {
		json_decref(result);
		return r;
	}
	ctl->out->mail_status(result, model);
	json_decref(model);
	json_decref(result);
	return CTL_OK;
}

static int cmd_mail_model(struct ctl *ctl, struct opts *o)
{
	json_t *result = NULL;
	int r = ctl_call(ctl, "mail.model", NULL, &result, NULL);

	(void)o;
	if (r != CTL_OK)
		return r;
	ctl->out->mail_model(result);
	json_decref(result);
	return CTL_OK;
}

static int cmd_mail_sync(struct ctl *ctl, struct opts *o)
{
	json_t *result = NULL;
	int r = ctl_call(ctl, "mail.sync", NULL, &result, NULL);

	(void)o;
	if (r != CTL_OK)
		return r;
	ctl->out->done(result, "syncing every account now");
	json_decref(result);
	return CTL_OK;
}

static const struct command cmd_mail_status_entry = {
	.name = "status",
	.usage = "",
	.summary = "Per account and folder: connected, last sync, last error, counts",
	.exec = cmd_mail_status,
};

static const struct command cmd_mail_sync_entry = {
	.name = "sync",
	.usage = "",
	.summary = "Read every account's new mail now",
	.exec = cmd_mail_sync,
};

static const struct command cmd_mail_model_entry = {
	.name = "model",
	.usage = "",
	.summary = "The mail model: its file, the messages it was trained on, your lessons, or why it is not loaded",
	.exec = cmd_mail_model,
};

static const struct command *const mail_commands[] = {
	&cmd_mail_status_entry, &cmd_mail_sync_entry, &cmd_mail_model_entry, NULL,
};

const struct command cmd_mail_entry = {
	.name = "mail",
	.usage = "status | sync | model",
	.summary = "The mail accounts apptrackd watches, and its mail model",
	.sub = mail_commands,
};

/* ---- rules and lessons ---- */

/* The files of args (paths), read as the methods that read mail take them: an array of
 * {"file", "raw" (base64)} into *ret_messages (new reference). CTL_OK, or CTL_USAGE with
 * the one error line printed. */
static int read_messages(struct ctl *ctl, GPtrArray *args, guint first, json_t **ret_messages)
{
	json_t *messages;

	if (args->len <= first)
		return ctl_usage(ctl, "give one or more .eml files");
	if (args->len - first > RULES_TEST_MAX_FILES)
		return ctl_usage(ctl, "at most %d files at a time", RULES_TEST_MAX_FILES);
	messages = json_array();
	for (guint i = first; i < args->len; i++) {
		g_autoptr(GError) error = NULL;
		g_autofree char *raw = NULL;
		gsize len;
		if (!g_file_get_contents(args->pdata[i], &raw, &len, &error)) {
			json_decref(messages);
			return ctl_fail(CTL_USAGE, "%s%s: cannot read %s", ctl->prefix, ctl->cmd->name, error->message);
		}
		g_autofree char *b64 = g_base64_encode((const guchar *)raw, len);
		json_array_append_new(messages, json_pack("{s:s,s:s}", "file", (char *)args->pdata[i], "raw", b64));
	}
	*ret_messages = messages;
	return CTL_OK;
}

static int cmd_rules_test(struct ctl *ctl, struct opts *o)
{
	json_t *messages = NULL, *result = NULL;
	int r = read_messages(ctl, o->args, 0, &messages);

	if (r != CTL_OK)
		return r;
	if ((r = ctl_call(ctl, "rules.test", json_pack("{s:o}", "messages", messages), &result, NULL)) != CTL_OK)
		return r;
	ctl->out->rules_test(result);
	json_decref(result);
	return CTL_OK;
}

static const struct command cmd_rules_test_entry = {
	.name = "test",
	.usage = "FILE.eml...",
	.summary = "Classify raw messages as the daemon would, storing nothing: what it would do, the rule or the model "
		   "that decided, how sure, why, and the company candidates",
	.required = { { NULL, "give one or more .eml files" } },
	.max_args = ARGS_ANY,
	.exec = cmd_rules_test,
};

static const struct command *const rules_commands[] = { &cmd_rules_test_entry, NULL };

const struct command cmd_rules_entry = {
	.name = "rules",
	.usage = "test FILE.eml...",
	.summary = "Check how the mail rules and the model classify messages",
	.sub = rules_commands,
};

static int cmd_learn(struct ctl *ctl, struct opts *o)
{
	g_autoptr(GError) error = NULL;
	json_t *messages = NULL, *result = NULL;
	enum mail_kind kind;
	int r;

	if (mail_kind_parse(o->args->pdata[0], &kind, &error) < 0)
		return ctl_usage(ctl, "%s", error->message);
	if ((r = read_messages(ctl, o->args, 1, &messages)) != CTL_OK)
		return r;
	if ((r = ctl_call(ctl, "mail.learn", json_pack("{s:s,s:o}", "kind", mail_kind_name(kind), "messages", messages),
			  &result, NULL)) != CTL_OK)
		return r;
	ctl->out->learned(result, mail_kind_name(kind));
	json_decref(result);
	return CTL_OK;
}

const struct command cmd_learn_entry = {
	.name = "learn",
	.usage = "KIND FILE.eml...",
	.summary = "Teach the mail model that messages are of KIND: confirmation, rejection, interview, assessment, "
		   "offer, recruiter or noise",
	.required = { { NULL, "missing the kind (confirmation, rejection, interview, assessment, offer, recruiter or "
			      "noise)" } },
	.max_args = ARGS_ANY,
	.exec = cmd_learn,
};

static int cmd_unlearn(struct ctl *ctl, struct opts *o)
{
	json_t *messages = NULL, *result = NULL;
	int r = read_messages(ctl, o->args, 0, &messages);

	if (r != CTL_OK)
		return r;
	if ((r = ctl_call(ctl, "mail.unlearn", json_pack("{s:o}", "messages", messages), &result, NULL)) != CTL_OK)
		return r;
	ctl->out->unlearned(result);
	json_decref(result);
	return CTL_OK;
}

const struct command cmd_unlearn_entry = {
	.name = "unlearn",
	.usage = "FILE.eml...",
	.summary = "Take back what learn taught about messages",
	.required = { { NULL, "give one or more .eml files" } },
	.max_args = ARGS_ANY,
	.exec = cmd_unlearn,
};

/* ---- review queue ---- */

static int cmd_review_list(struct ctl *ctl, struct opts *o)
{
	(void)o;
	return ctl_call_show(ctl, "review.list", NULL, ctl->out->reviews);
}

static int cmd_review_show(struct ctl *ctl, struct opts *o)
{
	json_t *result = NULL;
	int r = ctl_call(ctl, "review.show", json_pack("{s:I}", "id", o->id[0]), &result, NULL);

	if (r != CTL_OK)
		return r;
	ctl->out->review(result);
	json_decref(result);
	return CTL_OK;
}

static int cmd_review_drop(struct ctl *ctl, struct opts *o)
{
	json_t *result = NULL;
	int r = ctl_call(ctl, "review.drop", json_pack("{s:I}", "id", o->id[0]), &result, NULL);

	if (r != CTL_OK)
		return r;
	ctl->out->done(result, "removed review entry %" JSON_INTEGER_FORMAT, o->id[0]);
	json_decref(result);
	return CTL_OK;
}

static const struct opt review_apply_opts[] = {
	{ "app", true, NULL, false }, { "kind", true, NULL, false }, { NULL, false, NULL, false },
};

static int cmd_review_apply(struct ctl *ctl, struct opts *o)
{
	g_autoptr(GError) error = NULL;
	json_t *result = NULL, *params;
	json_int_t app = 0;
	enum mail_kind kind = MAIL_NOISE;
	int r;

	if (opt(o, "app") && (r = ctl_parse_id(ctl, opt(o, "app"), "application", &app)) != CTL_OK)
		return r;
	if (opt(o, "kind") && mail_kind_parse(opt(o, "kind"), &kind, &error) < 0)
		return ctl_usage(ctl, "--kind: %s", error->message);
	params = json_pack("{s:I}", "id", o->id[0]);
	if (app)
		json_object_set_new(params, "application", json_integer(app));
	if (opt(o, "kind"))
		json_object_set_new(params, "kind", json_string(mail_kind_name(kind)));
	if ((r = ctl_call(ctl, "review.apply", params, &result, NULL)) != CTL_OK)
		return r;
	ctl->out->review_applied(result, o->id[0], mail_kind_name(kind));
	json_decref(result);
	return CTL_OK;
}

static int cmd_review_retry(struct ctl *ctl, struct opts *o)
{
	json_t *result = NULL;
	int r = ctl_call(ctl, "review.retry", NULL, &result, NULL);

	(void)o;
	if (r != CTL_OK)
		return r;
	ctl->out->done(result,
		       "retried %" JSON_INTEGER_FORMAT ": %" JSON_INTEGER_FORMAT " applied, %" JSON_INTEGER_FORMAT
		       " still queued",
		       json_integer_value(json_object_get(result, "retried")),
		       json_integer_value(json_object_get(result, "applied")),
		       json_integer_value(json_object_get(result, "still_queued")));
	json_decref(result);
	return CTL_OK;
}

static const struct command cmd_review_list_entry = {
	.name = "list",
	.usage = "",
	.summary = "List messages the rules matched but that could not be applied",
	.exec = cmd_review_list,
};

static const struct command cmd_review_show_entry = {
	.name = "show",
	.usage = "ID",
	.summary = "Show a queued message: why it is queued, and its text",
	.required = { { "review entry", NULL } },
	.max_args = 1,
	.exec = cmd_review_show,
};

static const struct command cmd_review_apply_entry = {
	.name = "apply",
	.usage = "ID [--app APP] [--kind KIND]",
	.summary = "Apply a queued message, to application APP or by the current rules; as KIND, learned when not the "
		   "guess",
	.opts = review_apply_opts,
	.required = { { "review entry", NULL } },
	.max_args = 1,
	.exec = cmd_review_apply,
};

static const struct command cmd_review_drop_entry = {
	.name = "drop",
	.usage = "ID",
	.summary = "Remove a message from the queue (it is not queued again)",
	.required = { { "review entry", NULL } },
	.max_args = 1,
	.exec = cmd_review_drop,
};

static const struct command cmd_review_retry_entry = {
	.name = "retry",
	.usage = "",
	.summary = "Run the current rules again on every queued message",
	.exec = cmd_review_retry,
};

static const struct command *const review_commands[] = {
	&cmd_review_list_entry, &cmd_review_show_entry,  &cmd_review_apply_entry,
	&cmd_review_drop_entry, &cmd_review_retry_entry, NULL,
};

const struct command cmd_review_entry = {
	.name = "review",
	.usage = "list | show ID | apply ID [--app APP] [--kind KIND] | drop ID | retry",
	.summary = "The queue of mail that could not be applied",
	.sub = review_commands,
};
