"""Vietnamese word segmentation: underthesea's ``word_tokenize``, with offsets, at a fraction
of its cost.

``word_tokenize`` cuts a text into syllable tokens with a regex, normalises them, then tags each
one B-W (starts a word) or I-W (continues one) with a CRF. Its featurizer builds 43 attribute
strings per syllable (the syllable, its neighbours, their lower case, bigrams and trigrams, digit
and title flags, dictionary membership) and costs ~15 µs per syllable, most of the cost of
reading a clause. This module runs the same model: it reads the CRFsuite weights of
underthesea's model once, scores each syllable from weight sums cached per syllable, bigram and
trigram (a template's weight depends only on its n-gram and its slot), and decodes the two
labels with Viterbi. The words are those ``word_tokenize`` returns (tests compare them).

underthesea's own featurizer and tagger take over when the model is not the one this module
knows (other feature templates, another file layout), and for a clause holding characters
outside Latin scripts and common punctuation (their case rules are not checked here).
"""

from __future__ import annotations

import functools
import re
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

__all__ = ["word_spans", "word_tokenize"]

# the attribute templates of underthesea's word segmentation model (ws_crf_vlsp2013_20230727)
_TEMPLATES = [
    "T[-2]", "T[-1]", "T[0]", "T[1]", "T[2]", "T[-2,-1]", "T[-1,0]", "T[0,1]", "T[1,2]", "T[-2,0]",
    "T[-1,1]", "T[0,2]", "T[-2].lower", "T[-1].lower", "T[0].lower", "T[1].lower", "T[2].lower",
    "T[-2,-1].lower", "T[-1,0].lower", "T[0,1].lower", "T[1,2].lower", "T[-1].isdigit", "T[0].isdigit",
    "T[1].isdigit", "T[-2].istitle", "T[-1].istitle", "T[0].istitle", "T[1].istitle", "T[2].istitle",
    "T[0,1].istitle", "T[0,2].istitle", "T[-2].is_in_dict", "T[-1].is_in_dict", "T[0].is_in_dict",
    "T[1].is_in_dict", "T[2].is_in_dict", "T[-2,-1].is_in_dict", "T[-1,0].is_in_dict",
    "T[0,1].is_in_dict", "T[1,2].is_in_dict", "T[-2,0].is_in_dict", "T[-1,1].is_in_dict",
    "T[0,2].is_in_dict",
]  # fmt: skip
_OFFSETS = (-2, -1, 0, 1, 2)
_BIGRAMS = ((-2, -1), (-1, 0), (0, 1), (1, 2))
_TRIGRAMS = ((-2, 0), (-1, 1), (0, 2))
# characters whose case and digit rules are the same in Python and in the Rust featurizer:
# ASCII, Latin letters (Vietnamese included), general punctuation and currency signs
_UNSURE = regex.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2000-\u206f\u20a0-\u20cf]")
_INT = regex.compile(r"[+-]?[0-9]+")
_CACHE_LIMIT = 30_000  # entries a cache keeps before it is emptied (~10 MB at most)


@dataclass
class _Model:
    """The CRF of underthesea's word segmentation, as weight sums per n-gram and slot."""

    weights: dict[str, float]  # attribute → its I-W weight minus its B-W weight
    trans: tuple[float, float, float, float]  # B→B, B→I, I→B, I→I
    dictionary: frozenset[str]
    bos: tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]  # unigram, bigram, trigram
    eos: tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]
    title01: dict[bool | None, float]
    title02: dict[bool | None, float]
    uni: dict[str, tuple[Any, ...]]
    bi: dict[tuple[str, str], tuple[float, ...]]
    tri: dict[tuple[str, str, str], tuple[float, ...]]

    def d(self, attrs: Sequence[str]) -> float:
        """Sum of (I-W weight − B-W weight) of ``attrs``."""
        out = 0.0
        for a in attrs:
            out += self.weights.get(a, 0.0)
        return out


