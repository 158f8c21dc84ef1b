"""Indicator phrase of each claim: the short phrase naming what a figure measures.

One engine; the words live in ``lang/<code>/indicators.toml``. Vietnamese text is cut into words
with underthesea's word segmentation (:mod:`extractor.wordseg`), so that ``tăng`` (a verb to
strip) is not confused with ``tăng trưởng`` (part of the phrase): only the clauses the rules read
around a figure, each segmented once (:class:`_Tokens`), never the whole article. English uses a
plain regex tokenizer.

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
import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import regex

from extractor.lang import load_toml
from extractor.periods import find_cues, resolve_periods, sentence_index, sentence_table, updated
from extractor.records import Claim
from extractor.wordseg import word_spans

__all__ = ["IndicatorInfo", "analyse_indicators", "assign_indicators", "assign_periods_and_indicators", "tokenize"]

_COUNT_UNITS = frozenset({"count", "person", "household"})
_MONEY = frozenset({"VND", "USD", "EUR", "CNY", "JPY"})
_EN_TOKEN = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’.\-]*[\p{L}\p{N}]|[\p{L}\p{N}]|[^\s\p{L}\p{N}]")
# the same tokens in ASCII text, where \p{L}, \p{N} and \s are these classes: the standard
# library's engine finds them in less than half the time (most English spans are ASCII)
_EN_TOKEN_ASCII = re.compile(r"[A-Za-z0-9][A-Za-z0-9'.\-]*[A-Za-z0-9]|[A-Za-z0-9]|[^\t\n\x0b\x0c\r A-Za-z0-9]")
_PUNCT_TOKEN = regex.compile(r"^[^\p{L}\p{N}]+$")
_QUOTES = frozenset("\"“”‘’'«»")  # a token that is one of these is dropped
_SPACES = regex.compile(r"\s+")
_ACRONYM = regex.compile(r"\(\s*(\p{Lu}[\p{Lu}\d]{1,9})\s*\)")
_DIGITS = regex.compile(r"[\d.,/%\-–]+")
_NOT_NEWLINE = regex.compile(r"[^\n]")
_POSSESSIVE_S = regex.compile(r"['’]s$")
_FIGURE_CHARS = regex.compile(r"[\d.,%/\-–]+")
_OF_WORDS = regex.compile(r"\s+of\s+((?:[\p{L}’'\-]+\s?){1,3})")
_IN_WORD = regex.compile(r"\s+in\s+(\w+)")
_OF_LOWER_WORD = regex.compile(r"\s+of\s+(\p{Ll}[\p{Ll}\-]*)(?![\p{L}\d])")
# cue spans and roles do not depend on the article date, but a period without its year
# ("6 tháng đầu năm") is only read as one with some date: any date keeps it out of phrases
_ANY_DATE = dt.date(2000, 12, 31)


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
    population: frozenset[tuple[str, ...]]
    respectively: frozenset[tuple[str, ...]]
    count_heads: frozenset[tuple[str, ...]]
    value_words: frozenset[tuple[str, ...]]
    commodity_anaphora: frozenset[tuple[str, ...]]
    figure_anaphora: frozenset[tuple[str, ...]]
    of_heads: frozenset[str]
    premodifiers: frozenset[str]
    ranking: frozenset[tuple[str, ...]]
    market_prep: dict[str, str]
    containment: frozenset[tuple[str, ...]]
    auxiliaries: frozenset[tuple[str, ...]]
    predicate_stop: frozenset[tuple[str, ...]]
    pronouns: frozenset[str]
    with_words: frozenset[str]
    right_keep: frozenset[str]
    maxlen: int
    stops: frozenset[tuple[str, ...]]  # clause verbs and subordinators
    rates_measures: frozenset[tuple[str, ...]]
    respectively_text: tuple[str, ...]  # the "respectively" phrases as text
    function_words: frozenset[str]  # one-word lead and place phrases ("trong", "tại")


class _PhraseSet(frozenset):  # type: ignore[type-arg]
    """Listed phrases (tuples of lower-case words), with the words they start and end with, so
    that most token positions are rejected by one set lookup."""

    firsts: frozenset[str]
    lasts: frozenset[str]
    longest: int
    keys: tuple[str, ...]  # the longest word of each phrase (the rarest: see :func:`_may_hold`)
    sigma: bool  # a word holds a σ/ς (lower-cased by context: see :func:`_may_hold`)

    def __new__(cls, phrases: Iterable[tuple[str, ...]]) -> _PhraseSet:
        self = super().__new__(cls, phrases)
        self.firsts = frozenset(p[0] for p in self if p)
        self.lasts = frozenset(p[-1] for p in self if p)
        self.longest = max((len(p) for p in self), default=0)
        self.keys = tuple(sorted({max(p, key=len) for p in self if p}))
        self.sigma = any("σ" in x or "ς" in x for p in self for x in p)
        return self


def _may_hold(low_text: str, phrases: _PhraseSet) -> bool:
    """``low_text`` (a lower-cased span) may hold one of ``phrases`` as tokens: the longest word
    of one is in it (each word of a phrase found in tokens is in one of them; the longest is the
    rarest: ``home`` of ``is home to``, not ``is``). A token lower-cased alone is lower-cased the
    same in its text (only a final Σ depends on what follows it), so no phrase is missed; a
    plain substring test is much cheaper than tokenizing and lower-casing the span."""
    if phrases.sigma:
        return True
    for key in phrases.keys:
        if key in low_text:
            return True
    return False


def _phrases(words: Sequence[str], code: str) -> frozenset[tuple[str, ...]]:
    return _PhraseSet(tuple(w.lower().split()) for w in words if w.strip())


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
            "copulas", "right_preps", "population", "value_words", "commodity_anaphora", "figure_anaphora", "ranking",
            "containment", "auxiliaries", "predicate_stop", "respectively", "count_heads",
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
        of_heads=frozenset(w.lower() for w in data.get("of_heads", [])),
        premodifiers=frozenset(w.lower() for w in data.get("premodifiers", [])),
        market_prep={k.lower(): v for k, v in data.get("market_prep", {}).items()},
        pronouns=frozenset(w.lower() for w in data.get("pronouns", [])),
        with_words=frozenset(w.lower() for w in data.get("with_words", [])),
        right_keep=frozenset(w.lower() for w in data.get("right_keep", [])),
        maxlen=maxlen,
        stops=_PhraseSet(sets["clause_verbs"] | sets["subordinators"]),
        rates_measures=_PhraseSet(sets["rates"] | sets["measures"]),
        respectively_text=tuple(" ".join(p) for p in sets["respectively"]),
        function_words=frozenset(p[0] for p in sets["lead"] | sets["place_preps"] if len(p) == 1),
        **sets,  # type: ignore[arg-type]
    )


@functools.cache
def _catalogue_file() -> dict:
    """``lang/indicator_catalogue.toml`` (indicators and commodities), read once."""
    import tomllib
    from importlib import resources

    path = resources.files("extractor.lang").joinpath("indicator_catalogue.toml")
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def load_catalogue() -> tuple[dict, ...]:
    """Entries of ``lang/indicator_catalogue.toml`` (key, vi/en aliases)."""
    return tuple(_catalogue_file().get("indicator", []))


# --------------------------------------------------------------------------- tokens


@functools.lru_cache(maxsize=4096)
def tokenize(clause: str, lang: str) -> tuple[str, ...]:
    """Word tokens of a clause (underthesea for Vietnamese; cached per clause)."""
    clause = clause.strip()
    if not clause:
        return ()
    if lang == "vi":
        return tuple(w for _, _, w in word_spans(clause))
    return tuple(_en_tokens(clause))


def _en_tokens(chunk: str) -> list[str]:
    """English tokens of ``chunk`` (:data:`_EN_TOKEN`; by its ASCII twin when it is ASCII)."""
    return (_EN_TOKEN_ASCII if chunk.isascii() else _EN_TOKEN).findall(chunk)


_SEPARATORS = ",;:()[]\n"
_SEPARATOR_RE = regex.compile(r"[,;:()\[\]\n]")


class _Tokens:
    """Word tokens of spans of one text (the blanked article, or the article itself).

    Vietnamese is segmented once per *atom*: a run of the text between clause marks
    (``, ; : ( ) [ ]`` and line breaks), sentence bounds and figures (claim bounds), segmented
    only when a rule first asks for a span in it. A span's tokens are the tokens of the atoms it
    covers, clipped to the span, with each clause mark a token of its own; so the text around
    the figures is segmented once, and the rest of the article never. English tokens are the
    regex tokens of the span."""

    def __init__(self, text: str, lang: str, rows: Sequence[Any], claims: Sequence[Claim]) -> None:
        self.text = text
        self.vi = lang == "vi"
        # the atom bounds (sentences, figures) are only read to segment Vietnamese
        self.starts: list[int] = list(getattr(rows, "starts", None) or [r.start for r in rows]) if self.vi else []
        self.ends: list[int] = [r.end for r in rows] if self.vi else []
        self.claim_cuts = sorted({x for c in claims for x in (c.start, c.end)}) if self.vi else []
        self._cuts: dict[int, list[int]] = {}
        self._atoms: dict[int, list[tuple[int, int, str]]] = {}
        self._memo: dict[tuple[int, int], tuple[str, ...]] = {}
        self.adverbial: dict[tuple[int, int], bool] = {}  # piece → :func:`_is_adverbial`

    def forget(self) -> None:
        """Drop what was segmented so far (the rules read one sentence at a time)."""
        self._cuts.clear()
        self._atoms.clear()
        self._memo.clear()
        self.adverbial.clear()

    def words(self, a: int, b: int) -> tuple[str, ...]:
        """Tokens of ``text[a:b]`` (as :func:`tokenize` of that clause, read in its context)."""
        key = (a, b)
        got = self._memo.get(key)
        if got is None:
            if b <= a:
                got = ()
            elif self.vi:
                got = self._vi(a, b)
            else:
                got = tuple(_en_tokens(self.text[a:b]))
            self._memo[key] = got
        return got

    def span_text(self, span: tuple[int, int]) -> str:
        return self.text[span[0] : span[1]]

    def _block_cuts(self, pos: int) -> list[int]:
        """Atom bounds of the block (a sentence and the spaces after it) holding ``pos``."""
        k = bisect.bisect_right(self.starts, pos) - 1
        cuts = self._cuts.get(k)
        if cuts is None:
            lo = self.starts[k] if k >= 0 else 0
            hi = self.starts[k + 1] if k + 1 < len(self.starts) else len(self.text)
            found = {lo, hi}
            if k >= 0 and lo < self.ends[k] < hi:
                found.add(self.ends[k])
            i = bisect.bisect_right(self.claim_cuts, lo)
            while i < len(self.claim_cuts) and self.claim_cuts[i] < hi:
                found.add(self.claim_cuts[i])
                i += 1
            for m in _SEPARATOR_RE.finditer(self.text, lo, hi):
                found.add(m.start())
                found.add(m.end())
            cuts = sorted(found)
            self._cuts[k] = cuts
        return cuts

    def _atom(self, lo: int, hi: int) -> list[tuple[int, int, str]]:
        got = self._atoms.get(lo)
        if got is None:
            chunk = self.text[lo:hi]
            lead = len(chunk) - len(chunk.lstrip())
            chunk = chunk.strip()
            got = word_spans(chunk, lo + lead) if chunk else []
            self._atoms[lo] = got
        return got

    def _vi(self, a: int, b: int) -> tuple[str, ...]:
        text = self.text
        out: list[str] = []
        pos = a
        colon_end = -1
        while pos < b:
            cuts = self._block_cuts(pos)
            j = bisect.bisect_right(cuts, pos) - 1
            lo, hi = cuts[j], cuts[j + 1]
            if hi - lo == 1 and text[lo] in _SEPARATORS:
                ch = text[lo]
                if ch == ":" and colon_end == lo and out:
                    out[-1] += ch  # "::" is one token
                elif ch != "\n":
                    out.append(ch)
                colon_end = hi if ch == ":" else -1
                pos = hi
                continue
            colon_end = -1
            for s, e, word in self._atom(lo, hi):
                if e <= a or s >= b:
                    continue
                if a <= s and e <= b:
                    out.append(word)
                else:
                    part = text[max(s, a) : min(e, b)].strip()
                    if part:
                        out.append(part)
            pos = hi
        return tuple(out)


def _low(tokens: Sequence[str]) -> list[str]:
    return [t.lower() for t in tokens]


def _match_at(low: Sequence[str], i: int, phrases: frozenset[tuple[str, ...]], maxlen: int) -> int:
    """Number of tokens from ``i`` forming a listed phrase (longest), else 0."""
    # a listed phrase may span several tokens, or sit inside one compound token
    n = min(maxlen, len(low) - i)
    if n <= 0:
        return 0
    longest = getattr(phrases, "longest", None)
    if longest is None:
        longest = max(map(len, phrases), default=0)
    elif not _may_start(low[i], phrases.firsts):  # type: ignore[attr-defined]
        return 0
    best = 0
    words: list[str] = []
    for k in range(1, n + 1):
        words += low[i + k - 1].split()
        if len(words) > longest:
            break
        if tuple(words) in phrases:
            best = k
    return best


def _match_end(low: Sequence[str], j: int, phrases: frozenset[tuple[str, ...]], maxlen: int) -> int:
    """Number of tokens ending at ``j`` (exclusive) forming a listed phrase (longest), else 0."""
    n = min(maxlen, j)
    if n <= 0:
        return 0
    longest = getattr(phrases, "longest", None)
    if longest is None:
        longest = max(map(len, phrases), default=0)
    elif not _may_end(low[j - 1], phrases.lasts):  # type: ignore[attr-defined]
        return 0
    best = 0
    words: list[str] = []
    for k in range(1, n + 1):
        words = low[j - k].split() + words
        if len(words) > longest:
            break
        if tuple(words) in phrases:
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


_punct_memo: dict[str, bool] = {}


def _is_punct(token: str) -> bool:
    """``token`` has no letter or digit (memoised: tokens recur)."""
    got = _punct_memo.get(token)
    if got is None:
        if len(_punct_memo) > 50_000:
            _punct_memo.clear()
        got = _punct_memo[token] = _PUNCT_TOKEN.match(token) is not None
    return got


def _clean(tokens: Sequence[str]) -> list[str]:
    """``tokens`` without quotes, and without punctuation or unbalanced brackets at the ends."""
    if tokens and _QUOTES.isdisjoint(tokens):
        # (most phrases) words at both ends and no quote: nothing to drop, no token tested twice
        first, last = tokens[0], tokens[-1]
        punct = _punct_memo.get(first)
        if not (_is_punct(first) if punct is None else punct):
            punct = _punct_memo.get(last)
            if not (_is_punct(last) if punct is None else punct):
                return list(tokens)
    toks = [t for t in tokens if t not in _QUOTES]
    # drop unbalanced brackets and punctuation at the ends
    while toks and (toks[0] != "(" and _is_punct(toks[0])):
        toks.pop(0)
    while toks and toks[-1] != ")" and _is_punct(toks[-1]):
        toks.pop()
    if toks and toks[-1] == ")" and "(" not in toks:
        toks.pop()
    if toks and toks[0] == "(" and ")" not in toks:
        toks.pop(0)
    return toks


def _may_start(token: str, firsts: frozenset[str]) -> bool:
    """``token`` (lower case) may begin a phrase whose first words are ``firsts`` (the one-lookup
    rejection of :func:`_match_at`, without building the lower-cased window)."""
    if token in firsts:
        return True  # a listed word holds no space: it is its own first word
    if token.isalnum():
        return False  # one word (no space is alphanumeric), not listed: no split needed
    head = token.split(None, 1)
    return not head or head[0] in firsts


def _may_end(token: str, lasts: frozenset[str]) -> bool:
    """``token`` (lower case) may end a phrase whose last words are ``lasts`` (see :func:`_match_end`)."""
    if token in lasts:
        return True
    if token.isalnum():
        return False
    tail = token.rsplit(None, 1)
    return not tail or tail[-1] in lasts


def _strip(tokens: list[str], w: _Words, *, tail: bool = True, lead: bool = True) -> list[str]:
    if not tokens:
        return []  # (a quarter of the calls: an empty piece or chunk)
    toks = _clean(tokens)
    m = w.maxlen  # a listed phrase spans at most this many tokens: only the ends are read
    tail_lasts, lead_firsts = w.tail.lasts, w.lead.firsts  # type: ignore[attr-defined]
    changed = True
    while toks and changed:
        changed = False
        # most ends are no listed word: one set lookup rejects them before any phrase is built
        if tail and _may_end(toks[-1].lower(), tail_lasts):
            low = _low(toks[-m:])
            k = _match_end(low, len(low), w.tail, m)
            # "a total area of": a longer measure noun ending here is the phrase, not a tail word
            if k and _match_end(low, len(low), w.measures, m) > k:
                k = 0
            if k and k < len(toks) + 1:
                toks = _clean(toks[: len(toks) - k])
                changed = True
                continue
        if lead and _may_start(toks[0].lower(), lead_firsts):
            k = _match_at(_low(toks[:m]), 0, w.lead, m)
            if k:
                toks = _clean(toks[k:])
                changed = True
    return toks


def _chunks(tokens: list[str], w: _Words, *, stops: frozenset[tuple[str, ...]]) -> list[tuple[str, list[str]]]:
    """Split tokens at clause verbs / subordinators: [(verb before, chunk tokens)]."""
    low = _low(tokens)
    out: list[tuple[str, list[str]]] = [("", [])]
    firsts = getattr(stops, "firsts", None)
    i = 0
    while i < len(tokens):
        t = low[i]
        if firsts is not None and t not in firsts and (t.isalnum() or not _may_start(t, firsts)):
            out[-1][1].append(tokens[i])  # no clause verb starts here (most tokens)
            i += 1
            continue
        k = _match_at(low, i, stops, w.maxlen)
        if k and i > 0 and (
            low[i - 1] in w.totals  # "tổng vốn": a total, not a verb
            or low[i - 1] in ("-", "–")  # "công nghiệp - xây dựng": a compound name
            or (w.code == "vi" and tokens[i][:1].isupper())  # "Quỹ Vì người nghèo": part of a name
        ):
            k = 0
        if k:
            out.append((" ".join(low[i : i + k]), []))
            i += k
            continue
        out[-1][1].append(tokens[i])
        i += 1
    return out


# --------------------------------------------------------------------------- phrases


_Span = tuple[int, int]
_PIECE_MARK = regex.compile(r"[,()]")


def _pieces(text: str, start: int, end: int) -> list[_Span]:
    """Comma pieces of ``text[start:end]`` as spans (commas inside brackets kept)."""
    pieces: list[_Span] = []
    depth, cur = 0, start
    for m in _PIECE_MARK.finditer(text, start, end):
        ch = m.group()
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            pieces.append((cur, m.start()))
            cur = m.end()
    pieces.append((cur, end))
    return pieces


def _blank_span(tk: _Tokens, span: _Span) -> bool:
    return not tk.text[span[0] : span[1]].strip()


def _is_adverbial(tk: _Tokens, piece: _Span, w: _Words) -> bool:
    """A comma piece that is an adverbial (``Theo …``, ``Lũy kế sáu tháng``), not a phrase; read
    once per piece (the rules ask again of the pieces before a figure)."""
    got = tk.adverbial.get(piece)
    if got is None:
        got = tk.adverbial[piece] = _read_adverbial(tk, piece, w)
    return got


def _read_adverbial(tk: _Tokens, piece: _Span, w: _Words) -> bool:
    toks = _clean(tk.words(*piece))
    low = _low(toks)
    if w.function_words.issuperset(low):
        return True  # nothing but function words ("Trong [30 năm qua]" once the period is blanked)
    k = _match_at(low, 0, w.lead, w.maxlen)
    if k and k < len(low) and _match_at(low, k, w.adverbial, w.maxlen):
        return True
    return bool(_match_at(low, 0, w.adverbial, w.maxlen))


def _has_verb(tokens: Sequence[str], w: _Words) -> bool:
    return _has_phrase(_low(tokens), w.stops, w) >= 0


def _window(text: str, start: int, end: int) -> int:
    """Start of the window ``text[start:end]`` once cut at ';', ':' and an unclosed '(' before
    the figure."""
    cut = max(text.rfind(";", start, end), text.rfind(":", start, end), text.rfind("\n", start, end))
    lp = text.rfind("(", start, end)
    if lp > text.rfind(")", start, end):
        cut = max(cut, lp)
    return cut + 1 if cut >= 0 else start


@dataclass
class _Phrase:
    tokens: list[str]
    obj_verb: str = ""  # the clause verb right before the figure when the figure is its object
    subject: list[str] | None = None
    before_verb: list[str] | None = None  # the words right before that verb ("coffee exports [to earn]")


def _all_names(tk: _Tokens, piece: _Span) -> bool:
    """A piece that is only a name (``Đắk Lắk``) in a list of places."""
    toks = [t for t in tk.words(*piece) if not _is_punct(t)]
    return bool(toks) and all(t[:1].isupper() for t in toks) and len(toks) <= 3


def _drop_place(tokens: list[str], w: _Words) -> list[str]:
    """``tại Đồng bằng sông Cửu Long sụt lún đất`` → ``sụt lún đất``."""
    if not tokens or not _may_start(tokens[0].lower(), w.place_preps.firsts):  # type: ignore[attr-defined]
        return tokens  # (most phrases: no place word first, nothing lowered)
    k = _match_at(_low(tokens), 0, w.place_preps, w.maxlen)
    if not k:
        return tokens
    j = k
    while j < len(tokens) and any(ch.isupper() for ch in tokens[j]):
        j += 1
    return tokens[j:] if j > k and j < len(tokens) else tokens


def _own_phrase(tk: _Tokens, pieces: list[_Span], w: _Words) -> tuple[_Phrase | None, list[_Span]]:
    """The phrase of the last piece (merged with plain noun pieces before it); leftover pieces."""
    pieces = list(pieces)
    while pieces and _blank_span(tk, pieces[-1]):
        pieces.pop()
    own = pieces.pop() if pieces else (0, 0)
    # "…, tính đến nay mới đạt": an adverbial piece with nothing else gives way to the one before
    while pieces and _is_adverbial(tk, own, w) and not _strip(_drop_place(list(tk.words(*own)), w), w):
        own = pieces.pop()
    while (
        pieces
        and not _is_adverbial(tk, pieces[-1], w)
        and not _has_verb(tk.words(*pieces[-1]), w)
        and not _all_names(tk, pieces[-1])
    ):
        own = (pieces.pop()[0], own[1])  # the piece before, its comma and this one
    raw = _clean(list(tk.words(*own)))
    low = _low(raw)
    k = _match_at(low, 0, w.lead, w.maxlen)
    if (
        _match_at(low, k, w.adverbial, w.maxlen)
        and not _match_at(low, k, w.place_preps, w.maxlen)
        and not _has_verb(raw[k + 1 :], w)
    ):
        return None, pieces
    first = _strip(raw, w, tail=False)
    placed = _drop_place(first, w)
    # (nothing stripped or dropped: stripping again is stripping ``raw`` again, which gave ``first``)
    toks = first if placed is first and first == raw else _strip(placed, w, tail=False)
    stops = w.stops
    # the chunks are stripped more than once (a pure function of the tokens): each once
    done: dict[tuple[str, ...], list[str]] = {}

    def strip(tokens: list[str]) -> list[str]:
        key = tuple(tokens)
        got = done.get(key)
        if got is None:
            got = done[key] = _strip(tokens, w)
        return got

    # trailing verbs before the figure: "Hải Phòng sẽ khởi công [5 dự án]" → object of "khởi công"
    obj_verb = ""
    before_verb: list[str] | None = None
    chunks = _chunks(toks, w, stops=stops)
    if chunks and chunks[-1][0] and not strip(chunks[-1][1]):
        if tuple(chunks[-1][0].split()) not in w.copulas:
            obj_verb = chunks[-1][0]
            before_verb = strip(chunks[-2][1]) if len(chunks) > 1 else None
    stripped = strip(toks)
    if not stripped:
        return (_Phrase([], obj_verb=obj_verb, before_verb=before_verb) if obj_verb else None), pieces
    if stripped != toks:  # (nothing stripped: the same tokens, the same chunks)
        chunks = _chunks(stripped, w, stops=stops)
    toks = stripped
    nonempty = [(v, strip(c)) for v, c in chunks]
    nonempty = [(v, c) for v, c in nonempty if c]
    if not nonempty:
        return (_Phrase([], obj_verb=obj_verb, before_verb=before_verb) if obj_verb else None), pieces
    subject = nonempty[0][1]
    _verb, last = nonempty[-1]
    # "giá trứng gà bán tại chuồng": a place after the verb qualifies the phrase before it
    if len(nonempty) > 1 and _verb and _match_at(_low(last), 0, w.place_preps, w.maxlen):
        last = nonempty[-2][1] + _verb.split() + last
    # "X có tổng vốn đầu tư <fig>", "X chiếm tỷ trọng <fig>" → "tổng vốn đầu tư X"
    if len(nonempty) > 1 and _match_at(_low(last), 0, w.measures, w.maxlen) == len(last):
        return _Phrase(last + nonempty[-2][1], obj_verb=obj_verb, subject=subject), pieces
    # "tỷ lệ cử tri … tham gia bầu cử": a measure noun heads the phrase across its verbs
    for _idx, (_, c) in enumerate(nonempty[:-1]):
        if _match_at(_low(c), 0, w.rates, w.maxlen):
            start = chunks.index(next(ch for ch in chunks if strip(ch[1]) == c))
            merged: list[str] = []
            for v, ch in chunks[start:]:
                if v:
                    merged.extend(v.split())
                merged.extend(ch)
            return _Phrase(_strip(merged, w), obj_verb=obj_verb, subject=subject), pieces
    if obj_verb:
        return _Phrase([], obj_verb=obj_verb, subject=subject or last, before_verb=before_verb), pieces
    return _Phrase(last, subject=subject), pieces


def _respectively(
    tk: _Tokens, claims: Sequence[Claim], order: list[int], pos: int, s_start: int, s_end: int, w: _Words
) -> list[str]:
    """Figures listed ``respectively``: ``the number of people who joined X and Y are A and B,
    respectively`` → A: ``people joined X``, B: ``people joined Y``; else [] (also when the
    sentence has no ``respectively``: see :func:`_says_respectively`)."""

    def joined(a: Claim, b: Claim) -> bool:
        gap = [t for t in _low(tk.words(a.end, b.start)) if t != ","]
        return a.unit == b.unit and b.end <= s_end and a.start >= s_start and all((t,) in w.conjunctions for t in gap)

    lo = pos
    while lo > 0 and joined(claims[order[lo - 1]], claims[order[lo]]):
        lo -= 1
    hi = pos
    while hi + 1 < len(order) and joined(claims[order[hi]], claims[order[hi + 1]]):
        hi += 1
    n = hi - lo + 1
    if n < 2:
        return []
    after = [t for t in _low(tk.words(claims[order[hi]].end, s_end)) if t != ","][:3]
    if not any(_match_at(after, k, w.respectively, w.maxlen) for k in range(len(after))):
        return []
    first = claims[order[lo]]
    start = s_start
    if lo > 0 and claims[order[lo - 1]].start >= s_start:
        start = max(start, claims[order[lo - 1]].end)
    toks = _strip(list(tk.words(start, first.start)), w)
    chunks = [(v, _strip(ch, w)) for v, ch in _chunks(toks, w, stops=w.stops)]
    chunks = [(v, ch) for v, ch in chunks if ch]
    if not chunks:
        return []
    verb, items = chunks[-1]
    cuts = [k for k, t in enumerate(_low(items)) if (t,) in w.conjunctions][-(n - 1) :]
    if len(cuts) != n - 1:
        return []
    bounds = [-1, *cuts, len(items)]
    parts = [items[bounds[k] + 1 : bounds[k + 1]] for k in range(n)]
    head = chunks[-2][1] if len(chunks) > 1 else []
    low = _low(head)
    k = next((k for k in range(len(low)) if _match_at(low, k, w.count_heads, w.maxlen)), -1)
    if k >= 0:
        head = head[k + _match_at(low, k, w.count_heads, w.maxlen) :]
    verb_toks = verb.split() if head and (verb,) not in w.copulas and tuple(verb.split()) not in w.subordinators else []
    return [*head, *verb_toks, *parts[pos - lo]]


def _says_respectively(text: str, s_start: int, s_end: int, w: _Words) -> bool:
    """The sentence ``text[s_start:s_end]`` holds a ``respectively`` phrase (most do not)."""
    sentence = text[s_start:s_end].lower()
    return any(p in sentence for p in w.respectively_text)


def _with_measure(tokens: list[str], w: _Words) -> tuple[list[str], list[str]]:
    """``du lịch với doanh thu`` → (``du lịch``, ``doanh thu``): a measure introduced by
    ``với``/``with`` at the end of the phrase, and what it belongs to; else ([], [])."""
    low = _low(tokens)
    for j in range(len(low) - 2, -1, -1):
        if low[j] in w.with_words and _match_at(low, j + 1, w.measures, w.maxlen) == len(low) - j - 1:
            return _strip(tokens[:j], w), tokens[j + 1 :]
    return [], []


def _subject_phrase(tk: _Tokens, piece: _Span, w: _Words) -> list[str]:
    """The subject of a piece: the words before its first verb or predicate marker."""
    toks = _strip(list(tk.words(*piece)), w, tail=False)
    chunks = _chunks(toks, w, stops=w.stops)
    for _, c in chunks:
        c = _strip(c, w)
        if c:
            return c
    return []


_BRACKET_AFTER = regex.compile(r"\s*\([^()]*\)")
_RIGHT_STOP = regex.compile(r"[,;:.!?()\[\]\n“”\"]")
_COMPARE_STOP = regex.compile(r"[,;:.!?()\[\]\n]")
_PLAN_STOP = regex.compile(r"[,;:.!?()\n]")


def _right_phrase(
    tk: _Tokens, c: Claim, next_start: int, s_end: int, w: _Words, *, count: bool, share: bool = False
) -> list[str]:
    """Words after the figure up to punctuation (and, for non-counts, the next figure)."""
    text = tk.text
    pos = c.end
    # skip a bracket that holds a figure: "101.000 (hơn 20%) học sinh"
    m = _BRACKET_AFTER.match(text, pos, max(pos, s_end))
    if m and any(ch.isdigit() for ch in m.group()):
        pos = m.end()
    end = s_end if count else min(s_end, next_start if next_start > pos else s_end)
    m = _RIGHT_STOP.search(text, pos, max(pos, end))
    toks = [t for t in tk.words(pos, m.start() if m else end) if t.strip()]
    low = _low(toks)
    stops = w.share_right_stop if share else w.right_stop
    lead_prep = not count and bool(_match_at(low, 0, w.right_preps, w.maxlen))
    for i in range(len(toks)):
        if (i or not lead_prep) and _match_at(low, i, stops, w.maxlen):
            toks = toks[:i]
            break
    out = _strip(toks, w, lead=False)
    # "8 dự án mới": an adjective after the noun is not a trailing verb or qualifier
    if len(out) < len(toks) and toks[: len(out)] == out and toks[len(out)].lower() in w.right_keep:
        out = toks[: len(out) + 1]
    return out


def _compare_phrase(
    tk: _Tokens, c: Claim, s_end: int, w: _Words, cue_spans: list[tuple[int, int]], *, multiple: bool = False
) -> list[str]:
    """``so với kế hoạch`` after a change: the comparison (not a period) it is made against."""
    text = tk.text
    m = _COMPARE_STOP.search(text, c.end, max(c.end, s_end))
    toks = list(tk.words(c.end, m.start() if m else s_end))
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
            rest = _until_clause(rest, text, c.end, cue_spans, w)
            return [w.compare_word, *rest] if rest else []
    return []


def _until_clause(tokens: list[str], text: str, pos: int, spans: list[tuple[int, int]], w: _Words) -> list[str]:
    """``the total holders last year which stood at 270,000`` → ``the total holders``: the tokens
    before a relative clause (a subordinator) or a period cue (unless a determiner makes the cue
    the head: ``mức phổ biến các năm trước``)."""
    out: list[str] = []
    low = _low(tokens)
    kept = -1  # a cue kept as the head of the phrase
    for k, tok in enumerate(tokens):
        at = text.find(tok, pos)
        if at >= 0:
            pos = at + len(tok)
            j = bisect.bisect_right(spans, at, key=lambda sp: sp[0]) - 1
            if j >= 0 and j != kept and spans[j][0] <= at < spans[j][1] and out:
                if not _match_end(low, k, w.lead, w.maxlen):
                    break
                kept = j
        if k and _match_at(low, k, w.subordinators, w.maxlen):
            break
        out.append(tok)
    return out


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
    """``tỷ lệ hộ nghèo của huyện`` → ``tỷ lệ hộ nghèo``; ``của TP HCM`` (a place: the figure's
    subject) goes too; ``của <other name>`` loses only ``của``."""
    low = _low(tokens)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if low[i] == w.possessive:
            k = _match_at(low, i + 1, w.anaphora, w.maxlen)
            if k and (i + 1 + k == len(tokens) or not tokens[i + 1 + k][:1].isupper()):
                i += 1 + k
                continue
            j = _place_after(tokens, i + 1 + k)
            if j:
                i = j
                continue
            if i + 1 < len(tokens):
                i += 1
                continue
        out.append(tokens[i])
        i += 1
    return out


def _place_after(tokens: list[str], i: int) -> int:
    """End of a place name starting at ``tokens[i]`` (``TP HCM``, ``Hải Phòng``; after a level word
    such as ``thành phố``), or 0 when it is not one the gazetteer knows."""
    from extractor.subjects import resolve_unit

    level = tokens[i - 1] if i > 0 else None
    end = i
    while end < len(tokens) and end - i < 4 and tokens[end][:1].isupper():
        end += 1
    for stop in range(end, i, -1):
        name = " ".join(tokens[i:stop])
        try:
            found = resolve_unit(level, name) or resolve_unit(None, name)
        except (KeyError, ValueError):
            found = None
        if found is not None:
            return stop
    return 0


def _transparent(c: Claim, w: _Words) -> bool:
    """Durations and ages do not interrupt a phrase (``trẻ dưới 5 tuổi của TP HCM``)."""
    if c.unit in ("year", "month", "day", "hour"):
        return True
    return (c.noun or "").lower() in w.transparent_nouns


def _window_start(tk: _Tokens, s_start: int, prev: Claim | None, c: Claim, w: _Words) -> int:
    """Where the phrase of ``c`` may start: after the previous figure's own tail."""
    if prev is None:
        return s_start
    start = max(s_start, prev.end)
    seg = tk.text[start : c.start]
    comma = seg.find(",")
    if comma >= 0:
        return start + comma + 1  # "8.100 tỉ đồng[, tăng]": the piece after a figure is its tail
    toks = list(tk.words(start, c.start))
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
    cues = find_cues(text, lang=lang, date=_ANY_DATE, claims=claims)
    cue_spans = [(q.start, q.end) for q in cues if q.role not in ("label", "present", "cumulative")]
    blanked = _blank(text, cue_spans)
    rows = sentence_table(text, lang)
    tk = _Tokens(blanked, lang_t, rows, claims)
    tk_text = _Tokens(text, lang_t, rows, claims)
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
    en = _EnState(text, w) if lang_t == "en" else None
    last_si = -1
    # phrase made in this sentence / in the sentence before → its words
    known: dict[str, tuple[str, ...]] = {}
    known_before: dict[str, tuple[str, ...]] = {}
    respectively_in: dict[tuple[int, int], bool] = {}  # sentence bounds → :func:`_says_respectively`

    def retok(phrase: str) -> tuple[str, ...]:
        """The words of a phrase made before (not segmented again), else its tokens."""
        return known.get(phrase) or known_before.get(phrase) or tokenize(phrase, lang_t)

    for pos, i in enumerate(order):
        c = claims[i]
        si = sentence_index(rows, c.start)
        if si != last_si:  # a new sentence: the tokens of the one before are not read again
            tk.forget()
            tk_text.forget()
            known_before, known = known, {}  # a phrase is taken up in its sentence or the next
            last_si = si
        row = rows[si] if rows else None
        s_start = row.start if row else c.sentence_start
        s_end = max(row.end if row else c.sentence_end, c.end)
        prev = prev_in_sentence.get(si)
        next_start = next_starts[pos]
        prev_claim = claims[prev] if prev is not None else None
        prev_info = infos.get(prev) if prev is not None else None
        w_start = _window_start(tk, s_start, prev_claim, c, w)
        window_start = _window(blanked, w_start, c.start)
        in_paren = window_start > w_start and blanked.rfind("(", w_start, c.start) > blanked.rfind(")", w_start, c.start)
        own, rest = _own_phrase(tk, _pieces(blanked, window_start, c.start), w)
        # the total this claim is a part of ("…, trong đó …"): read here, used twice below
        parent_idx = _sentence_parent(blanked, s_start, c, done, claims, done_starts)
        own_toks = own.tokens if own is not None else []
        count = c.unit in _COUNT_UNITS
        label_toks: list[str] = []
        root_toks: list[str] | None = None

        if count:
            noun = _span_noun(c, w)
            right = _right_phrase(tk, c, next_start, s_end, w, count=True)
            nxt_claim = claims[order[pos + 1]] if pos + 1 < len(order) else None
            if not right and noun and nxt_claim is not None and nxt_claim.unit in _COUNT_UNITS and nxt_claim.end <= s_end:
                # "6 tuyến lộ và 42 cầu giao thông nông thôn": the modifier is shared
                gap = _low(tk.words(c.end, nxt_claim.start))
                if len(gap) == 1 and (gap[0],) in w.conjunctions:
                    right = _right_phrase(tk, nxt_claim, len(blanked), s_end, w, count=True)
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
                    label_toks = list(retok(prev_info.label))  # "15.07 million and 13.34 million"
        else:
            rates_in_own = _has_phrase(_low(own_toks), w.rates, w) >= 0
            if c.kind == "share" and not rates_in_own:
                label_toks = _right_phrase(tk, c, next_start, s_end, w, count=False, share=True)
            # "heo hơi đầu vào với giá 79.000 đồng/kg" → "giá heo hơi đầu vào"
            owner, measure = _with_measure(own_toks, w)
            if measure and not label_toks:
                own_toks = measure
                if owner and not (prev_claim is not None and prev_claim.unit in _COUNT_UNITS):
                    label_toks = measure + owner
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
                    label_toks = own_toks + list(retok(prev_info.label))
                    root_toks = label_toks
            if not label_toks:
                right = _right_phrase(tk, c, next_start, s_end, w, count=False)
                if right and c.kind == "level" and ((own is not None and own.obj_verb) or prev_info is None or parent_idx is not None):
                    label_toks = right  # "mất khoảng 300ha đất", "700 tỉ đồng từ trái phiếu"
                elif right and c.kind == "change" and _match_at(_low(right), 0, w.rates_measures, w.maxlen):
                    label_toks = right  # "giảm 65% tỷ lệ tử vong"
            if not label_toks:
                if in_paren and prev_info is None:
                    paren = blanked.rfind("(", w_start, c.start)
                    before = _pieces(blanked, _window(blanked, w_start, paren), paren)
                    first = next((p for p in before if not _blank_span(tk, p) and not _is_adverbial(tk, p, w)), None)
                    if first:
                        label_toks = _subject_phrase(tk, first, w)
                else:
                    # the last piece before the phrase that is not an adverbial
                    fallback = next(
                        (p for p in reversed(rest) if not _blank_span(tk, p) and not _is_adverbial(tk, p, w)), None
                    )
                    if fallback is not None:
                        label_toks = _subject_phrase(tk, fallback, w)
                    elif own is not None and own.subject and not prev_info:
                        label_toks = own.subject
            if not label_toks and prev_info is not None and prev_info.root:
                label_toks = list(retok(prev_info.root))
                root_toks = label_toks
            if not label_toks:
                label_toks = _right_phrase(tk, c, next_start, s_end, w, count=False)
            if not label_toks:
                k = last_of_sentence.get(si - 1)
                if k is not None and infos[k].root:
                    label_toks = list(retok(infos[k].root))  # type: ignore[arg-type]
                    root_toks = label_toks
            if lang_t == "en":
                label_toks, root_toks = _english(blanked, c, s_end, own, label_toks, root_toks, prev_info, w)

        # "… X and Y are 15.07 million and 13.34 million, respectively"
        says = respectively_in.get((s_start, s_end))
        if says is None:  # (a sentence's claims share its bounds: read once)
            says = respectively_in[s_start, s_end] = _says_respectively(blanked, s_start, s_end, w)
        listed = _respectively(tk, claims, order, pos, s_start, s_end, w) if says else []
        if listed:
            label_toks, root_toks = listed, None
        tag = ""
        if en is not None and not listed:
            label_toks, root_toks, tag = _english_context(
                en, tk_text, tk, c, s_start, s_end, w_start, own, label_toks, root_toks,
                prev_claim, prev_info, en.tags.get(prev, "") if prev is not None else "", w,
            )
        label_toks = _drop_possessive(_clean(label_toks), w)
        if lang_t == "en":
            # "Vietnam's average coffee export price" → "average coffee export price"
            while (
                len(label_toks) > 1
                and _POSSESSIVE_S.search(label_toks[0])
                and not count
                and not _match_at(_low(label_toks), 1, w.rates, w.maxlen)  # "Asia's share of …" keeps its owner
            ):
                label_toks = label_toks[1:]
            label_toks = [t for k, t in enumerate(label_toks) if k == 0 or t.lower() not in ("the", "a", "an")]
            # "export turnover of rice" → "rice export turnover"
            label_toks = _invert_of(label_toks, w)
            if root_toks is not None:
                root_toks = _invert_of([t for t in root_toks if t.lower() not in ("the", "a", "an")], w)
        # "47% học sinh bị tật khúc xạ, hơn 9% sâu răng": a list of conditions shares its population
        if (
            (c.kind == "share" or c.unit in ("person", "household"))
            and label_toks
            and prev_info is not None
            and prev_info.label
            and not _match_at(_low(label_toks), 0, w.population, w.maxlen)
            and not _has_rate(label_toks, w)
        ):
            prev_toks = list(retok(prev_info.label))
            k = _match_at(_low(prev_toks), 0, w.population, w.maxlen)
            if k and len(prev_toks) > k:
                label_toks = prev_toks[:k] + label_toks
        # parts after "Trong đó": the parent's head ("GRDP khu vực dịch vụ", "vốn … từ trái phiếu")
        parent_claim = parent_idx
        if parent_idx is None and blanked[s_start : s_start + 12].lower().startswith(("trong đó", "of which")):
            parent_claim = last_of_sentence.get(si - 1)
        parent = infos[parent_claim].root if parent_claim is not None else None
        if parent_claim is not None and (
            claims[parent_claim].unit != c.unit  # "20 dự án, trong đó …, có 2.400 hộ": not a part
            or (count and (claims[parent_claim].noun or "").lower() == (c.noun or "").lower())  # "8 dự án mới"
        ):
            parent = None
        if (parent and label_toks and parent_idx != prev) or (parent and label_toks and root_toks is None):
            head = _head_of(parent, lang_t, w)
            if head and not _tokens_contain(label_toks, head) and not _has_measure(label_toks, w):
                label_toks = head + label_toks
        if root_toks is None:
            root_toks = label_toks
            # sibling ellipsis: "giá cà phê Robusta hợp đồng giao tháng 5-2025 …; hợp đồng giao tháng 7-2025"
            if prev_info is not None and prev_info.root and label_toks and prev_claim is not None and not count:
                if prev_claim.unit == c.unit and prev_claim.kind == c.kind:
                    label_toks = _restore_ellipsis(list(retok(prev_info.root)), label_toks, w)
                    root_toks = label_toks
        extra: list[str] = []
        if c.kind == "target":
            extra = _plan_phrase(tk, c, s_end, w)
        elif c.kind in ("change", "multiple"):
            extra = _compare_phrase(tk_text, c, s_end, w, cue_spans, multiple=c.kind == "multiple")
        if _is_price(c) and label_toks and not any(t.lower().startswith(w.price_word) for t in label_toks):
            label_toks = [w.price_word, *label_toks] if lang_t == "vi" else [*label_toks, w.price_word]
        label = _join(label_toks + extra, lang_t) or None
        root = _join(root_toks, lang_t) or None
        root_words = root_toks
        if root and _is_price(c) and lang_t == "vi" and not root.lower().startswith(w.price_word):
            root = f"{w.price_word} {root}"
            root_words = [w.price_word, *root_toks]
        # a later figure that takes up this phrase reads the words it was made of
        if label:
            known.setdefault(label, _phrase_tokens(label_toks + extra))
        if root:
            known.setdefault(root, _phrase_tokens(root_words))
        infos[i] = IndicatorInfo(label, root or label)
        done.append(i)
        done_starts.append(c.start)
        if en is not None:
            en.tags[i] = tag
            if tag != "market" and (root or label):
                en.last_root[c.unit] = root or label  # type: ignore[assignment]
        if not _transparent(c, w):
            prev_in_sentence[si] = i
            last_of_sentence[si] = i
    return [infos[i] for i in range(len(claims))]


