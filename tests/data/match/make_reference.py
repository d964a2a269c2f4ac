#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes reference.tsv: scikit-learn 1.2's pair scores for the texts in this folder.

Run once by hand (Debian bookworm: apt-get install python3-sklearn); the tests read the
stored values and need no Python.
"""
import glob, os, random
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

here = os.path.dirname(os.path.abspath(__file__))
os.chdir(here)

def write(name, text):
    with open(name, "w", encoding="utf-8") as f:
        f.write(text)

write("unicode_case.txt", "İstanbul ΣΟΦΙΑ ΟΔΟΣ Straße STRASSE Ǆemal ǅemal ﬁle Ⅻ x² ½ ٣٤ 東京都 の エンジニア"
      " naïve nai\u0308ve résumé RÉSUMÉ snake_case __init__ _x 3d 42 a1 Ωmega ΑΘΗΝΑ.")
write("unicode_mixed.txt", "Senior İOS engineer in Zürich; ΟΔΟΣ data ΣΟΦΙΑ 東京都; résumé snake_case 42 Straße.")
# Two long texts with more than 5,000 features between them, drawn from a fixed vocabulary
# so that counts at the 5,000th place differ.
rng = random.Random(5)
words = ["w%04d" % i for i in range(3000)]
def long_text():
    return " ".join(rng.choice(words[: rng.randint(200, 3000)]) for _ in range(6000))
write("long_a.txt", long_text())
write("long_b.txt", long_text())
write("long_c.txt", long_text())
rng = random.Random(11)
write("long_d.txt", " ".join(rng.choice(words[:800]) for _ in range(9000)))
write("digits_underscore.txt", "2023 2024 q3_okr v2 __ _ 10x 100k k8s 3-5 years C/C++ c#")
write("digits_underscore_b.txt", "q3_okr 2024 v2 v2 10x engineer _x k8s 100k years")

pairs = [
    ("unicode_case.txt", "unicode_mixed.txt"),
    ("unicode_mixed.txt", "unicode_case.txt"),
    ("digits_underscore.txt", "unicode_case.txt"),
    ("digits_underscore.txt", "digits_underscore_b.txt"),
    ("long_a.txt", "long_b.txt"),
    ("long_b.txt", "long_a.txt"),
    ("long_a.txt", "long_c.txt"),
    ("long_c.txt", "long_d.txt"),
    ("long_d.txt", "unicode_case.txt"),
]
with open("reference.tsv", "w") as out:
    out.write("resume\tjob_description\tscore\n")
    for r, j in pairs:
        docs = [open(r, encoding="utf-8").read(), open(j, encoding="utf-8").read()]
        v = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), max_features=5000, sublinear_tf=True)
        x = v.fit_transform(docs)
        out.write("%s\t%s\t%.6f\n" % (r, j, cosine_similarity(x[0], x[1])[0][0] * 100))
