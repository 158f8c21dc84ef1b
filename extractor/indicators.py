"""Indicator phrase of each claim: the short phrase naming what a figure measures.

One engine; the words live in ``lang/<code>/indicators.toml``. Vietnamese text is cut into words
with underthesea's ``word_tokenize`` (only the clause before or after a figure, cached), so that
``tăng`` (a verb to strip) is not confused with ``tăng trưởng`` (part of the phrase). English uses
a plain regex tokenizer.

For each claim:

* the *window* is the text between the previous figure of the sentence (or the sentence start)
  and the figure; period expressions (:mod:`extractor.periods`) are blanked out, the window is cut
  at ``;`` ``:`` and an unclosed ``(``, and comma pieces that are adverbials (``Theo …``,
  ``Lũy kế sáu tháng``) are dropped;
* in the last piece, trailing verbs and qualifiers (``đạt gần``) are stripped and the phrase is
  what follows the last clause verb (``Vissan đề xuất điều chỉnh`` | ``giá bán thịt heo``);
  ``X có tổng vốn đầu tư <fig>`` gives ``tổng vốn đầu tư X``;
* a count is named by its noun and what follows it (``172 nhà đại đoàn kết``); a share without a
  rate noun by the population after it (``37% học sinh … thừa cân``);
* an empty phrase (``, tăng 9,17%``) is inherited from the figure before (the level a change
  qualifies), or taken from the subject of the piece before (``dịch vụ lữ hành có …, tăng 73%``);
* items after ``Trong đó`` get the head of their parent (``GRDP khu vực dịch vụ``); an attainment
  names its plan when the plan is specific (``… so với kế hoạch tỉnh giao``); a unit price starts
  with ``giá``/``price``.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from extractor.lang import load_toml
from extractor.periods import find_cues, sentence_index, sentence_table, updated
from extractor.records import Claim

__all__ = ["IndicatorInfo", "analyse_indicators", "assign_indicators", "tokenize"]

_COUNT_UNITS = frozenset({"count", "person", "household"})
_MONEY = frozenset({"VND", "USD", "EUR", "CNY", "JPY"})
_EN_TOKEN = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’.\-]*[\p{L}\p{N}]|[\p{L}\p{N}]|[^\s\p{L}\p{N}]")
_PUNCT_TOKEN = regex.compile(r"^[^\p{L}\p{N}]+$")
_QUOTES = regex.compile(r"[\"“”‘’'«»]")
_SPACES = regex.compile(r"\s+")
_ACRONYM = regex.compile(r"\(\s*(\p{Lu}[\p{Lu}\d]{1,9})\s*\)")
_DIGITS = regex.compile(r"[\d.,/%\-–]+")
_NOT_NEWLINE = regex.compile(r"[^\n]")


@dataclass(frozen=True, slots=True)
class IndicatorInfo:
    """The indicator phrase (``label``) and the phrase a following change may inherit (``root``)."""

    label: str | None
    root: str | None


@dataclass(frozen=True)
class _Words:
    code: str
    tail: frozenset[tuple[str, ...]]
    lead: frozenset[tuple[str, ...]]
    adverbial: frozenset[tuple[str, ...]]
    clause_verbs: frozenset[tuple[str, ...]]
    subordinators: frozenset[tuple[str, ...]]
    measures: frozenset[tuple[str, ...]]
    rates: frozenset[tuple[str, ...]]
    totals: frozenset[str]
    plans: frozenset[tuple[str, ...]]
    compare: frozenset[tuple[str, ...]]
    compare_word: str
    right_stop: frozenset[tuple[str, ...]]
    anaphora: frozenset[tuple[str, ...]]
    place_preps: frozenset[tuple[str, ...]]
    conjunctions: frozenset[tuple[str, ...]]
    share_right_stop: frozenset[tuple[str, ...]]
    copulas: frozenset[tuple[str, ...]]
    right_preps: frozenset[tuple[str, ...]]
    transparent_nouns: frozenset[str]
    possessive: str
    person_noun: str
    household_noun: str
    price_word: str
    nominal: dict[str, str]
    dimensions: dict[str, str]
    unit_dimension: dict[str, str]
    maxlen: int


def _phrases(words: Sequence[str], code: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(w.lower().split()) for w in words if w.strip())


@functools.cache
def _words(code: str) -> _Words:
    data = load_toml(code, "indicators") or load_toml("en", "indicators")
    code = code if load_toml(code, "indicators") else "en"
    cat = load_catalogue()
    aliases = [a for entry in cat for a in entry.get(code, [])]
    sets = {
        k: _phrases(data.get(k, []) + (aliases if k == "measures" else []), code)
        for k in (
            "tail", "lead", "adverbial", "clause_verbs", "subordinators", "measures", "rates", "plans",
            "compare", "right_stop", "anaphora", "place_preps", "conjunctions", "share_right_stop",
            "copulas", "right_preps",
        )
    }
    maxlen = max((len(p) for s in sets.values() for p in s), default=1)
    return _Words(
        code=code,
        totals=frozenset(w.lower() for w in data.get("totals", [])),
        transparent_nouns=frozenset(w.lower() for w in data.get("transparent_nouns", [])),
        compare_word=data.get("compare_word", "so với"),
        possessive=data.get("possessive", "của").lower(),
        person_noun=data.get("person_noun", "người"),
        household_noun=data.get("household_noun", "hộ"),
        price_word=data.get("price_word", "giá"),
        nominal={k.lower(): v for k, v in data.get("nominal", {}).items()},
        dimensions={k.lower(): v for k, v in data.get("dimensions", {}).items()},
        unit_dimension=dict(data.get("unit_dimension", {})),
        maxlen=maxlen,
        **sets,  # type: ignore[arg-type]
    )


@functools.cache
def load_catalogue() -> tuple[dict, ...]:
    """Entries of ``lang/indicator_catalogue.toml`` (key, vi/en aliases)."""
    import tomllib
    from importlib import resources

    path = resources.files("extractor.lang").joinpath("indicator_catalogue.toml")
    if not path.is_file():
        return ()
    return tuple(tomllib.loads(path.read_text(encoding="utf-8")).get("indicator", []))


# --------------------------------------------------------------------------- tokens


@functools.lru_cache(maxsize=4096)
def tokenize(clause: str, lang: str) -> tuple[str, ...]:
    """Word tokens of a clause (underthesea for Vietnamese; cached per clause)."""
    clause = clause.strip()
    if not clause:
        return ()
    if lang == "vi":
        from underthesea import word_tokenize  # heavy: imported on first use

        return tuple(t for t in word_tokenize(clause) if t.strip())
    return tuple(_EN_TOKEN.findall(clause))


def _low(tokens: Sequence[str]) -> list[str]:
    return [t.lower() for t in tokens]


def _match_at(low: Sequence[str], i: int, phrases: frozenset[tuple[str, ...]], maxlen: int) -> int:
    """Number of tokens from ``i`` forming a listed phrase (longest), else 0."""
    best = 0
    # a listed phrase may span several tokens, or sit inside one compound token
    for k in range(1, min(maxlen, len(low) - i) + 1):
        seq = tuple(" ".join(low[i : i + k]).split())
        if seq in phrases:
            best = k
    return best


def _match_end(low: Sequence[str], j: int, phrases: frozenset[tuple[str, ...]], maxlen: int) -> int:
    """Number of tokens ending at ``j`` (exclusive) forming a listed phrase (longest), else 0."""
    best = 0
    for k in range(1, min(maxlen, j) + 1):
        seq = tuple(" ".join(low[j - k : j]).split())
        if seq in phrases:
            best = k
    return best


def _join(tokens: Sequence[str], lang: str) -> str:
    out = ""
    for t in tokens:
        if not out:
            out = t
        elif t in ",.;:)%" or out.endswith("("):
            out += t
        else:
            out += " " + t
    return out.strip(" ,;:-–")


def _clean(tokens: Sequence[str]) -> list[str]:
    toks = [t for t in tokens if not _QUOTES.fullmatch(t)]
    # drop unbalanced brackets and punctuation at the ends
    while toks and (_PUNCT_TOKEN.match(toks[0]) and toks[0] != "("):
        toks.pop(0)
    while toks and _PUNCT_TOKEN.match(toks[-1]) and toks[-1] != ")":
        toks.pop()
    if toks and toks[-1] == ")" and "(" not in toks:
        toks.pop()
    if toks and toks[0] == "(" and ")" not in toks:
        toks.pop(0)
    return toks


def _strip(tokens: list[str], w: _Words, *, tail: bool = True, lead: bool = True) -> list[str]:
    toks = _clean(tokens)
    changed = True
    while toks and changed:
        changed = False
        low = _low(toks)
        if tail:
            k = _match_end(low, len(low), w.tail, w.maxlen)
            if k and k < len(toks) + 1:
                toks = _clean(toks[: len(toks) - k])
                changed = True
                continue
        if lead:
            k = _match_at(low, 0, w.lead, w.maxlen)
            if k:
                toks = _clean(toks[k:])
                changed = True
    return toks


def _chunks(tokens: list[str], w: _Words, *, stops: frozenset[tuple[str, ...]]) -> list[tuple[str, list[str]]]:
    """Split tokens at clause verbs / subordinators: [(verb before, chunk tokens)]."""
    low = _low(tokens)
    out: list[tuple[str, list[str]]] = [("", [])]
    i = 0
    while i < len(tokens):
        k = _match_at(low, i, stops, w.maxlen)
        if k and not (i > 0 and low[i - 1] in w.totals):
            out.append((" ".join(low[i : i + k]), []))
            i += k
            continue
        out[-1][1].append(tokens[i])
        i += 1
    return out


# --------------------------------------------------------------------------- phrases


def _pieces(window: str) -> list[str]:
    """Comma pieces of a window (commas inside brackets kept)."""
    pieces, depth, cur = [], 0, []
    for ch in window:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0:
            pieces.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    pieces.append("".join(cur))
    return pieces


def _is_adverbial(piece: str, lang: str, w: _Words) -> bool:
    toks = _clean(list(tokenize(piece, lang)))
    if not toks:
        return True
    low = _low(toks)
    k = _match_at(low, 0, w.lead, w.maxlen)
    if k and k < len(low) and _match_at(low, k, w.adverbial, w.maxlen):
        return True
    return bool(_match_at(low, 0, w.adverbial, w.maxlen))


def _has_verb(piece: str, lang: str, w: _Words) -> bool:
    low = _low(tokenize(piece, lang))
    stops = w.clause_verbs | w.subordinators
    return any(_match_at(low, i, stops, w.maxlen) for i in range(len(low)))


def _window(text: str, start: int, end: int) -> str:
    """Cut the window at ';', ':' and an unclosed '(' before the figure."""
    seg = text[start:end]
    cut = max(seg.rfind(";"), seg.rfind(":"), seg.rfind("\n"))
    lp = seg.rfind("(")
    if lp > seg.rfind(")"):
        cut = max(cut, lp)
    return seg[cut + 1 :]


@dataclass
class _Phrase:
    tokens: list[str]
    obj_verb: str = ""  # the clause verb right before the figure when the figure is its object
    subject: list[str] | None = None


def _all_names(piece: str, lang: str) -> bool:
    """A piece that is only a name (``Đắk Lắk``) in a list of places."""
    toks = [t for t in tokenize(piece, lang) if not _PUNCT_TOKEN.match(t)]
    return bool(toks) and all(t[:1].isupper() for t in toks) and len(toks) <= 3


def _drop_place(tokens: list[str], w: _Words) -> list[str]:
    """``tại Đồng bằng sông Cửu Long sụt lún đất`` → ``sụt lún đất``."""
    low = _low(tokens)
    k = _match_at(low, 0, w.place_preps, w.maxlen)
    if not k:
        return tokens
    j = k
    while j < len(tokens) and any(ch.isupper() for ch in tokens[j]):
        j += 1
    return tokens[j:] if j > k and j < len(tokens) else tokens


def _own_phrase(pieces: list[str], lang: str, w: _Words) -> tuple[_Phrase | None, list[str]]:
    """The phrase of the last piece (merged with plain noun pieces before it); leftover pieces."""
    pieces = list(pieces)
    while pieces and not pieces[-1].strip():
        pieces.pop()
    own = pieces.pop() if pieces else ""
    # "…, tính đến nay mới đạt": an adverbial piece with nothing else gives way to the one before
    while pieces and _is_adverbial(own, lang, w) and not _strip(_drop_place(list(tokenize(own, lang)), w), w):
        own = pieces.pop()
    while (
        pieces
        and not _is_adverbial(pieces[-1], lang, w)
        and not _has_verb(pieces[-1], lang, w)
        and not _all_names(pieces[-1], lang)
    ):
        own = pieces.pop() + "," + own
    raw = _clean(list(tokenize(own, lang)))
    low = _low(raw)
    k = _match_at(low, 0, w.lead, w.maxlen)
    if (
        _match_at(low, k, w.adverbial, w.maxlen)
        and not _match_at(low, k, w.place_preps, w.maxlen)
        and not _has_verb(" ".join(raw[k + 1 :]), lang, w)
    ):
        return None, pieces
    toks = _strip(_drop_place(_strip(raw, w, tail=False), w), w, tail=False)
    stops = w.clause_verbs | w.subordinators
    # trailing verbs before the figure: "Hải Phòng sẽ khởi công [5 dự án]" → object of "khởi công"
    obj_verb = ""
    chunks = _chunks(toks, w, stops=stops)
    if chunks and not _strip(chunks[-1][1], w) and chunks[-1][0]:
        if tuple(chunks[-1][0].split()) not in w.copulas:
            obj_verb = chunks[-1][0]
    toks = _strip(toks, w)
    if not toks:
        return (_Phrase([], obj_verb=obj_verb) if obj_verb else None), pieces
    chunks = _chunks(toks, w, stops=stops)
    nonempty = [(v, _strip(c, w)) for v, c in chunks]
    nonempty = [(v, c) for v, c in nonempty if c]
    if not nonempty:
        return (_Phrase([], obj_verb=obj_verb) if obj_verb else None), pieces
    subject = nonempty[0][1]
    _verb, last = nonempty[-1]
    # "X có tổng vốn đầu tư <fig>", "X chiếm tỷ trọng <fig>" → "tổng vốn đầu tư X"
    if len(nonempty) > 1 and _match_at(_low(last), 0, w.measures, w.maxlen) == len(last):
        return _Phrase(last + nonempty[-2][1], obj_verb=obj_verb, subject=subject), pieces
    # "tỷ lệ cử tri … tham gia bầu cử": a measure noun heads the phrase across its verbs
    for _idx, (_, c) in enumerate(nonempty[:-1]):
        if _match_at(_low(c), 0, w.rates, w.maxlen):
            start = chunks.index(next(ch for ch in chunks if _strip(ch[1], w) == c))
            merged: list[str] = []
            for v, ch in chunks[start:]:
                if v:
                    merged.extend(v.split())
                merged.extend(ch)
            return _Phrase(_strip(merged, w), obj_verb=obj_verb, subject=subject), pieces
    if obj_verb:
        return _Phrase([], obj_verb=obj_verb, subject=subject or last), pieces
    return _Phrase(last, subject=subject), pieces


def _subject_phrase(piece: str, lang: str, w: _Words) -> list[str]:
    """The subject of a piece: the words before its first verb or predicate marker."""
    toks = _strip(list(tokenize(piece, lang)), w, tail=False)
    chunks = _chunks(toks, w, stops=w.clause_verbs | w.subordinators)
    for _, c in chunks:
        c = _strip(c, w)
        if c:
            return c
    return []


def _right_phrase(
    text: str, c: Claim, next_start: int, s_end: int, lang: str, w: _Words, *, count: bool, share: bool = False
) -> list[str]:
    """Words after the figure up to punctuation (and, for non-counts, the next figure)."""
    pos = c.end
    # skip a bracket that holds a figure: "101.000 (hơn 20%) học sinh"
    m = regex.match(r"\s*\([^()]*\)", text[pos:s_end])
    if m and any(ch.isdigit() for ch in m.group()):
        pos += m.end()
    end = s_end if count else min(s_end, next_start if next_start > pos else s_end)
    seg = text[pos:end]
    m = regex.search(r"[,;:.!?()\[\]\n“”\"]", seg)
    if m:
        seg = seg[: m.start()]
    toks = [t for t in tokenize(seg, lang) if t.strip()]
    low = _low(toks)
    stops = w.share_right_stop if share else w.right_stop
    lead_prep = not count and bool(_match_at(low, 0, w.right_preps, w.maxlen))
    for i in range(len(toks)):
        if (i or not lead_prep) and _match_at(low, i, stops, w.maxlen):
            toks = toks[:i]
            break
    return _strip(toks, w, lead=False)


def _compare_phrase(
    text: str, c: Claim, s_end: int, lang: str, w: _Words, cue_spans: list[tuple[int, int]], *, multiple: bool = False
) -> list[str]:
    """``so với kế hoạch`` after a change: the comparison (not a period) it is made against."""
    seg = text[c.end : s_end]
    m = regex.search(r"[,;:.!?()\[\]\n]", seg)
    seg = seg[: m.start()] if m else seg
    toks = list(tokenize(seg, lang))
    low = _low(toks)
    for i in range(min(len(toks), 4)):
        k = _match_at(low, i, w.compare, w.maxlen)
        if k:
            rest = _strip(toks[i + k :], w, tail=False)
            rest_text = " ".join(rest)
            if not rest or _masked_fraction(text, c.end, s_end, rest_text, cue_spans) > 0.5:
                return []
            rest = [t for t in rest if not _DIGITS.fullmatch(t)]
            while rest and rest[-1].lower() in ("ngày", "on"):
                rest.pop()
            return [w.compare_word, *rest] if rest else []
    if multiple and toks:
        # "gấp 10 lần nước biển dâng": what the figure is a multiple of
        rest = _strip(toks, w)
        if rest and _masked_fraction(text, c.end, s_end, " ".join(rest), cue_spans) <= 0.5:
            return [w.compare_word, *rest]
    return []


def _masked_fraction(text: str, a: int, b: int, phrase: str, spans: list[tuple[int, int]]) -> float:
    pos = text.find(phrase.split(" ")[0], a, b) if phrase else -1
    if pos < 0:
        return 0.0
    stop = pos + len(phrase)
    covered = 0
    # spans are disjoint and sorted, so by their ends too: start at the first ending after pos
    for k in range(bisect.bisect_right(spans, pos, key=lambda sp: sp[1]), len(spans)):
        s, e = spans[k]
        if s >= stop:
            break
        covered += max(0, min(e, stop) - max(s, pos))
    return covered / max(1, len(phrase))


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the characters of ``spans`` (sorted, disjoint) turned into spaces, line
    breaks kept; built from slices, so memory stays a small multiple of the text."""
    out: list[str] = []
    pos = 0
    for s, e in sorted(spans):
        s = max(s, pos)
        if e <= s:
            continue
        out.append(text[pos:s])
        out.append(_NOT_NEWLINE.sub(" ", text[s:e]))
        pos = e
    out.append(text[pos:])
    return "".join(out)


