/* SPDX-License-Identifier: GPL-3.0-or-later */
/* apptrack-bench.c - benchmarks against a running apptrackd (see run.sh and README.md).
 *
 *   apptrack-bench classify DIR [ROUNDS]
 *                                  parses and classifies every .eml of DIR ROUNDS times
 *                                  with the shipped rules; target 1,000 messages/s.
 *   apptrack-bench core [ROUNDS]   times applications.list (all rows), stats and ping
 *                                  round trips over the control socket and checks them
 *                                  against the targets; exit 1 when one is missed.
 *   apptrack-bench match-pair RESUME JD N
 *   apptrack-bench match-rank N
 *   apptrack-bench match-all N     the matcher (bench-match.c)
 */
#include "bench.h"

#include "apptrack/client.h"
#include "apptrack/paths.h"
#include "apptrack/rules.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TARGET_LIST_MS 50.0
#define TARGET_STATS_MS 50.0
#define TARGET_PING_P99_MS 1.0
#define PING_ROUNDS 10000
#define DEFAULT_ROUNDS 20

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double percentile(double *v, size_t n, double p)
{
	qsort(v, n, sizeof(*v), cmp_double);
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i];
}

/* Times one method `rounds` times; returns the median in ms, or -1 on error. */
static double time_call(client *c, const char *method, json_t *params, int rounds, size_t *ret_items)
{
	double *t = g_new(double, rounds);
	double median;

	for (int i = 0; i < rounds; i++) {
		g_autoptr(GError) error = NULL;
		json_t *result = NULL;
		double start = now_ms();
		if (client_call(c, method, params, &result, NULL, &error) < 0) {
			fprintf(stderr, "apptrack-bench: %s: %s\n", method, error->message);
			g_free(t);
			return -1;
		}
		t[i] = now_ms() - start;
		if (ret_items)
			*ret_items = json_is_array(result) ? json_array_size(result) : json_object_size(result);
		json_decref(result);
	}
	median = percentile(t, (size_t)rounds, 0.5);
	g_free(t);
	return median;
}

/* The daemon's answer time: request written to complete reply line read, on a raw
 * connection (no JSON parsing on the client side). Median in ms, -1 on error. */
static double time_raw(const char *request, int rounds, size_t *ret_bytes)
{
	g_autofree char *path = paths_socket(NULL);
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	static char buf[1 << 20];
	double *t = g_new(double, rounds), median;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || read(fd, buf, sizeof(buf)) <= 0) {
		g_free(t);
		return -1;
	}
	for (int i = 0; i < rounds; i++) {
		double start = now_ms();
		size_t total = 0;
		ssize_t n;
		if (write(fd, request, strlen(request)) < 0)
			break;
		while ((n = read(fd, buf, sizeof(buf))) > 0) {
			total += (size_t)n;
			if (buf[n - 1] == '\n')
				break;
		}
		t[i] = now_ms() - start;
		*ret_bytes = total;
	}
	close(fd);
	median = percentile(t, (size_t)rounds, 0.5);
	g_free(t);
	return median;
}

static int bench_core(int rounds)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(client) c = NULL;
	size_t items = 0;
	int failed = 0;

	if (client_connect(NULL, &c, &error) < 0) {
		fprintf(stderr, "apptrack-bench: %s\n", error->message);
		return 2;
	}
	json_t *list_params = json_pack("{s:i}", "limit", 100000);
	double list_ms = time_call(c, "applications.list", list_params, rounds, &items);
	json_decref(list_params);
	json_t *stats_params = json_pack("{s:s}", "report", "overview");
	double stats_ms = time_call(c, "stats", stats_params, rounds, NULL);
	json_decref(stats_params);
	json_t *pipe_params = json_pack("{s:s}", "report", "pipeline");
	double pipe_ms = time_call(c, "stats", pipe_params, rounds, NULL);
	json_decref(pipe_params);
	size_t list_bytes = 0, stats_bytes = 0;
	double list_raw = time_raw("{\"id\":1,\"method\":\"applications.list\",\"params\":{\"limit\":100000}}\n",
				   rounds, &list_bytes);
	double stats_raw = time_raw("{\"id\":1,\"method\":\"stats\",\"params\":{\"report\":\"pipeline\"}}\n", rounds,
				    &stats_bytes);
	if (list_ms < 0 || stats_ms < 0 || pipe_ms < 0 || list_raw < 0 || stats_raw < 0)
		return 2;

	double *ping = g_new(double, PING_ROUNDS);
	for (int i = 0; i < PING_ROUNDS; i++) {
		json_t *result = NULL;
		double start = now_ms();
		if (client_call(c, "ping", NULL, &result, NULL, &error) < 0) {
			fprintf(stderr, "apptrack-bench: ping: %s\n", error->message);
			g_free(ping);
			return 2;
		}
		ping[i] = now_ms() - start;
		json_decref(result);
	}
	double p50 = percentile(ping, PING_ROUNDS, 0.5), p99 = percentile(ping, PING_ROUNDS, 0.99);
	g_free(ping);