def _window_has(window: str, words: tuple[str, ...]) -> bool:
    low = window.lower()
    return any(x in low for x in words)


def _phrase_tokens(tokens: Sequence[str]) -> tuple[str, ...]:
    """The tokens a phrase joined by :func:`_join` keeps (its ends trimmed the same way)."""
    toks = [t for t in tokens if t.strip()]
    while toks and not toks[0].strip(" ,;:-–"):
        toks.pop(0)
    while toks and not toks[-1].strip(" ,;:-–"):
        toks.pop()
    return tuple(toks)


def _has_rate(tokens: Sequence[str], w: _Words) -> bool:
    return _has_phrase(_low(tokens), w.rates, w) >= 0


def _has_measure(tokens: Sequence[str], w: _Words) -> bool:
    return _has_phrase(_low(tokens), w.measures, w) >= 0


def _is_price(c: Claim) -> bool:
    return c.per is not None and c.unit in _MONEY


def _span_noun(c: Claim, w: _Words) -> list[str]:
    if c.noun:
        return list(tokenize(c.noun, "vi" if w.code == "vi" else "en"))
    words = _FIGURE_CHARS.sub(" ", c.text).split()
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
    # "tỷ lệ thừa cân béo phì ở trẻ 5-18 tuổi …, người trưởng thành": another population
    if _match_at(_low(cur), 0, w.population, w.maxlen):
        at = [k for k in range(1, len(low_prev)) if _match_at(low_prev, k, w.place_preps, w.maxlen)]
        if at:
            return prev[: at[-1] + 1] + cur
    k = _match_at(low_prev, 0, w.measures, w.maxlen)
    if k:
        return prev[:k] + cur
    return cur


