/* SPDX-License-Identifier: GPL-3.0-or-later */
/* methods.h - what the method handlers share (methods*.c, learning.c): the parameter
 * helpers and the handlers the table in methods.c names, by family.
 *
 * A handler takes the call (daemon.h: struct call) and returns 0 having set call->result
 * (or call->raw), or a negative errno having set call->error (and maybe call->data), or
 * -EINPROGRESS having kept the call, which it ends later with call_finish(). It announces
 * nothing itself: its table entry lists its events, and it leaves the ids they name in
 * call->id and call->application (and a report in call->report).
 */
#ifndef APPTRACKD_METHODS_H
#define APPTRACKD_METHODS_H

#include "daemon.h"

/* ---- parameter helpers (methods.c) ---- */

/* A positive integer, required. */
int param_id(json_t *params, const char *key, int64_t *ret_id, GError **error);
/* A string; *ret is NULL when absent or null and not required. */
int param_string(json_t *params, const char *key, bool required, const char **ret, GError **error);
/* true or false; false when absent. */
int param_bool(json_t *params, const char *key, bool *ret, GError **error);
/* An optional ISO 8601 time; 0 when absent. */
int param_time(json_t *params, const char *key, int64_t *ret_t, GError **error);
/* A copy of params without key (the fields a method passes on). New reference. */
json_t *fields_without(json_t *params, const char *key);
/* The shape every removal shares: "id" in, {"removed":id} out, call->id set. */
int remove_by_id(struct call *c, int (*remove)(const struct pipeline *, int64_t, GError **));

/* ---- methods_app.c: applications, reminders, contacts, interviews ---- */

int m_app_add(struct call *c);
int m_app_list(struct call *c);
int m_app_board(struct call *c);
int m_app_show(struct call *c);
int m_app_edit(struct call *c);
int m_app_status(struct call *c);
int m_app_note(struct call *c);
int m_app_remove(struct call *c);
int m_rem_list(struct call *c);
int m_rem_done(struct call *c);
int m_rem_snooze(struct call *c);
int m_contact_add(struct call *c);
int m_contact_list(struct call *c);
int m_contact_show(struct call *c);
int m_contact_edit(struct call *c);
int m_contact_remove(struct call *c);
int m_contact_link(struct call *c);
int m_interview_add(struct call *c);
int m_interview_list(struct call *c);
int m_interview_edit(struct call *c);
int m_interview_remove(struct call *c);
int m_upcoming(struct call *c);

/* ---- methods_mail.c: rules.test, the review queue, mail.status, mail.sync, mail.model ---- */

int m_rules_test(struct call *c);
int m_review_list(struct call *c);
int m_review_show(struct call *c);
int m_review_apply(struct call *c);
int m_review_drop(struct call *c);
int m_review_retry(struct call *c);
int m_mail_status(struct call *c);
int m_mail_sync(struct call *c);
int m_mail_model(struct call *c);

/* ---- methods_profile.c: resumes, the profile, matching ---- */

int m_resume_add(struct call *c);
int m_resume_list(struct call *c);
int m_resume_show(struct call *c);
int m_resume_remove(struct call *c);
int m_resume_default(struct call *c);
int m_profile_get(struct call *c);
int m_profile_set(struct call *c);
int m_match(struct call *c);

/* ---- methods_web.c: the web page's login link ---- */

int m_web_login(struct call *c);

#endif