#define REPORT(name, value, target)                                                         \
	do {                                                                                \
		bool ok = (value) < (target);                                               \
		failed += !ok;                                                              \
		printf("%-32s %9.3f ms  (target < %.1f ms)  %s\n", name, value, target,   \
		       ok ? "ok" : "MISSED");                                               \
	} while (0)
	printf("applications: %zu (list reply %zu bytes)\n", items, list_bytes);
	REPORT("list: daemon answer (median)", list_raw, TARGET_LIST_MS);
	printf("%-32s %9.3f ms  (client parse included, for information)\n", "list: client call (median)", list_ms);
	REPORT("stats pipeline: answer (median)", stats_raw, TARGET_STATS_MS);
	REPORT("stats overview: call (median)", stats_ms, TARGET_STATS_MS);
	REPORT("stats pipeline: call (median)", pipe_ms, TARGET_STATS_MS);
	printf("%-32s %9.3f ms\n", "ping p50", p50);
	REPORT("ping p99", p99, TARGET_PING_P99_MS);
	return failed ? 1 : 0;
}

#define TARGET_CLASSIFY_PER_S 1000.0

/* Parses and classifies every .eml of dir, rounds times over, as the mail workers do: the
 * shipped rules (paths_shipped_rules_dir()) and the shipped model under them. */
static int bench_classify(const char *dir, int rounds)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) d = g_dir_open(dir, 0, &error);
	g_autoptr(GPtrArray) raws = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GArray) lens = g_array_new(FALSE, FALSE, sizeof(gsize));
	rules *r = NULL;
	const char *name;
	size_t by_rule = 0, by_model = 0, total = 0;

	if (!d) {
		fprintf(stderr, "apptrack-bench: %s\n", error->message);
		return 2;
	}
	if (rules_load_standard(&r, &error) < 0) {
		fprintf(stderr, "apptrack-bench: %s\n", error->message);
		return 2;
	}
	while ((name = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		char *raw;
		gsize len;
		if (g_str_has_suffix(name, ".eml") && g_file_get_contents(path, &raw, &len, NULL)) {
			g_ptr_array_add(raws, raw);
			g_array_append_val(lens, len);
		}
	}
	double start = now_ms();
	for (int k = 0; k < rounds; k++) {
		for (guint i = 0; i < raws->len; i++) {
			struct mime_message *m = NULL;
			struct rule_match match = { 0 };
			if (mime_parse(raws->pdata[i], g_array_index(lens, gsize, i), &m, NULL) == 0) {
				if (rules_classify(r, m, &match) == 1)
					*(match.layer == LAYER_RULE ? &by_rule : &by_model) += 1;
				rule_match_clear(&match);
				mime_message_free(m);
			}
			total++;
		}
	}
	double secs = (now_ms() - start) / 1000.0;
	double rate = (double)total / secs;
	rules_free(r);
	printf("classified %zu messages (%zu by a rule, %zu by the model%s) in %.3f s\n", total, by_rule, by_model,
	       rules_model(r) ? "" : ", which is not loaded", secs);
	printf("%-32s %9.0f msg/s  (target >= %.0f)  %s\n", "parse + classify", rate, TARGET_CLASSIFY_PER_S,
	       rate >= TARGET_CLASSIFY_PER_S ? "ok" : "MISSED");
	return rate >= TARGET_CLASSIFY_PER_S ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "classify") == 0) {
		int rounds = argc >= 4 ? atoi(argv[3]) : DEFAULT_ROUNDS;
		return bench_classify(argv[2], rounds > 0 ? rounds : DEFAULT_ROUNDS);
	}
	if (argc >= 2 && strcmp(argv[1], "core") == 0) {
		int rounds = argc >= 3 ? atoi(argv[2]) : DEFAULT_ROUNDS;
		return bench_core(rounds > 0 ? rounds : DEFAULT_ROUNDS);
	}
	if (argc == 5 && strcmp(argv[1], "match-pair") == 0 && atol(argv[4]) > 0)
		return bench_match_pair(argv[2], argv[3], atol(argv[4]));
	if (argc == 3 && strcmp(argv[1], "match-rank") == 0 && atol(argv[2]) > 0)
		return bench_match_rank(atol(argv[2]));
	if (argc == 3 && strcmp(argv[1], "match-all") == 0 && atol(argv[2]) > 0)
		return bench_match_all(atol(argv[2]));
	if (argc >= 4 && strcmp(argv[1], "train") == 0)
		return bench_train(argv[2], argv + 3, argc - 3);
	if (argc >= 3 && strcmp(argv[1], "mail-cv") == 0)
		return bench_mail_cv(argc - 2, argv + 2);
	fprintf(stderr, "usage: apptrack-bench core [ROUNDS]\n       apptrack-bench classify DIR [ROUNDS]\n"
			"       apptrack-bench match-pair RESUME JD N\n       apptrack-bench match-rank N\n       apptrack-bench match-all N\n"
			"       apptrack-bench train OUT DIR...\n"
			"       apptrack-bench mail-cv CORPUS [DIR...] [--folds K] [--rules-decide] [--no-model] [--list]\n");
	return 2;
}