def _plan_phrase(tk: _Tokens, c: Claim, s_end: int, w: _Words) -> list[str]:
    """``đạt 51,8% dự toán HĐND tỉnh giao`` → ``so với dự toán HĐND tỉnh giao`` (specific plans only)."""
    m = _PLAN_STOP.search(tk.text, c.end, max(c.end, s_end))
    toks = list(tk.words(c.end, m.start() if m else s_end))
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
    m = _OF_WORDS.match(after)
    verb = own.obj_verb if own is not None else ""
    if m and c.unit not in _COUNT_UNITS and c.kind == "level" and verb in w.nominal:
        noun = [t for t in m.group(1).split() if t.lower() not in ("the", "a", "an")]
        noun = noun[:1]
        base = [*noun, w.nominal[verb]]
        return base, base
    if c.kind in ("change", "multiple") and not (own and own.tokens):
        m = _IN_WORD.match(after)
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
    # "6.37 million tonnes of rice worth 2.81 billion USD" → "rice export value"
    if c.kind == "level" and own is not None and own.tokens and _match_end(_low(own.tokens), len(own.tokens), w.value_words, w.maxlen):
        if prev_info is not None and prev_info.root:
            mod = prev_info.root.split()
            if mod[-1].lower().endswith("s"):
                mod = [*mod[:-1], mod[-1][:-1]]
            return [*mod, "value"], prev_info.root.split()
    # "coffee exports to earn US$4.5 billion", "… and earning 1 billion USD" → "… export earnings"
    if c.kind == "level" and c.unit in _MONEY and verb in w.nominal and not m:
        mod = own.before_verb if own is not None and own.before_verb else None
        if mod is None and prev_info is not None and prev_info.root:
            mod = prev_info.root.split()
        if mod:
            return [*_singular(mod, w), w.nominal[verb]], None
    return label, root


