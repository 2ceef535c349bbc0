#!/usr/bin/env python3
"""Exports the alt-profanity-check model (MIT licence) into the text resource Vigil evaluates in Swift.

The model is scikit-learn's TfidfVectorizer (lowercase, token pattern (?u)\\b\\w\\w+\\b, English
stop words, l2 norm, smooth idf) and a CalibratedClassifierCV of five LinearSVC folds, each with
sigmoid calibration. The probability of "offensive" is the mean over the folds of
1 / (1 + exp(a * (x . coef + intercept) + b)).

Run once, in a venv with `pip install alt-profanity-check==1.9.1`:
    python scripts/detection/export-profanity-model.py Sources/VigilServer/Resources/profanity-model.tsv
It also writes Tests/VigilServerTests/Fixtures/profanity-scores.tsv: texts and the Python scores,
which the Swift test compares with.
"""
import random
import sys

import numpy as np
import sklearn
from profanity_check import profanity_check as pc

VERSION = "1.9.1"


def export_model(path):
    vectorizer, model = pc.vectorizer, pc.model
    params = vectorizer.get_params()
    assert params["lowercase"] and params["token_pattern"] == r"(?u)\b\w\w+\b" and params["ngram_range"] == (1, 1)
    assert params["norm"] == "l2" and not params["sublinear_tf"] and params["use_idf"] and params["analyzer"] == "word"
    assert model.method == "sigmoid" and list(model.classes_) == [0, 1]
    folds = model.calibrated_classifiers_
    terms = sorted(vectorizer.vocabulary_.items(), key=lambda item: item[1])
    with open(path, "w", encoding="utf-8") as out:
        out.write(f"# alt-profanity-check {VERSION} (MIT licence, https://github.com/dimitrismistriotis/alt-profanity-check),\n")
        out.write(f"# exported from scikit-learn {sklearn.__version__} by scripts/detection/export-profanity-model.py.\n")
        out.write(f"model\talt-profanity-check\t{VERSION}\n")
        for fold in folds:
            (calibrator,) = fold.calibrators
            out.write(f"fold\t{float(fold.estimator.intercept_[0])!r}\t{float(calibrator.a_)!r}\t{float(calibrator.b_)!r}\n")
        idf = vectorizer.idf_
        coefs = [fold.estimator.coef_[0] for fold in folds]
        for term, index in terms:
            assert "\t" not in term and "\n" not in term
            values = [repr(float(idf[index]))] + [repr(float(c[index])) for c in coefs]
            out.write("term\t" + term + "\t" + "\t".join(values) + "\n")


def sample_texts(count, seed=20261130):
    """Texts that exercise the tokenizer and the arithmetic: vocabulary words (offensive or not)
    in varied case, with punctuation, digits, underscores, accents and other scripts."""
    rng = random.Random(seed)
    vocabulary = sorted(pc.vectorizer.vocabulary_)
    # The terms that weigh most towards "offensive", so that a good share of the texts is.
    coef = pc.model.calibrated_classifiers_[0].estimator.coef_[0]
    offensive = [term for term, index in sorted(pc.vectorizer.vocabulary_.items(), key=lambda item: -coef[item[1]])[:300]]
    extras = ["I", "a", "the", "and", "you", "is", "not", "x", "é", "naïve", "café", "Straße", "İstanbul", "ΣΟΦΙΑΣ",
              "日本語", "١٢٣", "snake_case", "e-mail", "don't", "l33t", "😀", "...", "!!", "?", "#tag", "@user", "http://example.com/x"]
    seps = [" ", " ", " ", ", ", ". ", "! ", "\n", "\t", "-", "_", "/", "'", " — "]
    texts = ["", "   ", "hello", "have a nice day", "you are a fucking idiot", "What a lovely video!", "shut up you stupid b*tch",
             "I love this song so much", "This is SHIT", "go kill yourself", "DAMN that was good", "Ass-kicking performance"]
    while len(texts) < count:
        words = []
        rude = rng.random() < 0.3
        for _ in range(rng.randint(1, 30)):
            pick = rng.random()
            word = rng.choice(offensive) if rude and pick < 0.15 else rng.choice(vocabulary) if pick < 0.8 else rng.choice(extras)
            style = rng.random()
            if style < 0.15:
                word = word.upper()
            elif style < 0.3:
                word = word.capitalize()
            words.append(word)
            words.append(rng.choice(seps))
        texts.append("".join(words).strip())
    return texts


def export_scores(path, count):
    texts = sample_texts(count)
    scores = pc.predict_prob(texts)
    with open(path, "w", encoding="utf-8") as out:
        out.write("# text (\\n, \\t and \\\\ escaped)\tscore from alt-profanity-check " + VERSION + "\n")
        for text, score in zip(texts, scores):
            escaped = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
            out.write(f"{escaped}\t{float(score)!r}\n")


if __name__ == "__main__":
    export_model(sys.argv[1] if len(sys.argv) > 1 else "Sources/VigilServer/Resources/profanity-model.tsv")
    export_scores(sys.argv[2] if len(sys.argv) > 2 else "Tests/VigilServerTests/Fixtures/profanity-scores.tsv", 4000)