def _head_of(root: str, lang: str, w: _Words) -> list[str]:
    """Head of a parent phrase for its parts: its acronym, its measure, or itself minus 'total'."""
    m = _ACRONYM.search(root)
    if m:
        return [m.group(1)]
    toks = [t for t in tokenize(root, lang) if t.lower() not in w.totals]
    low = _low(toks)
    k = _match_at(low, 0, w.measures, w.maxlen)
    return toks[:k] if k else toks


def _tokens_contain(tokens: Sequence[str], sub: Sequence[str]) -> bool:
    low = " " + " ".join(_low(tokens)) + " "
    return " " + " ".join(_low(sub)) + " " in low


def _drop_possessive(tokens: list[str], w: _Words) -> list[str]:
    """``tỷ lệ hộ nghèo của huyện`` → ``tỷ lệ hộ nghèo``; ``của <Name>`` loses only ``của``."""
    low = _low(tokens)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if low[i] == w.possessive:
            k = _match_at(low, i + 1, w.anaphora, w.maxlen)
            if k and (i + 1 + k == len(tokens) or not tokens[i + 1 + k][:1].isupper()):
                i += 1 + k
                continue
            if i + 1 < len(tokens):
                i += 1
                continue
        out.append(tokens[i])
        i += 1
    return out