@dataclass
class _EnState:
    """What the English rules remember across an article."""

    text: str
    words: _Words
    last_root: dict[str, str] = field(default_factory=dict)  # unit → root of its last figure
    tags: dict[int, str] = field(default_factory=dict)  # claim → rule that named it

    @functools.cached_property
    def commodity(self) -> str | None:
        """The product the article is about ("the grain" → "rice"), counted only when an
        anaphor asks for it (most articles have none)."""
        return _main_commodity(self.text, self.words)


def _main_commodity(text: str, w: _Words) -> str | None:
    """The commodity named most often in ``text`` (as written), for anaphors like ``the grain``."""
    if not w.commodity_anaphora:
        return None
    low = text.lower()
    if _any_alias(w.code).search(low) is None:
        return None  # no alias anywhere: no count can be above 0
    best: tuple[int, str] | None = None
    for aliases in _commodity_aliases(w.code):
        # an alias not in the text at all counts 0 without a regex pass
        counts = [(len(pattern.findall(low)) if a in low else 0, a) for a, pattern in aliases]
        total = sum(n for n, _ in counts)
        if total and (best is None or total > best[0]):
            best = (total, max(counts)[1])
    return best[1] if best else None


@functools.cache
def _any_alias(code: str) -> regex.Pattern[str]:
    """Any alias of :func:`_commodity_aliases`, as a plain substring."""
    aliases = sorted({a for entry in _commodity_aliases(code) for a, _ in entry}, key=len, reverse=True)
    return regex.compile("|".join(regex.escape(a) for a in aliases) if aliases else "(?!)")