def _cqdb(data: bytes, off: int) -> list[str]:
    """The strings of a CQDB chunk (CRFsuite's label and attribute tables), by id."""
    cid, _size, _flag, _order, n, bwd = struct.unpack_from("<4sIIIII", data, off)
    if cid != b"CQDB":
        raise ValueError("not a CQDB chunk")
    out: list[str] = []
    for k, (rec,) in enumerate(struct.iter_unpack("<I", data[off + bwd : off + bwd + 4 * n])):
        rid, ksize = struct.unpack_from("<II", data, off + rec)
        if rid != k:
            raise ValueError("CQDB ids out of order")
        out.append(data[off + rec + 8 : off + rec + 7 + ksize].decode("utf-8"))
    return out


def _read_crfsuite(path: Path) -> tuple[dict[str, float], tuple[float, float, float, float]]:
    """State weights (attribute → I-W weight minus B-W weight) and transitions (B→B, B→I, I→B,
    I→I) of a two-label CRFsuite model file."""
    data = path.read_bytes()
    magic, _size, kind, _ver, _nf, n_labels, _na, off_f, off_l, off_a = struct.unpack_from(
        "<4sI4sIIIIIII", data, 0
    )
    if magic != b"lCRF" or kind != b"FOMC" or n_labels != 2:
        raise ValueError("not a two-label CRFsuite model")
    labels = _cqdb(data, off_l)
    attrs = _cqdb(data, off_a)
    if sorted(labels) != ["B-W", "I-W"]:
        raise ValueError(f"unexpected labels {labels}")
    cid, _fsize, n = struct.unpack_from("<4sII", data, off_f)
    if cid != b"FEAT":
        raise ValueError("no feature chunk")
    b_id = labels.index("B-W")
    state: dict[str, list[float]] = {}
    trans = [0.0, 0.0, 0.0, 0.0]
    for kind_, src, dst, weight in struct.iter_unpack("<IIId", data[off_f + 12 : off_f + 12 + 20 * n]):
        col = 0 if dst == b_id else 1
        if kind_ == 0:
            state.setdefault(attrs[src], [0.0, 0.0])[col] = weight
        elif kind_ == 1:
            trans[(0 if src == b_id else 2) + col] = weight
        else:
            raise ValueError(f"unknown feature type {kind_}")
    weights = {a: v[1] - v[0] for a, v in state.items()}
    return weights, (trans[0], trans[1], trans[2], trans[3])


@functools.cache
def _underthesea() -> tuple[Any, Callable[[str], str], dict[str, str], Any]:
    """underthesea's regex tokenizer module, character normaliser, token map and CRF tagger."""
    from underthesea.pipeline import word_tokenize as wt
    from underthesea.pipeline.text_normalize.character_normalize import normalize_characters_in_text
    from underthesea.pipeline.text_normalize.text_normalizer import token_map
    from underthesea.pipeline.word_tokenize import regex_tokenize

    wt.word_tokenize("a")  # loads the CRF model
    return regex_tokenize, normalize_characters_in_text, token_map, wt.word_tokenize_model


@functools.cache
def _model() -> _Model | None:
    """The model as weight tables, or None when it is not the model this module knows."""
    try:
        import joblib
        from underthesea.pipeline import word_tokenize as wt

        base = Path(wt.__file__).parent / "models" / "ws_crf_vlsp2013_20230727"
        if list(joblib.load(base / "features.bin")) != _TEMPLATES:
            return None
        dictionary = frozenset(joblib.load(base / "dictionary.bin"))
        weights, trans = _read_crfsuite(base / "models.bin")
    except (ImportError, OSError, ValueError, struct.error, EOFError):
        return None
    model = _Model(weights, trans, dictionary, ((), (), ()), ((), (), ()), {}, {}, {}, {}, {})
    model.bos = _pad(model, "BOS")
    model.eos = _pad(model, "EOS")
    for key, word in ((True, "True"), (False, "False"), (None, "EOS")):
        model.title01[key] = model.d([f"T[0,1].istitle={word}"])
        model.title02[key] = model.d([f"T[0,2].istitle={word}"])
    return model