def _transparent(c: Claim, w: _Words) -> bool:
    """Durations and ages do not interrupt a phrase (``trẻ dưới 5 tuổi của TP HCM``)."""
    if c.unit in ("year", "month", "day", "hour"):
        return True
    return (c.noun or "").lower() in w.transparent_nouns


def _window_start(text: str, s_start: int, prev: Claim | None, c: Claim, w: _Words, lang: str) -> int:
    """Where the phrase of ``c`` may start: after the previous figure's own tail."""
    if prev is None:
        return s_start
    start = max(s_start, prev.end)
    seg = text[start : c.start]
    comma = seg.find(",")
    if comma >= 0:
        return start + comma + 1  # "8.100 tỉ đồng[, tăng]": the piece after a figure is its tail
    toks = list(tokenize(seg, lang))
    low = _low(toks)
    for i in range(len(toks) - 1, -1, -1):
        if _match_at(low, i, w.conjunctions, w.maxlen):
            # "… từ trái phiếu Chính phủ và [768,5 tỉ đồng]": start after the conjunction
            word = toks[i]
            pos = seg.rfind(word)
            return start + pos + len(word) if pos >= 0 else start
    return start


def _sentence_parent(
    text: str, s_start: int, c: Claim, done: list[int], claims: Sequence[Claim], done_starts: list[int]
) -> int | None:
    """Index of the total listed before ``trong đó`` / ``of which`` in this sentence, if any.

    ``done`` are the claims analysed so far, in text order; ``done_starts`` their start offsets."""
    seg = text[s_start : c.start].lower()
    pos = max(seg.rfind("trong đó"), seg.rfind("of which"), seg.rfind("in which"))
    if pos < 0:
        return None
    cut = s_start + pos
    j = bisect.bisect_left(done_starts, cut) - 1  # only claims starting before the cut can end by it
    while j >= 0 and done_starts[j] >= s_start:
        if claims[done[j]].end <= cut:
            return done[j]
        j -= 1
    return None