@functools.cache
def _commodity_aliases(code: str) -> tuple[tuple[tuple[str, regex.Pattern[str]], ...], ...]:
    """Per commodity of the catalogue: its aliases in ``code`` (anaphors aside), each with the
    pattern that counts it as a whole word."""
    anaphors = {p[-1] for p in _words(code).commodity_anaphora}
    return tuple(
        tuple(
            (a, regex.compile(rf"(?<!\p{{L}}){regex.escape(a)}(?!\p{{L}})"))
            for a in entry.get(code, [])
            if a not in anaphors
        )
        for entry in _commodities()
    )


@functools.cache
def _commodities() -> tuple[dict, ...]:
    return tuple(_catalogue_file().get("commodity", []))


def _singular(tokens: list[str], w: _Words) -> list[str]:
    """``rice exports`` → ``rice export`` (a verb noun used as a modifier)."""
    if tokens and tokens[-1].lower() in set(w.nominal.values()) and tokens[-1].lower().endswith("s"):
        return [*tokens[:-1], tokens[-1][:-1]]
    return tokens


def _is_name(tokens: Sequence[str], w: _Words) -> bool:
    """A proper name: every word capitalised (``the``/``of`` aside), not a pronoun."""
    words = [t for t in tokens if t.lower() not in ("the", "of", "and")]
    if not words or len(words) > 5 or words[0].lower() in w.pronouns:
        return False
    return all(t[:1].isupper() for t in words)


