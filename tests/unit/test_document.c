/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_document.c - text out of resume files: PDFs made here with cairo (two pages, a
 * word outside ASCII, a page with only a rectangle, too many pages) and by hand (an
 * encrypted one), damaged PDFs, Markdown, plain text and its refusals (Latin-1, NUL,
 * empty, missing, a directory, over the size and text limits). */
#include "apptrack/document.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define A4_WIDTH 595.0
#define A4_HEIGHT 842.0

static char *dir;

static int setup(void **state)
{
	(void)state;
	dir = g_dir_make_tmp("apptrack-document-XXXXXX", NULL);
	return dir ? 0 : -1;
}

static int teardown(void **state)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	(void)state;
	assert_int_equal(system(cmd), 0);
	g_clear_pointer(&dir, g_free);
	return 0;
}

static char *path_of(const char *name)
{
	return g_build_filename(dir, name, NULL);
}

static char *write_file(const char *name, const char *data, size_t len)
{
	char *path = path_of(name);
	assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
	return path;
}

/* Every glyph of the test font: a box, one advance wide. */
static cairo_status_t box_glyph(cairo_scaled_font_t *font, unsigned long glyph, cairo_t *cr,
				cairo_text_extents_t *extents)
{
	(void)font, (void)glyph;
	cairo_rectangle(cr, 0.1, -0.7, 0.4, 0.7);
	cairo_fill(cr);
	extents->x_advance = 0.6;
	return CAIRO_STATUS_SUCCESS;
}

/* A PDF with one page per entry of pages: its text shown with cairo_show_text(), or a
 * filled rectangle only when the entry is NULL. The font is a cairo user font (cairo
 * writes it as a Type 3 font with a ToUnicode map, so the text can be extracted): the
 * test needs no installed fonts, nor fontconfig, whose configuration loading leaks by
 * LeakSanitizer's count. */