def analyse_indicators(text: str, claims: Sequence[Claim], *, lang: str) -> list[IndicatorInfo]:
    """Indicator phrase (and inheritable root) of each claim, in the order given."""
    if not claims:
        return []
    w = _words(lang)
    lang_t = "vi" if lang == "vi" else "en"
    cues = find_cues(text, lang=lang, date=None, claims=claims)
    cue_spans = [(q.start, q.end) for q in cues if q.role not in ("label",)]
    blanked = _blank(text, cue_spans)
    rows = sentence_table(text, lang)
    order = sorted(range(len(claims)), key=lambda k: claims[k].start)
    # start of the next figure that interrupts a phrase (not a duration or age), per position
    next_starts = [len(text)] * len(order)
    nxt = len(text)
    for pos in range(len(order) - 1, -1, -1):
        next_starts[pos] = nxt
        if not _transparent(claims[order[pos]], w):
            nxt = claims[order[pos]].start
    infos: dict[int, IndicatorInfo] = {}
    prev_in_sentence: dict[int, int] = {}
    last_of_sentence: dict[int, int] = {}
    done: list[int] = []
    done_starts: list[int] = []
    for pos, i in enumerate(order):
        c = claims[i]
        si = sentence_index(rows, c.start)
        row = rows[si] if rows else None
        s_start = row.start if row else c.sentence_start
        s_end = max(row.end if row else c.sentence_end, c.end)
        prev = prev_in_sentence.get(si)
        next_start = next_starts[pos]
        prev_claim = claims[prev] if prev is not None else None
        prev_info = infos.get(prev) if prev is not None else None
        w_start = _window_start(blanked, s_start, prev_claim, c, w, lang_t)
        window = _window(blanked, w_start, c.start)
        in_paren = len(window) < c.start - w_start and blanked[w_start : c.start].rfind("(") > blanked[
            w_start : c.start
        ].rfind(")")
        own, rest = _own_phrase(_pieces(window), lang_t, w)
        own_toks = own.tokens if own is not None else []
        count = c.unit in _COUNT_UNITS
        label_toks: list[str] = []
        root_toks: list[str] | None = None

        if count:
            noun = _span_noun(c, w)
            right = _right_phrase(blanked, c, next_start, s_end, lang_t, w, count=True)
            if noun or right:
                label_toks = noun + right
                if not right and own is not None:
                    if own.obj_verb and not own_toks:
                        label_toks = noun + own.obj_verb.split()
                    elif own_toks and not _tokens_contain(own_toks, noun):
                        label_toks = noun + own_toks
                    elif own_toks:
                        label_toks = own_toks
            elif own_toks:
                label_toks = own_toks
            if not label_toks and own is not None and own.subject:
                label_toks = own.subject
            if not label_toks and prev_info is not None and prev_info.label and prev_claim is not None:
                if prev_claim.unit == c.unit:
                    label_toks = list(tokenize(prev_info.label, lang_t))  # "15.07 million and 13.34 million"
        else:
            rates_in_own = any(_match_at(_low(own_toks), k, w.rates, w.maxlen) for k in range(len(own_toks)))
            if c.kind == "share" and not rates_in_own:
                label_toks = _right_phrase(blanked, c, next_start, s_end, lang_t, w, count=False, share=True)
            if not label_toks and own_toks:
                label_toks = own_toks
                # "172 nhà …, trị giá 8,1 tỉ", "10 điểm … với doanh thu 12 tỉ": a measure of the count
                if (
                    prev_claim is not None
                    and prev_claim.unit in _COUNT_UNITS
                    and _match_at(_low(own_toks), 0, w.measures, w.maxlen) == len(own_toks)
                    and prev_info is not None
                    and prev_info.label
                ):
                    label_toks = own_toks + list(tokenize(prev_info.label, lang_t))
                    root_toks = label_toks
            if not label_toks:
                right = _right_phrase(blanked, c, next_start, s_end, lang_t, w, count=False)
                if right and c.kind == "level" and ((own is not None and own.obj_verb) or prev_info is None or _sentence_parent(blanked, s_start, c, done, claims, done_starts) is not None):
                    label_toks = right  # "mất khoảng 300ha đất", "700 tỉ đồng từ trái phiếu"
                elif right and c.kind == "change" and _match_at(_low(right), 0, w.rates | w.measures, w.maxlen):
                    label_toks = right  # "giảm 65% tỷ lệ tử vong"
            if not label_toks:
                fallback = [p for p in rest if p.strip() and not _is_adverbial(p, lang_t, w)]
                if in_paren and prev_info is None:
                    before = _pieces(_window(blanked, w_start, blanked.rfind("(", w_start, c.start)))
                    first = next((p for p in before if p.strip() and not _is_adverbial(p, lang_t, w)), None)
                    if first:
                        label_toks = _subject_phrase(first, lang_t, w)
                elif fallback:
                    label_toks = _subject_phrase(fallback[-1], lang_t, w)
                elif own is not None and own.subject and not prev_info:
                    label_toks = own.subject
            if not label_toks and prev_info is not None and prev_info.root:
                label_toks = list(tokenize(prev_info.root, lang_t))
                root_toks = label_toks
            if not label_toks:
                label_toks = _right_phrase(blanked, c, next_start, s_end, lang_t, w, count=False)
            if not label_toks:
                k = last_of_sentence.get(si - 1)
                if k is not None and infos[k].root:
                    label_toks = list(tokenize(infos[k].root, lang_t))  # type: ignore[arg-type]
                    root_toks = label_toks
            if lang_t == "en":
                label_toks, root_toks = _english(blanked, c, s_end, own, label_toks, root_toks, prev_info, w)

        label_toks = _drop_possessive(_clean(label_toks), w)
        if lang_t == "en":
            # "Vietnam's average coffee export price" → "average coffee export price"
            while len(label_toks) > 1 and regex.search(r"['’]s$", label_toks[0]) and not count:
                label_toks = label_toks[1:]
            label_toks = [t for k, t in enumerate(label_toks) if k == 0 or t.lower() not in ("the", "a", "an")]
        # parts after "Trong đó": the parent's head ("GRDP khu vực dịch vụ", "vốn … từ trái phiếu")
        parent_idx = _sentence_parent(blanked, s_start, c, done, claims, done_starts)
        parent = infos[parent_idx].root if parent_idx is not None else None
        if parent is None and blanked[s_start : s_start + 12].lower().startswith(("trong đó", "of which")):
            k = last_of_sentence.get(si - 1)
            parent = infos[k].root if k is not None else None
        if (parent and label_toks and parent_idx != prev) or (parent and label_toks and root_toks is None):
            head = _head_of(parent, lang_t, w)
            if head and not _tokens_contain(label_toks, head) and not _has_measure(label_toks, w):
                label_toks = head + label_toks
        if root_toks is None:
            root_toks = label_toks
            # sibling ellipsis: "giá cà phê Robusta hợp đồng giao tháng 5-2025 …; hợp đồng giao tháng 7-2025"
            if prev_info is not None and prev_info.root and label_toks and prev_claim is not None and not count:
                if prev_claim.unit == c.unit and prev_claim.kind == c.kind:
                    label_toks = _restore_ellipsis(list(tokenize(prev_info.root, lang_t)), label_toks, w)
                    root_toks = label_toks
        extra: list[str] = []
        if c.kind == "target":
            extra = _plan_phrase(blanked, c, s_end, lang_t, w)
        elif c.kind in ("change", "multiple"):
            extra = _compare_phrase(text, c, s_end, lang_t, w, cue_spans, multiple=c.kind == "multiple")
        if _is_price(c) and label_toks and not any(t.lower().startswith(w.price_word) for t in label_toks):
            label_toks = [w.price_word, *label_toks] if lang_t == "vi" else [*label_toks, w.price_word]
        label = _join(label_toks + extra, lang_t) or None
        root = _join(root_toks, lang_t) or None
        if root and _is_price(c) and lang_t == "vi" and not root.lower().startswith(w.price_word):
            root = f"{w.price_word} {root}"
        infos[i] = IndicatorInfo(label, root or label)
        done.append(i)
        done_starts.append(c.start)
        if not _transparent(c, w):
            prev_in_sentence[si] = i
            last_of_sentence[si] = i
    return [infos[i] for i in range(len(claims))]