def _named_subject(tk: _Tokens, s_start: int, end: int, w: _Words) -> list[str]:
    """The sentence's subject when it is a name (``The Mekong Delta, …, comprises``), else []."""
    piece = _pieces(tk.text, s_start, max(s_start, end))[0]
    toks = [t for t in tk.words(*piece) if not _is_punct(t)]
    chunks = _chunks(toks, w, stops=w.stops)
    first = chunks[0][1] if chunks else []
    if first and first[0].lower() in ("the",):
        first = first[1:]
    return first if _is_name(first, w) else []


def _has_phrase(low: Sequence[str], phrases: frozenset[tuple[str, ...]], w: _Words) -> int:
    """Index of the first listed phrase in ``low``, else -1."""
    firsts = getattr(phrases, "firsts", None)
    for k, t in enumerate(low):
        # a position whose word starts no listed phrase (most) is passed by one set lookup
        if firsts is not None and t not in firsts and (t.isalnum() or not _may_start(t, firsts)):
            continue
        if _match_at(low, k, phrases, w.maxlen):
            return k
    return -1


def _english_context(
    en: _EnState,
    tk_text: _Tokens,
    tk: _Tokens,
    c: Claim,
    s_start: int,
    s_end: int,
    w_start: int,
    own: _Phrase | None,
    label: list[str],
    root: list[str] | None,
    prev_claim: Claim | None,
    prev_info: IndicatorInfo | None,
    prev_tag: str | None,
    w: _Words,
) -> tuple[list[str], list[str] | None, str]:
    """English phrases that need the sentence or the article: anaphors (``the figure``, ``the
    grain``), rankings of markets, a named place's parts and measures, shares of a whole, the
    predicate of a count (``30 million people are yet to …``). Returns (label, root, tag)."""
    own_toks = own.tokens if own is not None else []
    count = c.unit in _COUNT_UNITS
    # "the figure was just 6,000": the figure last stated in this unit
    if own_toks and en.last_root.get(c.unit) and _is_figure_anaphor(own_toks, w):
        toks = list(tokenize(en.last_root[c.unit], "en"))
        return toks, toks, ""
    # "The Philippines topped the list with 902,100 tonnes, followed by China 237,500 tonnes, …"
    blanked = tk.text
    at = -1
    ranked = c.kind == "level" and not count and en.last_root.get(c.unit)
    if ranked:  # (the window is only read for a level that can follow a ranked market)
        window = [t for t in tk.words(w_start, c.start) if not _is_punct(t)]
        wlow = _low(window)
        at = _has_phrase(wlow, w.ranking, w)
    if ranked and (at >= 0 or prev_tag == "market"):
        if at >= 0:
            k = _match_at(wlow, at, w.ranking, w.maxlen)
            before, after = window[:at], window[at + k :]
            name = before if _is_name(before, w) else after
        else:
            name = window
        while name and _match_at(_low(name), 0, w.lead, w.maxlen) and not name[0][:1].isupper():
            name = name[1:]
        if _is_name(name, w):
            parent = list(tokenize(en.last_root[c.unit], "en"))
            prep = w.market_prep.get(parent[-1].lower(), "in") if parent else "in"
            toks = [*parent, prep, *name]
            return toks, toks, "market"
    label, root = _commodity_anaphor(label, en, w), (_commodity_anaphor(root, en, w) if root is not None else None)
    # "The Mekong Delta … comprises 12 provinces and one centrally-run city with a total area of …"
    contains = _may_hold(tk.text[s_start : c.start].lower(), w.containment) and (
        _has_phrase(_low(tk.words(s_start, c.start)), w.containment, w) >= 0
    )
    share_of = c.kind == "share" and label and label[0].lower() == "of"
    subject = _named_subject(tk, s_start, c.start, w) if contains or share_of else []
    if subject and contains:
        verb = own.obj_verb if own is not None else ""
        right = _right_phrase(tk, c, len(blanked), s_end, w, count=True)
        if count and not right and _span_noun(c, w) and (
            tuple(verb.split()) in w.containment or (not own_toks and prev_tag == "in")
        ):
            return [*_span_noun(c, w), "in", *subject], None, "in"
        if own_toks and _match_at(_low(own_toks), 0, w.measures, w.maxlen) == len(own_toks):
            return [*own_toks, "of", *subject], None, ""
    # "accounting for 78 percent of the volume": a share of a whole
    if share_of:
        if prev_claim is not None and prev_claim.kind == "level" and prev_info is not None and prev_info.label:
            return list(tokenize(prev_info.label, "en")), None, ""
        if subject:
            return [*subject[:-1], f"{subject[-1]}'s", "share", *label], None, "share"
        return ["share", *label], None, ""
    # "30 million people are yet to participate in …", "15.18 million Vietnamese have been covered by …"
    if count:
        pred = _predicate(tk_text, c, s_end, w)
        if pred is not None:
            noun, rest = pred
            return [*(_span_noun(c, w) or noun or [w.person_noun]), *rest], None, ""
    # "an annual output of 24-25 million tonnes of rice" → "rice output"
    if c.kind == "level" and not count and own_toks and own_toks[-1].lower() in w.of_heads:
        m = _OF_LOWER_WORD.match(blanked, c.end, max(c.end, s_end))
        if m and label == own_toks:
            return _insert_noun(own_toks, [m.group(1)], w), None, ""
    return label, root, ""


