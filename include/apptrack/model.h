/* SPDX-License-Identifier: GPL-3.0-or-later */
/* model.h - the statistical layer of mail understanding: a logistic regression over the
 * words of a message, trained on labelled mail and taught by its user.
 *
 * Under the rule files (rules.h), which decide what is certain, the model reads what no
 * decisive rule claimed and says which kind of mail it is, with a confidence. Features
 * (model_features()) come from the message as a person reads it: the subject's words and
 * word pairs (kept apart from the body's, so that the subject weighs more), the body's
 * words and word pairs once quoted replies, signatures and footers (unsubscribe,
 * privacy, "do not reply") are removed (links and addresses left out, common given names
 * read as one placeholder), who sent it (a hiring system, a job board, a mail provider, a
 * no-reply address, the labels of its domain), whether it has a calendar invitation or a
 * link to an assessment site, and the names of the non-deciding rules that matched it.
 *
 * The model is a softmax (multinomial logistic) regression with L2 regularisation; its
 * probability of the best kind is the verdict's confidence. Two sets of weights add up:
 * the shipped ones, read from a file that the build makes from labelled mail
 * (model_load, model_save), and the user's lessons (model_learn, model_unlearn), fitted
 * on top of the shipped scores, each lesson weighing MODEL_LESSON_WEIGHT training
 * messages. See docs/decisions.md "Mail understanding".
 *
 * Thread safety: a model is reference-counted; classification and lessons may run on any
 * thread at the same time (a lock guards the weights).
 */
#ifndef APPTRACK_MODEL_H
#define APPTRACK_MODEL_H

#include <glib.h>
#include <stdbool.h>

#include "apptrack/mime.h"
#include "apptrack/rules.h"

/* The file format this program reads and writes (first line "apptrack-model 1"). */
#define MODEL_FORMAT 1
/* The file name of the shipped model, beside the shipped rules. */
#define MODEL_FILE "apptrack.model"
/* How many training messages one of the user's lessons weighs. */
#define MODEL_LESSON_WEIGHT 8
/* How many of the heaviest features a guess names. */
#define MODEL_MAX_PHRASES 5

typedef struct mailmodel mailmodel;

/* A new, empty model (model_classify says nothing until it is trained or taught). */
mailmodel *model_new(void);
mailmodel *model_ref(mailmodel *m);
void model_unref(mailmodel *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mailmodel, model_unref)

/* Reads a model file. A missing, unreadable, corrupt or incompatible file is an error
 * that names the file and the line. */
int model_load(const char *path, mailmodel **ret_model, GError **error);
/* Writes the shipped weights (not the lessons) to path, to 6 significant digits. */
int model_save(mailmodel *m, const char *path, GError **error);

/* The features of a message (a set of strings; g_ptr_array_unref). rule_features: names
 * of matched rules that do not decide (NULL-terminated, may be NULL), added as
 * "rule:NAME". */
GPtrArray *model_features(const struct mime_message *msg, const char *const *rule_features);

/* Training, for the build: keeps one labelled message's features. */
void model_train(mailmodel *m, GPtrArray *features, enum mail_kind kind);
/* Fits the shipped weights to the messages kept (replacing any weights and lessons), on
 * the features seen in at least min_docs of them. The same messages in the same order
 * give the same weights. */
void model_fit(mailmodel *m, unsigned min_docs);
/* For measurement (apptrack-bench mail-cv), before model_fit(): the L2 regularisation
 * (when positive) and how much kinds are weighted against their frequency (0: not at
 * all, 1: fully; when not negative). */
void model_set_params(mailmodel *m, double lambda, double balance);

/* The user's lessons: add (or take back) one message of kind. Cheap: the lessons'
 * weights are fitted again at the next model_classify(). */
void model_learn(mailmodel *m, GPtrArray *features, enum mail_kind kind);
void model_unlearn(mailmodel *m, GPtrArray *features, enum mail_kind kind);
/* Number of shipped training messages and of lessons. */
unsigned model_shipped_count(mailmodel *m);
unsigned model_lesson_count(mailmodel *m);

struct model_guess {
	enum mail_kind kind;                   /* the most likely kind */
	double confidence;                     /* its probability, 0..1 */
	double p[MAIL_KIND_COUNT];             /* every kind's */
	char *phrases[MODEL_MAX_PHRASES + 1];  /* the features that weighed most for kind against
						* the runner-up, as text ("subject: thank you");
						* NULL-terminated, owned */
};

/* Reads a message's features. 0 and *ret_guess (clear with model_guess_clear), or
 * -ENODATA when the model was never trained nor taught. */
int model_classify(mailmodel *m, GPtrArray *features, struct model_guess *ret_guess);
void model_guess_clear(struct model_guess *g);

#endif