def _window_has(window: str, words: tuple[str, ...]) -> bool:
    low = window.lower()
    return any(x in low for x in words)


def _has_measure(tokens: Sequence[str], w: _Words) -> bool:
    low = _low(tokens)
    return any(_match_at(low, k, w.measures, w.maxlen) for k in range(len(low)))


def _is_price(c: Claim) -> bool:
    return c.per is not None and c.unit in _MONEY


def _span_noun(c: Claim, w: _Words) -> list[str]:
    if c.noun:
        return list(tokenize(c.noun, "vi" if w.code == "vi" else "en"))
    words = regex.sub(r"[\d.,%/\-–]+", " ", c.text).split()
    words = [t for t in words if t.lower() not in ("triệu", "nghìn", "ngàn", "tỷ", "tỉ", "million", "billion", "thousand")]
    if words:
        return words
    return []


def _parent_root(
    blanked: str,
    s_start: int,
    c: Claim,
    si: int,
    prev_info: IndicatorInfo | None,
    last_of_sentence: dict[int, int],
    infos: dict[int, IndicatorInfo],
    window: str,
) -> str | None:
    """The phrase of the total whose parts this sentence lists after ``Trong đó`` / ``in which``."""
    low = window.lower()
    head = blanked[s_start : s_start + 12].lower()
    if "trong đó" in low and prev_info is not None:
        return prev_info.root
    if head.startswith("trong đó") or head.startswith("of which"):
        k = last_of_sentence.get(si - 1)
        if k is not None:
            return infos[k].root
    return None