def _is_figure_anaphor(tokens: Sequence[str], w: _Words) -> bool:
    """``the figure``, ``this number``: a phrase naming no measure, only the figure before."""
    low = [t.lower() for t in tokens if t.lower() not in ("the", "a", "an")]
    return bool(low) and tuple(low) in w.figure_anaphora


def _commodity_anaphor(tokens: list[str], en: _EnState, w: _Words) -> list[str]:
    """``export turnover of the grain`` → ``export turnover of rice``."""
    if not tokens:
        return tokens
    low = _low(tokens)
    if not _may_hold(" ".join(low), w.commodity_anaphora):
        return tokens  # (most phrases: no "the grain")
    k = _has_phrase(low, w.commodity_anaphora, w)
    if k < 0 or en.commodity is None:
        return tokens
    n = _match_at(low, k, w.commodity_anaphora, w.maxlen)
    return [*tokens[:k], en.commodity, *tokens[k + n :]]


def _insert_noun(head: list[str], noun: list[str], w: _Words) -> list[str]:
    """``total export`` + ``rice`` → ``total rice export`` (after leading modifiers)."""
    k = 0
    while k < len(head) - 1 and head[k].lower() in w.premodifiers:
        k += 1
    return [*head[:k], *noun, *head[k:]]


def _invert_of(tokens: list[str], w: _Words) -> list[str]:
    """English noun order: ``export turnover of rice`` → ``rice export turnover``."""
    low = _low(tokens)
    if "of" not in low:
        return tokens
    k = low.index("of")
    head, noun = tokens[:k], tokens[k + 1 :]
    if not head or not 1 <= len(noun) <= 2 or low[k - 1] not in w.of_heads:
        return tokens
    if not all(t[:1].islower() for t in noun):
        return tokens  # "total area of the Mekong Delta": a name stays after "of"
    return _insert_noun(head, noun, w)