static char *make_pdf(const char *name, const char *const *pages, size_t n)
{
	char *path = path_of(name);
	cairo_surface_t *surface = cairo_pdf_surface_create(path, A4_WIDTH, A4_HEIGHT);
	cairo_t *cr = cairo_create(surface);
	cairo_font_face_t *face = cairo_user_font_face_create();

	cairo_user_font_face_set_render_glyph_func(face, box_glyph);
	cairo_set_font_face(cr, face);
	cairo_font_face_destroy(face); /* cr holds it */
	cairo_set_font_size(cr, 12);
	for (size_t i = 0; i < n; i++) {
		if (pages[i]) {
			cairo_move_to(cr, 72, 72);
			cairo_show_text(cr, pages[i]);
		} else {
			cairo_rectangle(cr, 72, 72, 200, 100);
			cairo_fill(cr);
		}
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	assert_int_equal(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(surface);
	return path;
}

/* A PDF written by hand from its objects (numbered from 1, the first the catalog), with
 * a correct cross-reference table. */
static GString *hand_pdf(const char *const *objs, size_t n, const char *trailer_extra)
{
	GString *pdf = g_string_new("%PDF-1.4\n");
	g_autofree size_t *offsets = g_new(size_t, n);

	for (size_t i = 0; i < n; i++) {
		offsets[i] = pdf->len;
		g_string_append_printf(pdf, "%zu 0 obj\n%s\nendobj\n", i + 1, objs[i]);
	}
	size_t xref = pdf->len;
	g_string_append_printf(pdf, "xref\n0 %zu\n0000000000 65535 f \n", n + 1);
	for (size_t i = 0; i < n; i++)
		g_string_append_printf(pdf, "%010zu 00000 n \n", offsets[i]);
	g_string_append_printf(pdf, "trailer\n<< /Size %zu /Root 1 0 R %s>>\nstartxref\n%zu\n%%%%EOF\n", n + 1,
			       trailer_extra, xref);
	return pdf;
}

/* Reads path and expects failure r with a message holding needle and the file's name;
 * the output parameter stays untouched. */
static void read_fails(const char *path, int r, const char *needle)
{
	GError *error = NULL;
	char *text = (char *)"untouched";

	assert_int_equal(document_read_text(path, &text, &error), r);
	assert_string_equal(text, "untouched");
	assert_non_null(error);
	if (!strstr(error->message, needle))
		fail_msg("message \"%s\" lacks \"%s\"", error->message, needle);
	g_autofree char *base = g_path_get_basename(path);
	if (!strstr(error->message, base))
		fail_msg("message \"%s\" does not name %s", error->message, base);
	g_error_free(error);
}

static char *read_ok(const char *path)
{
	GError *error = NULL;
	char *text = NULL;

	if (document_read_text(path, &text, &error) < 0)
		fail_msg("%s: %s", path, error->message);
	assert_non_null(text);
	assert_true(g_utf8_validate(text, -1, NULL));
	return text;
}

static void test_pdf_two_pages(void **state)
{
	static const char *const pages[] = { "Ada Lovelace, Zürich", "Skills: Kubernetes and SQLite" };
	g_autofree char *path = make_pdf("resume.pdf", pages, 2);
	g_autofree char *text = read_ok(path);
	(void)state;

	const char *first = strstr(text, "Ada Lovelace, Zürich");
	const char *second = strstr(text, "Skills: Kubernetes and SQLite");
	if (!first || !second)
		fail_msg("text of the PDF: [%s]", text);
	assert_true(first < second);
	/* pages apart by a blank line, one final newline */
	assert_non_null(strstr(text, "Zürich\n\nSkills"));
	assert_true(g_str_has_suffix(text, "SQLite\n"));
}

static void test_pdf_by_magic(void **state)
{
	static const char *const pages[] = { "Magic, not names" };
	g_autofree char *pdf = make_pdf("resume-pdf.txt", pages, 1);
	g_autofree char *text = read_ok(pdf);
	(void)state;

	assert_string_equal(text, "Magic, not names\n");
	/* and a text file named .pdf is text */
	g_autofree char *fake = write_file("notes.pdf", "plain words\n", strlen("plain words\n"));
	g_autofree char *plain = read_ok(fake);
	assert_string_equal(plain, "plain words\n");
}

static void test_pdf_damaged(void **state)
{
	static const char *const pages[] = { "A resume cut short" };
	g_autofree char *path = make_pdf("whole.pdf", pages, 1);
	g_autofree char *data = NULL;
	gsize len;
	(void)state;

	assert_true(g_file_get_contents(path, &data, &len, NULL));
	/* cut at several points: the header only, the middle, just before the trailer */
	const size_t cuts[] = { 16, len / 2, len - 40 };
	for (size_t i = 0; i < G_N_ELEMENTS(cuts); i++) {
		g_autofree char *name = g_strdup_printf("cut-%zu.pdf", i);
		g_autofree char *cut = write_file(name, data, cuts[i]);
		GError *error = NULL;
		char *text = NULL;
		int r = document_read_text(cut, &text, &error);
		/* poppler may rebuild a file cut late; what comes out is then the text, or the
		 * document is refused as damaged or without text, never anything else */
		if (r == 0) {
			assert_non_null(strstr(text, "A resume cut short"));
			g_free(text);
			continue;
		}
		assert_int_equal(r, -EINVAL);
		if (!strstr(error->message, "damaged") && !strstr(error->message, "no text layer"))
			fail_msg("cut at %zu: %s", cuts[i], error->message);
		assert_non_null(strstr(error->message, name));
		g_error_free(error);
	}
	/* the magic and garbage */
	g_autofree char *junk = write_file("junk.pdf", "%PDF-1.7\n\x01\x02garbage", 19);
	read_fails(junk, -EINVAL, "damaged PDF");
}

static void test_pdf_no_text(void **state)
{
	static const char *const pages[] = { NULL, NULL };
	g_autofree char *path = make_pdf("scan.pdf", pages, 2);
	(void)state;

	read_fails(path, -EINVAL, "has no text layer (a scanned image?)");
}

static void test_pdf_encrypted(void **state)
{
	/* the standard security handler with an owner and user key the empty password does
	 * not open */
	g_autofree char *o = g_strnfill(64, 'a');
	g_autofree char *u = g_strnfill(64, 'c');
	g_autofree char *encrypt = g_strdup_printf("<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>", o, u);
	const char *const objs[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
		encrypt,
	};
	g_autoptr(GString) pdf = hand_pdf(objs, G_N_ELEMENTS(objs),
					  "/Encrypt 4 0 R /ID [<0102030405060708090a0b0c0d0e0f10><0102030405060708090a0b0c0d0e0f10>] ");
	g_autofree char *path = write_file("locked.pdf", pdf->str, pdf->len);
	(void)state;

	read_fails(path, -EINVAL, "encrypted PDF");
}

static void test_pdf_by_hand(void **state)
{
	/* the simplest text PDF: a standard font, WinAnsi "ü" as \374 */
	static const char stream[] = "BT /F1 12 Tf 20 100 Td (Ada Lovelace, Z\\374rich) Tj ET";
	g_autofree char *contents = g_strdup_printf("<< /Length %zu >>\nstream\n%s\nendstream", strlen(stream), stream);
	const char *const objs[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Resources << /Font << /F1 4 0 R >> >> "
		"/Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		contents,
	};
	g_autoptr(GString) pdf = hand_pdf(objs, G_N_ELEMENTS(objs), "");
	GError *error = NULL;
	char *text = NULL;
	(void)state;

	/* from memory, with no name: messages would say "document" */
	assert_int_equal(document_text_from_data(NULL, pdf->str, pdf->len, &text, &error), 0);
	assert_string_equal(text, "Ada Lovelace, Zürich\n");
	g_free(text);
}

static void test_pdf_too_many_pages(void **state)
{
	const char *pages[DOCUMENT_MAX_PDF_PAGES + 1];
	(void)state;

	for (size_t i = 0; i < G_N_ELEMENTS(pages); i++)
		pages[i] = "page";
	g_autofree char *path = make_pdf("long.pdf", pages, G_N_ELEMENTS(pages));
	read_fails(path, -E2BIG, G_STRINGIFY(DOCUMENT_MAX_PDF_PAGES));

	/* exactly at the limit is fine */
	g_autofree char *ok = make_pdf("limit.pdf", pages, DOCUMENT_MAX_PDF_PAGES);
	g_autofree char *text = read_ok(ok);
	assert_non_null(strstr(text, "page"));
}

static void test_markdown_file(void **state)
{
	static const char md[] = "# Ada Lovelace\n"
				 "\n"
				 "**Backend engineer** in _Zürich_ — see [my site](https://ada.example/about_(me)) "
				 "and ![a photo](me.png)\n"
				 "\n"
				 "## Skills ##\n"
				 "\n"
				 "- Python, *SQL*\n"
				 "* `snake_case` and C++\n"
				 "+ [x] Kubernetes\n"
				 "1. first\n"
				 "\n"
				 "```python\n"
				 "x = a*b  # **kept**\n"
				 "```\n"
				 "\n"
				 "> Quoted ~~old~~ text, 2 * 3 = 6\n"
				 "\n"
				 "---\n"
				 "\n"
				 "| Year | Role |\n"
				 "|------|:----:|\n"
				 "| 2024 | Lead |\n"
				 "\n"
				 "Contact <ada@example.com>, <https://ada.example>; <br>done\n"
				 "[ref]: https://ada.example/ref\n";
	static const char expected[] = "Ada Lovelace\n"
				       "\n"
				       "Backend engineer in Zürich — see my site and\n"
				       "\n"
				       "Skills\n"
				       "\n"
				       "Python, SQL\n"
				       "snake_case and C++\n"
				       "Kubernetes\n"
				       "1. first\n"
				       "\n"
				       "x = a*b  # **kept**\n"
				       "\n"
				       "Quoted old text, 2 * 3 = 6\n"
				       "\n"
				       "Year  Role\n"
				       "2024  Lead\n"
				       "\n"
				       "Contact ada@example.com, https://ada.example; done\n";
	g_autofree char *path = write_file("resume.md", md, strlen(md));
	g_autofree char *text = read_ok(path);
	(void)state;

	assert_string_equal(text, expected);
	/* .markdown, any case, is Markdown too; .txt is not */
	g_autofree char *upper = write_file("RESUME.MARKDOWN", "*Hi*\n", 5);
	g_autofree char *t2 = read_ok(upper);
	assert_string_equal(t2, "Hi\n");
	g_autofree char *txt = write_file("resume.txt", "*Hi*\n", 5);
	g_autofree char *t3 = read_ok(txt);
	assert_string_equal(t3, "*Hi*\n");
}

static void test_markdown_inline(void **state)
{
	static const struct {
		const char *md, *text;
	} cases[] = {
		{ "[text](http://x.y)", "text\n" },
		{ "[**bold** link](u)", "bold link\n" },
		{ "[ref link][1]", "ref link\n" },
		{ "![only an image](i.png)", "" },
		{ "[2020] plain brackets", "[2020] plain brackets\n" },
		{ "an [unclosed link(", "an [unclosed link(\n" },
		{ "\\*not emphasis\\*", "*not emphasis*\n" },
		{ "``code with ` tick``", "code with ` tick\n" },
		{ "`unclosed code", "`unclosed code\n" },
		{ "__init__ and file_name", "init and file_name\n" },
		{ "~/.bashrc", "~/.bashrc\n" },
		{ "####### seven is text", "####### seven is text\n" },
		{ "#hashtag", "#hashtag\n" },
		{ "Title\n=====", "Title\n" },
		{ "- [ ] open task", "open task\n" },
		{ ">> nested quote", "nested quote\n" },
		{ "~~~\n# not a heading\n~~~", "# not a heading\n" },
		{ "```\nunclosed fence *kept*", "unclosed fence *kept*\n" },
		{ "a <b>bold</b> tag", "a bold tag\n" },
		{ "x < y > z", "x < y > z\n" },
		{ "Zürich_Genève", "Zürich_Genève\n" },
	};
	(void)state;

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *name = g_strdup_printf("case-%zu.md", i);
		GError *error = NULL;
		char *text = NULL;
		int r = document_text_from_data(name, cases[i].md, strlen(cases[i].md), &text, &error);
		if (!*cases[i].text) {
			assert_int_equal(r, -EINVAL); /* nothing left: "has no text" */
			assert_non_null(strstr(error->message, "has no text"));
			g_error_free(error);
			continue;
		}
		if (r < 0)
			fail_msg("%s: %s", cases[i].md, error->message);
		if (strcmp(text, cases[i].text) != 0)
			fail_msg("markdown [%s] gave [%s], expected [%s]", cases[i].md, text, cases[i].text);
		g_free(text);
	}
}

static void test_plain_text(void **state)
{
	/* a BOM, CRLF, trailing blanks, runs of blank lines, a form feed, a stray control */
	static const char raw[] = "\xEF\xBB\xBF\r\n\r\nAda  \r\n\r\n\r\n\r\nZürich\t\x01\fEnd \r\n\n";
	g_autofree char *path = write_file("resume.txt", raw, strlen(raw));
	g_autofree char *text = read_ok(path);
	(void)state;

	assert_string_equal(text, "Ada\n\nZürich\nEnd\n");
}

static void test_refusals(void **state)
{
	(void)state;

	g_autofree char *latin1 = write_file("latin1.txt", "Z\xfcrich\n", 7);
	read_fails(latin1, -EINVAL, "not UTF-8 text");
	g_autofree char *latin1_md = write_file("latin1.md", "# Z\xfcrich\n", 9);
	read_fails(latin1_md, -EINVAL, "not UTF-8 text");
	g_autofree char *nul = write_file("nul.txt", "a\0b", 3);
	read_fails(nul, -EINVAL, "not UTF-8 text");
	g_autofree char *empty = write_file("empty.txt", "", 0);
	read_fails(empty, -EINVAL, "is empty");
	g_autofree char *blank = write_file("blank.txt", " \n\t\r\n", 5);
	read_fails(blank, -EINVAL, "has no text");
	g_autofree char *missing = path_of("missing.txt");
	read_fails(missing, -ENOENT, g_strerror(ENOENT));
	read_fails(dir, -EISDIR, "cannot read");
}

static void test_limits(void **state)
{
	(void)state;

	/* a file one byte over the size limit is not even read (sparse: no disk needed) */
	g_autofree char *big = path_of("big.txt");
	int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, DOCUMENT_MAX_FILE_SIZE + 1), 0);
	close(fd);
	read_fails(big, -E2BIG, "limit of 10 MiB");

	/* within the size limit but over the text limit */
	size_t n = DOCUMENT_MAX_TEXT + 2;
	g_autofree char *words = g_strnfill(n, 'a');
	words[n - 1] = '\n';
	g_autofree char *long_text = write_file("long.txt", words, n);
	read_fails(long_text, -E2BIG, "longer than the limit");

	/* exactly at the text limit is fine */
	words[DOCUMENT_MAX_TEXT - 1] = '\n';
	g_autofree char *at_limit = write_file("at-limit.txt", words, DOCUMENT_MAX_TEXT);
	g_autofree char *text = read_ok(at_limit);
	assert_int_equal(strlen(text), DOCUMENT_MAX_TEXT);

	/* from memory, the size limit holds too */
	g_autofree char *huge = g_malloc0((size_t)DOCUMENT_MAX_FILE_SIZE + 1);
	GError *error = NULL;
	char *out = NULL;
	assert_int_equal(document_text_from_data("mem.txt", huge, (size_t)DOCUMENT_MAX_FILE_SIZE + 1, &out, &error),
			 -E2BIG);
	assert_null(out);
	assert_non_null(strstr(error->message, "mem.txt"));
	g_error_free(error);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdf_two_pages),   cmocka_unit_test(test_pdf_by_magic),
		cmocka_unit_test(test_pdf_damaged),     cmocka_unit_test(test_pdf_no_text),
		cmocka_unit_test(test_pdf_encrypted),   cmocka_unit_test(test_pdf_by_hand),
		cmocka_unit_test(test_pdf_too_many_pages), cmocka_unit_test(test_markdown_file),
		cmocka_unit_test(test_markdown_inline), cmocka_unit_test(test_plain_text),
		cmocka_unit_test(test_refusals),        cmocka_unit_test(test_limits),
	};
	int failed = cmocka_run_group_tests(tests, setup, teardown);
	/* cairo's caches of fonts, for LeakSanitizer */
	cairo_debug_reset_static_data();
	return failed;
}