def _pad(m: _Model, v: str) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    """Scores of the BOS/EOS padding in each unigram, bigram and trigram slot."""
    uni = []
    for o in _OFFSETS:
        attrs = [f"T[{o}]={v}", f"T[{o}].lower={v}", f"T[{o}].istitle={v}", f"T[{o}].is_in_dict={v}"]
        if -1 <= o <= 1:
            attrs.append(f"T[{o}].isdigit={v}")
        uni.append(m.d(attrs))
    bi = [m.d([f"T[{a},{b}]={v}", f"T[{a},{b}].lower={v}", f"T[{a},{b}].is_in_dict={v}"]) for a, b in _BIGRAMS]
    tri = [m.d([f"T[{a},{b}]={v}", f"T[{a},{b}].is_in_dict={v}"]) for a, b in _TRIGRAMS]
    return tuple(uni), tuple(bi), tuple(tri)


def _unigram(m: _Model, t: str) -> tuple[Any, ...]:
    """(scores for slots -2..2, lower case, title flag) of one syllable."""
    low = t.lower()
    title = t[0].isupper() or not t[0].isalpha()
    digit = str(_INT.fullmatch(t) is not None and -(2**31) <= int(t) < 2**31)
    ts, ind = str(title), str(low in m.dictionary)
    out: list[Any] = []
    for o in _OFFSETS:
        attrs = [f"T[{o}]={t}", f"T[{o}].lower={low}", f"T[{o}].istitle={ts}", f"T[{o}].is_in_dict={ind}"]
        if -1 <= o <= 1:
            attrs.append(f"T[{o}].isdigit={digit}")
        out.append(m.d(attrs))
    out.append(low)
    out.append(title)
    return tuple(out)


def _tags(m: _Model, tokens: list[str]) -> list[bool]:
    """For each syllable: does it continue a word (I-W)?

    Scores are kept as I-W minus B-W: with two labels, Viterbi needs only the difference of the
    two paths' scores."""
    n = len(tokens)
    uni, bi, tri = m.uni, m.bi, m.tri
    if len(uni) + len(bi) + len(tri) > _CACHE_LIMIT:
        uni.clear()
        bi.clear()
        tri.clear()
    us = []
    for t in tokens:
        u = uni.get(t)
        if u is None:
            u = uni[t] = _unigram(m, t)
        us.append(u)
    bs = []
    for j in range(n - 1):
        key2 = (tokens[j], tokens[j + 1])
        b = bi.get(key2)
        if b is None:
            raw = f"{key2[0]} {key2[1]}"
            low = f"{us[j][5]} {us[j + 1][5]}"
            ind = str(low in m.dictionary)
            b = bi[key2] = tuple(
                m.d([f"T[{a},{z}]={raw}", f"T[{a},{z}].lower={low}", f"T[{a},{z}].is_in_dict={ind}"])
                for a, z in _BIGRAMS
            )
        bs.append(b)
    ts = []
    for j in range(n - 2):
        key3 = (tokens[j], tokens[j + 1], tokens[j + 2])
        c = tri.get(key3)
        if c is None:
            raw = f"{key3[0]} {key3[1]} {key3[2]}"
            ind = str(f"{us[j][5]} {us[j + 1][5]} {us[j + 2][5]}" in m.dictionary)
            c = tri[key3] = tuple(m.d([f"T[{a},{z}]={raw}", f"T[{a},{z}].is_in_dict={ind}"]) for a, z in _TRIGRAMS)
        ts.append(c)
    ub, bb, tb = m.bos
    ue, be, te = m.eos
    U = [ub, ub, *us, ue, ue]
    B = [bb, bb, *bs, be, be]
    T = [tb, tb, *ts, te, te]
    t01, t02 = m.title01, m.title02
    tr_bb, tr_bi, tr_ib, tr_ii = m.trans
    to_b, to_i = tr_bb - tr_ib, tr_bi - tr_ii  # a path from I-W wins when the gap exceeds these
    back: list[tuple[bool, bool]] = []
    gap = 0.0  # score of the best path ending in I-W minus that of the best ending in B-W
    for i in range(n):
        u2, u3 = U[i + 2], U[i + 3]
        title = u2[6]
        x01 = t01[title and u3[6]] if i + 1 < n else t01[None]
        x02 = t02[title and u3[6] and U[i + 4][6]] if i + 2 < n else t02[None]
        delta = (
            U[i][0] + U[i + 1][1] + u2[2] + u3[3] + U[i + 4][4] + B[i][0] + B[i + 1][1] + B[i + 2][2]
            + B[i + 3][3] + T[i][0] + T[i + 1][1] + T[i + 2][2] + x01 + x02
        )  # fmt: skip
        if i == 0:
            gap = delta
            continue
        # Viterbi over B-W/I-W; on a tie the first label (B-W) wins, as in CRFsuite
        from_b, from_i = gap > to_b, gap > to_i
        gap = (gap + tr_ii if from_i else tr_bi) - (gap + tr_ib if from_b else tr_bb) + delta
        back.append((from_b, from_i))
    label = gap > 0
    out = [False] * n
    for i in range(n - 1, 0, -1):
        out[i] = label
        label = back[i - 1][1] if label else back[i - 1][0]
    out[0] = label
    return out