def _restore_ellipsis(prev: list[str], cur: list[str], w: _Words) -> list[str]:
    if not prev or not cur or _tokens_contain(cur, prev[:1]):
        return cur
    low_prev = _low(prev)
    if _match_at(_low(cur), 0, w.measures, w.maxlen):
        return cur
    for t in _low(cur):
        if _PUNCT_TOKEN.match(t) or t in w.totals:
            continue
        if t in low_prev[1:]:
            j = low_prev.index(t, 1)
            return prev[:j] + cur
        break
    k = _match_at(low_prev, 0, w.measures, w.maxlen)
    if k:
        return prev[:k] + cur
    return cur


def _plan_phrase(text: str, c: Claim, s_end: int, lang: str, w: _Words) -> list[str]:
    """``đạt 51,8% dự toán HĐND tỉnh giao`` → ``so với dự toán HĐND tỉnh giao`` (specific plans only)."""
    seg = text[c.end : s_end]
    m = regex.search(r"[,;:.!?()\n]", seg)
    seg = seg[: m.start()] if m else seg
    toks = list(tokenize(seg, lang))
    low = _low(toks)
    k = _match_at(low, 0, w.plans, w.maxlen)
    if not k or len(toks) - k < 2:
        return []
    return [w.compare_word, *_strip(toks, w, lead=False)]