def _predicate(tk: _Tokens, c: Claim, s_end: int, w: _Words) -> tuple[list[str], list[str]] | None:
    """(noun, predicate) of a count followed by an auxiliary: ``15.18 million Vietnamese have been
    covered by compulsory social insurance`` → (``Vietnamese``, ``covered by … insurance``).
    Read on the text itself (periods not blanked: ``have been`` is also a period cue)."""
    m = _RIGHT_STOP.search(tk.text, c.end, max(c.end, s_end))
    toks = [t for t in tk.words(c.end, m.start() if m else s_end) if not _PUNCT_TOKEN.match(t)]
    low = _low(toks)
    for j in range(min(3, len(toks))):
        k = _match_at(low, j, w.auxiliaries, w.maxlen)
        if k:
            break
    else:
        return None
    noun = toks[:j]
    if any(t[:1].isdigit() for t in noun):
        return None
    i = j + k
    while i < len(toks) and (k := _match_at(low, i, w.auxiliaries, w.maxlen)):
        i += k
    rest: list[str] = []
    while i < len(toks) and not _match_at(low, i, w.predicate_stop, w.maxlen) and not toks[i][:1].isdigit():
        rest.append(toks[i])
        i += 1
    rest = _strip(rest, w, lead=False)
    return (noun, rest) if rest else None


def _prev_unit_guess(info: IndicatorInfo) -> str:
    return "tonne"


def assign_periods_and_indicators(
    text: str, claims: list[Claim], *, lang: str, date: dt.date | None
) -> list[Claim]:
    """``claims`` with ``period`` (:func:`extractor.periods.assign_periods`) and ``indicator``
    (:func:`assign_indicators`) set, each claim copied once."""
    results = resolve_periods(text, claims, lang=lang, date=date)
    infos = analyse_indicators(text, claims, lang=lang)
    return [
        updated(c, period=r.period.year if r.period else None, indicator=info.label)
        for c, r, info in zip(claims, results, infos, strict=True)
    ]


def assign_indicators(text: str, claims: list[Claim], *, lang: str) -> list[Claim]:
    """Return ``claims`` with ``indicator`` set to the phrase naming what is measured."""
    infos = analyse_indicators(text, claims, lang=lang)
    return [updated(c, indicator=info.label) for c, info in zip(claims, infos, strict=True)]