def word_spans(text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    """underthesea ``word_tokenize(text)`` as (start, end, word); offsets are into the text that
    ``text`` was cut from, where it starts at ``offset``."""
    regex_tokenize, normalize, token_map, tagger = _underthesea()
    norm = normalize(text)
    if len(norm) != len(text):  # pragma: no cover - normalisation changed the length
        return _aligned(text, offset)
    spans, tokens = _syllables(norm, regex_tokenize.patterns, token_map)
    if not spans:
        return []
    model = _model()
    if model is not None and _UNSURE.search(norm) is None:
        inside = _tags(model, tokens)
    else:
        inside = [tag == "I-W" for tag in tagger.predict([[t] for t in tokens])]
    out: list[tuple[int, int, str]] = []
    for cont, (a, b), t in zip(inside, spans, tokens, strict=True):
        if cont and out:
            s, _, w = out[-1]
            out[-1] = (s, b + offset, f"{w} {t}")
        else:
            out.append((a + offset, b + offset, t))
    return [x for x in out if x[2].strip()]


_CHUNK = re.compile(r"\S+")
_chunk_cache: dict[str, tuple[tuple[int, int, str], ...]] = {}


def _syllables(
    norm: str, patterns: re.Pattern[str], token_map: dict[str, str]
) -> tuple[list[tuple[int, int]], list[str]]:
    """underthesea's regex tokens of ``norm`` (spans, normalised tokens).

    No token pattern matches a space, and at a run of non-spaces each pattern sees the same
    context as in the whole text when the run is read with one space after it (``$`` never
    matches there; the last run is read alone). So the runs, mostly words seen before, are
    looked up in a cache instead of scanned."""
    if norm[-1:].isspace():  # a trailing newline would let ``$`` match before it: read it whole
        found = [m.span() for m in patterns.finditer(norm)]
        return found, [token_map.get(t, t) if len(t) <= 6 else t for t in (norm[a:b] for a, b in found)]
    if len(_chunk_cache) > _CACHE_LIMIT:
        _chunk_cache.clear()
    spans: list[tuple[int, int]] = []
    tokens: list[str] = []
    end = len(norm)
    for m in _CHUNK.finditer(norm):
        key = m.group() if m.end() == end else m.group() + " "
        got = _chunk_cache.get(key)
        if got is None:
            got = tuple(
                (x.start(), x.end(), token_map.get(x.group(), x.group()) if len(x.group()) <= 6 else x.group())
                for x in patterns.finditer(key)
            )
            _chunk_cache[key] = got
        a = m.start()
        for s, e, t in got:
            spans.append((a + s, a + e))
            tokens.append(t)
    return spans, tokens


def word_tokenize(text: str) -> list[str]:
    """The words of ``text``, as underthesea's ``word_tokenize(text)``."""
    return [w for _, _, w in word_spans(text)]


def _aligned(text: str, offset: int) -> list[tuple[int, int, str]]:  # pragma: no cover
    """underthesea's ``word_tokenize`` words, their offsets found by searching their syllables."""
    from underthesea import word_tokenize as segment

    out: list[tuple[int, int, str]] = []
    pos = 0
    for t in segment(text):
        if not t.strip():
            continue
        syl = t.split()
        a = text.find(syl[0], pos)
        a = pos if a < 0 else a
        b = text.find(syl[-1], a)
        b = a + len(t) if b < 0 else b + len(syl[-1])
        out.append((a + offset, b + offset, t))
        pos = b
    return out