def _english(
    blanked: str,
    c: Claim,
    s_end: int,
    own: _Phrase | None,
    label: list[str],
    root: list[str] | None,
    prev_info: IndicatorInfo | None,
    w: _Words,
) -> tuple[list[str], list[str] | None]:
    """English word order: ``exported X of rice`` → ``rice exports``; ``up 4% in volume``."""
    after = blanked[c.end : s_end]
    m = regex.match(r"\s+of\s+((?:[\p{L}’'\-]+\s?){1,3})", after)
    verb = own.obj_verb if own is not None else ""
    if m and c.unit not in _COUNT_UNITS and c.kind == "level" and verb in w.nominal:
        noun = [t for t in m.group(1).split() if t.lower() not in ("the", "a", "an")]
        noun = noun[:1]
        base = [*noun, w.nominal[verb]]
        return base, base
    if c.kind in ("change", "multiple") and not (own and own.tokens):
        m = regex.match(r"\s+in\s+(\w+)", after)
        dim = w.dimensions.get(m.group(1).lower()) if m else None
        if dim is None and prev_info is not None and prev_info.root:
            if prev_info.root.split()[-1].lower() in set(w.nominal.values()):
                dim = w.unit_dimension.get(_prev_unit_guess(prev_info))
        if dim and prev_info is not None and prev_info.root:
            mod = prev_info.root.split()
            if mod[-1].lower().endswith("s") and mod[-1].lower() in set(w.nominal.values()):
                mod = [*mod[:-1], mod[-1][:-1]]
            out = [*mod, dim]
            return out, root
    if c.kind == "level" and own is not None and own.tokens and [t.lower() for t in own.tokens] == ["worth"]:
        if prev_info is not None and prev_info.root:
            mod = prev_info.root.split()
            if mod[-1].lower().endswith("s"):
                mod = [*mod[:-1], mod[-1][:-1]]
            return [*mod, "value"], prev_info.root.split()
    return label, root


def _prev_unit_guess(info: IndicatorInfo) -> str:
    return "tonne"


def assign_indicators(text: str, claims: list[Claim], *, lang: str) -> list[Claim]:
    """Return ``claims`` with ``indicator`` set to the phrase naming what is measured."""
    infos = analyse_indicators(text, claims, lang=lang)
    return [updated(c, indicator=info.label) for c, info in zip(claims, infos, strict=True)]
