"""One locale-aware numeral layer: digits with the document's separators, scale words and
spelled-out numbers → ``Decimal`` plus the rounding step of what was printed.

Everything language-specific comes from ``lang/<code>/numbers.toml`` (see :class:`NumberSpec`);
this module is the small engine that reads it. Money, percentages, measures and counts are built
on :func:`scan` in :mod:`extractor.quantities` and never re-parse digits.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import regex

from extractor.alternation import trie_alternation

__all__ = ["NumberSpec", "Numeral", "parse_digits", "parse_number", "scan"]

_TOKEN_SEP = regex.compile(r"[ \t\u00a0]+|-(?=\p{L})")
# between two tokens: a spaced hyphen between words (fifty - two), spaces, or a hyphen (fifty-two)
_SEP = regex.compile(r"[ \t\u00a0]+(?P<sh>[-–][ \t\u00a0]+(?=\p{L}))?|-(?=\p{L})")
_CHECKED = frozenset({"denom", "over", "overp", "filler"})  # classes with extra rules in _phrase
_SPACES = regex.compile(r"[ \t\u00a0]+")
_SLASH_DEN = regex.compile(r"\d+(?![\d/]|[.,]\d)")  # 3/4, but not 5/17/2018 nor 1/2.5
_CURRENCY_BEFORE = regex.compile(r"\p{Sc}[ \u00a0]*\Z")  # "$2000 over 3 years" is not a fraction
_FRAC_STEP = Decimal("1e-6")
_ZERO = Decimal(0)
_ONE = Decimal(1)


def _alt(words: list[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


_SET = object.__setattr__


@dataclass(frozen=True, init=False)
class Numeral:
    """A number as printed: ``text[start:end]`` means ``value``, printed to ``step`` (absolute).

    The constructor is written out: a frozen dataclass's own sets each field through
    ``object.__setattr__``, twice the cost of setting the instance dictionary at once, and
    numerals are made for every number read (the fields, their order and defaults are these)."""

    start: int
    end: int
    value: Decimal
    step: Decimal
    spelled: bool = False  # at least one number word (not only digits)
    has_digits: bool = False
    scaled: bool = False  # a scale word (nghìn, triệu, tỉ, billion, k …) applies
    ambiguous: bool = False  # a single ambiguous word such as "năm"/"one"
    plain_digits: str = ""  # the digit token if the numeral is one plain digit group
    scale: Decimal = Decimal(1)  # multiplier of the scale words after the last digits
    scale_word: str = ""  # the last scale word or letter as written, lower-cased (tỉ, k, bn)

    def __init__(
        self,
        start: int,
        end: int,
        value: Decimal,
        step: Decimal,
        spelled: bool = False,
        has_digits: bool = False,
        scaled: bool = False,
        ambiguous: bool = False,
        plain_digits: str = "",
        scale: Decimal = Decimal(1),
        scale_word: str = "",
    ) -> None:
        _SET(self, "__dict__", {
            "start": start, "end": end, "value": value, "step": step, "spelled": spelled,
            "has_digits": has_digits, "scaled": scaled, "ambiguous": ambiguous,
            "plain_digits": plain_digits, "scale": scale, "scale_word": scale_word,
        })

    @property
    def low(self) -> Decimal:
        return self.value - self.step / 2

    @property
    def high(self) -> Decimal:
        return self.value + self.step / 2


@dataclass
class NumberSpec:
    """A language's numeral data, compiled once."""

    group: str
    decimal: str
    alt_decimal: str | None
    alt_group: str | None
    glued_scales: frozenset[str]
    scales: dict[str, Decimal]
    attached: dict[str, Decimal]
    words: dict[str, Decimal]
    multipliers: dict[str, Decimal]
    fractions: dict[str, Decimal]
    half_of_scale: frozenset[str]
    filler: frozenset[str]
    negative: frozenset[str]
    point: frozenset[str]
    ambiguous: frozenset[str]
    hyphen_words: bool = False
    articles: frozenset[str] = frozenset()  # "a"/"an": 1 before a multiplier, scale or fraction
    denominators: dict[str, Decimal] = field(default_factory=dict)  # thirds: two thirds = 2/3
    singular: frozenset[str] = frozenset()  # denominators that need a numerator of one (a fifth)
    ordinal_units: dict[str, Decimal] = field(default_factory=dict)  # twenty-first (fractions mode)
    vulgar: dict[str, Decimal] = field(default_factory=dict)  # ½, ¾
    over: frozenset[str] = frozenset()  # one over three (fractions mode)
    over_if_proper: frozenset[str] = frozenset()  # one out of three, but not "12 out of 10"
    of_words: frozenset[str] = frozenset()  # two thirds of a million
    spaced_hyphen: bool = False  # fifty - two
    spaced_attached: frozenset[str] = frozenset()  # 2.33 k
    restated: tuple[str, ...] = ()  # bracket pairs: forty-five (45)
    thin_group: str = ""  # thin spaces that group digits: 1 234 567
    space_groups: int = 0  # plain-space grouping needs this many groups of three (0: never)
    notation: dict[str, list[str]] = field(default_factory=dict)  # exponent / power / times_ten
    _digit_re: Any = field(default=None, repr=False)
    _digit_first: frozenset[str] = field(default=frozenset(), repr=False)
    _word_re: Any = field(default=None, repr=False)
    _start_num_re: Any = field(default=None, repr=False)
    _start_word_re: Any = field(default=None, repr=False)
    _start_ascii_re: Any = field(default=None, repr=False)
    _attached_re: Any = field(default=None, repr=False)
    _alt_full: Any = field(default=None, repr=False)
    _glued_scale_re: Any = field(default=None, repr=False)
    _extra: dict[str, str] = field(default_factory=dict, repr=False)
    _spaced_att_re: Any = field(default=None, repr=False)
    _spaced_first: Any = field(default=None, repr=False)
    _exp_re: Any = field(default=None, repr=False)
    _exp_first: frozenset[str] = field(default=frozenset(), repr=False)
    _exp_spaced: frozenset[str] = field(default=frozenset(), repr=False)
    _extra_re: Any = field(default=None, repr=False)
    _restate_re: Any = field(default=None, repr=False)
    _strip: Any = field(default=None, repr=False)
    _digits_end: frozenset[str] = field(default=frozenset(), repr=False)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> NumberSpec:
        sep = data.get("separators", {})
        special = data.get("special", {})
        spec = cls(
            group=sep.get("group", ","),
            decimal=sep.get("decimal", "."),
            alt_decimal=sep.get("alt_decimal"),
            alt_group=sep.get("alt_group"),
            glued_scales=frozenset(w.lower() for w in sep.get("glued_scales", data.get("glued_scales", []))),
            scales={k.lower(): Decimal(str(v)) for k, v in data.get("scales", {}).items()},
            attached={k: Decimal(str(v)) for k, v in data.get("attached_scales", {}).items()},
            words={k.lower(): Decimal(str(v)) for k, v in data.get("words", {}).items()},
            multipliers={k.lower(): Decimal(str(v)) for k, v in data.get("multipliers", {}).items()},
            fractions={k.lower(): Decimal(str(v)) for k, v in data.get("fractions", {}).items()},
            half_of_scale=frozenset(w.lower() for w in special.get("half_of_scale", [])),
            filler=frozenset(w.lower() for w in special.get("filler", [])),
            negative=frozenset(w.lower() for w in special.get("negative", [])),
            point=frozenset(w.lower() for w in special.get("point", [])),
            ambiguous=frozenset(w.lower() for w in special.get("ambiguous", [])),
            hyphen_words=bool(special.get("hyphen_words", False)),
            articles=frozenset(w.lower() for w in special.get("article", [])),
            denominators={
                k.lower(): Decimal(str(v))
                for k, v in {**data.get("denominators", {}), **data.get("singular_denominators", {})}.items()
            },
            singular=frozenset(k.lower() for k in data.get("singular_denominators", {})),
            ordinal_units={k.lower(): Decimal(str(v)) for k, v in data.get("compound_ordinals", {}).items()},
            vulgar={k: Decimal(str(v)) for k, v in data.get("vulgar", {}).items()},
            over=frozenset(w.lower() for w in special.get("over", [])),
            over_if_proper=frozenset(w.lower() for w in special.get("over_if_proper", [])),
            of_words=frozenset(w.lower() for w in special.get("of", [])),
            spaced_hyphen=bool(special.get("spaced_hyphen", False)),
            spaced_attached=frozenset(special.get("spaced_attached", [])),
            restated=tuple(special.get("restated", [])),
            thin_group="".join(sep.get("thin_group", [])),
            space_groups=int(sep.get("space_groups", 0)),
            notation={k: list(v) for k, v in data.get("notation", {}).items()},
        )
        spec._compile()
        return spec

    def _compile(self) -> None:
        g, d = regex.escape(self.group), regex.escape(self.decimal)
        alts = [rf"\d{{1,3}}(?:{g}\d{{3}})+(?:{d}\d+)?(?!\d)", rf"\d+{d}\d+"]
        if self.alt_group and self.alt_decimal:
            # the other convention, when it cannot be ours: 1,234.56 and 12,345,678 in a vi text
            ag, ad = regex.escape(self.alt_group), regex.escape(self.alt_decimal)
            self._alt_full = regex.compile(rf"\d{{1,3}}(?:{ag}\d{{3}})+{ad}\d+|\d{{1,3}}(?:{ag}\d{{3}}){{2,}}")
            alts[:0] = [rf"\d{{1,3}}(?:{ag}\d{{3}})+{ad}\d+(?!\d)", rf"\d{{1,3}}(?:{ag}\d{{3}}){{2,}}(?![{ag}{ad}]?\d)"]
        glued = "|".join(regex.escape(w) for w in sorted(self.glued_scales, key=len, reverse=True))
        self._glued_scale_re = regex.compile(rf"(?i:{glued})(?![\p{{L}}\p{{M}}])") if glued else None
        if self.alt_decimal and self.alt_decimal != self.group:
            alts.append(rf"\d+{regex.escape(self.alt_decimal)}\d+")
        elif self.alt_decimal:
            # the group mark doubles as a decimal point when not followed by exactly 3 digits
            alts.append(rf"\d+{regex.escape(self.alt_decimal)}\d{{1,2}}(?!\d)")
        alts += [r"\d+", rf"{d}\d+"]
        if self.thin_group:  # 1 234 567.89 with thin spaces
            t = regex.escape(self.thin_group)
            alts[:0] = [rf"\d{{1,3}}(?:[{t}]\d{{3}})+(?:{d}\d+)?(?![{t}]?\d)"]
        if self.space_groups:  # 1 234 567 with plain spaces: enough groups that it cannot be a list
            alts[:0] = [
                rf"\d{{1,3}}(?: \d{{3}}){{{self.space_groups},}}(?:{d}\d+)?(?! ?\d)",
                # one group is enough when it starts with 0 ("12 000"): "000" is never a number alone
                rf"\d{{1,3}}(?: 0\d\d)(?: \d{{3}})*(?:{d}\d+)?(?! ?\d)",
            ]
        gaps = self.thin_group + (" " if self.space_groups else "")
        self._strip = str.maketrans("", "", gaps) if gaps else None
        digits = "(?:" + "|".join(alts) + ")"
        nota = self.notation
        expo = [
            rf"(?:{_alt(nota.get('times_ten', []))})(?P<tx>[+\-−]?\d{{1,3}})" if nota.get("times_ten") else "",
            rf"(?:{_alt(nota.get('exponent', []))})(?P<ex>[+\-−]?\d{{1,3}})" if nota.get("exponent") else "",
            rf"(?:{_alt(nota.get('power', []))})(?P<px>[+\-−]{{0,2}}\d{{1,3}})" if nota.get("power") else "",
        ]
        expo_alt = "|".join(x for x in expo if x)
        self._exp_re = regex.compile(rf"(?:{expo_alt})(?![\p{{L}}\d])") if expo_alt else None
        self._exp_first = frozenset(w[0] for words in nota.values() for w in words if w[0] != " ")
        self._exp_spaced = frozenset(w[1] for words in nota.values() for w in words if w[0] == " " and w[1:])
        self._digit_re = regex.compile(rf"(?<![\d{g}{d}]|[\d][{g}{d}]){digits}(?![{g}{d}]?\d)")
        self._digit_first = frozenset("0123456789" + self.decimal)  # every alternative of `digits` starts so
        # fractions-mode words, looked up only in that mode: over, out of, twenty-*first*
        self._extra = {w: "over" for w in self.over} | {w: "overp" for w in self.over_if_proper}
        self._extra |= {w: "ordunit" for w in self.ordinal_units}
        extra = "|".join(regex.escape(w) for w in sorted(self._extra, key=len, reverse=True))
        self._extra_re = regex.compile(rf"(?i:(?<!\w)(?:{extra})(?!\w))") if extra else None
        self._extra |= {w: "of" for w in self.of_words}
        spaced = "|".join(regex.escape(w) for w in sorted(self.spaced_attached, key=len, reverse=True))
        self._spaced_att_re = regex.compile(rf"(?:{spaced})(?![\p{{L}}\p{{M}}\d]|\.\p{{L}})") if spaced else None
        self._spaced_first = frozenset(w[0] for w in self.spaced_attached) if spaced else None
        opens = "".join(regex.escape(p[0]) for p in self.restated if len(p) == 2)
        self._restate_re = regex.compile(rf"[ \t\u00a0]*([{opens}])[ \t\u00a0]*") if opens else None
        vocab = set(self.scales) | set(self.words) | set(self.multipliers) | set(self.fractions)
        vocab |= self.half_of_scale | self.filler | self.point | self.negative
        vocab |= self.articles | set(self.denominators) | self.of_words
        alternation = trie_alternation(vocab, ignore_case=True)
        self._word_re = regex.compile(rf"(?i:(?<!\w){alternation}(?!\w))")
        att = "|".join(regex.escape(w) for w in sorted(self.attached, key=len, reverse=True))
        self._attached_re = regex.compile(rf"(?:{att})(?!\w)") if att else None
        starters = set(self.words) | set(self.multipliers) | set(self.fractions) | self.negative
        starters |= self.articles
        start_tree = trie_alternation(starters, ignore_case=True)
        vulgar = "|[" + regex.escape("".join(self.vulgar)) + "]" if self.vulgar else ""
        # where a numeral may start, as two searches: one alternation of both costs regex about
        # twice the time of the two (see scan for why their matches can be merged)
        self._start_num_re = regex.compile(
            rf"(?<![\w{g}{d}\-−])[-−](?=[{d}]?\d)|(?<![\d{g}{d}]|[\d][{g}{d}])(?:{digits}|{d}\d+){vulgar}"
        )
        # \b is (?<!\w) here, every starter beginning with a word character, and regex tries it faster
        self._start_word_re = regex.compile(rf"(?i:\b{start_tree}(?!\w))")
        # the same search for ASCII text, lower-cased: case-sensitive and in the standard library's
        # engine it is faster; there \b, \w and letter case mean the same as regex's on ASCII (only
        # when every starter is ASCII: regex's case folding could match a non-ASCII one to a letter)
        if all(w.isascii() and w == w.lower() for w in starters):
            self._start_ascii_re = re.compile(rf"\b{trie_alternation(starters)}(?!\w)")
        self._digits_end = self._ends_of_digits()

    def _ends_of_digits(self) -> frozenset[str]:
        """ASCII characters that, right after a digit group, end the numeral there (see
        :func:`_lone_digits`): none starts an exponent, a slash fraction, an attached or glued scale,
        a vulgar fraction, a separator to a next token (space, hyphen) or a restated form."""
        # every character the glued-scale pattern could begin with, under its case-insensitivity
        glued = "".join(w[0] for w in self.glued_scales)
        glued_first = regex.compile(f"(?i:[{regex.escape(glued)}])") if glued else None
        out = set()
        for ch in map(chr, range(128)):
            if ch.isdigit() or ch in " \t-/(" or ch in self.vulgar or ch in self._exp_first:
                continue
            if any(w.startswith(ch) for w in self.attached):
                continue
            if glued_first is not None and glued_first.match(ch):
                continue
            out.add(ch)
        return frozenset(out)

    # -- token classes -------------------------------------------------------------------------
    def word_class(self, word: str) -> str:
        w = word.lower()
        if w in self.scales:
            return "scale"
        if w in self.multipliers:
            return "mult"
        if w in self.words:
            return "unit"
        if w in self.fractions:
            return "frac"
        if w in self.half_of_scale:
            return "half"
        if w in self.filler:
            return "filler"
        if w in self.point:
            return "point"
        if w in self.negative:
            return "neg"
        if w in self.articles:
            return "article"
        if w in self.denominators:
            return "denom"
        return "other"


@functools.cache
def _grouped(group: str) -> regex.Pattern[str]:
    """Digits in groups of three joined by ``group`` (1.234.567), compiled once per mark."""
    return regex.compile(rf"\d{{1,3}}(?:{regex.escape(group)}\d{{3}})+")


def parse_digits(token: str, spec: NumberSpec) -> tuple[Decimal, Decimal]:
    """``'8.100'`` → (8100, 1); ``'45,2'`` → (45.2, 0.1) under Vietnamese separators."""
    g, d = spec.group, spec.decimal
    if spec._strip is not None and len(token) > 4:
        token = token.translate(spec._strip)  # 1 234 567: grouping spaces
    if spec._alt_full is not None and spec._alt_full.fullmatch(token):
        g, d = spec.alt_group or g, spec.alt_decimal or d
    if d in token:
        whole, frac = token.replace(g, "").split(d, 1) if g != d else token.split(d, 1)
    elif g in token and _grouped(g).fullmatch(token):
        whole, frac = token.replace(g, ""), ""
    elif spec.alt_decimal and spec.alt_decimal in token:
        whole, frac = token.split(spec.alt_decimal, 1)
    else:
        whole, frac = token, ""
    value = Decimal(f"{whole or '0'}.{frac}" if frac else whole or "0")
    step = Decimal(1).scaleb(-len(frac)) if frac else Decimal(1)
    return value, step


def _leading_place(value: Decimal) -> Decimal:
    if value <= 0:
        return Decimal(1)
    return Decimal(1).scaleb(value.adjusted())


def scan(
    text: str, spec: NumberSpec, *, start: int = 0, end: int | None = None, fractions: bool = False
) -> Iterator[Numeral]:
    """All numerals in ``text[start:end]``, left to right, non-overlapping.

    ``fractions``: also read the fraction forms that running text mostly means otherwise — ``x/y``
    (a ratio in ``17/17 targets``), ``one over three``, ``one out of three``, compound ordinal
    denominators (``a twenty-first``)."""
    limit = len(text) if end is None else end
    pos = start
    for at in _starts(text, spec, start, limit):
        if at < pos:
            continue
        numeral = _phrase(text, at, limit, spec, fractions)
        if numeral is not None:
            pos = numeral.end
            yield numeral


def _starts(text: str, spec: NumberSpec, start: int, limit: int) -> list[int]:
    """Where a numeral may start in ``text[start:limit]``, left to right.

    The same positions as one search for "a minus, digits, a vulgar fraction or a starter word":
    the two searches' matches begin with different characters (a minus, digit or point, or a
    fraction sign; a letter) and never contain one another's, so neither search skips, inside
    one of its own matches, a position that the single search would have reported."""
    found = [m.start() for m in spec._start_num_re.finditer(text, start, limit)]
    lo = max(0, start - 1)  # the character before the start, for \b
    part = text[lo:limit]
    if spec._start_ascii_re is not None and part.isascii():
        words = [m.start() + lo for m in spec._start_ascii_re.finditer(part.lower(), start - lo)]
    else:
        words = [m.start() for m in spec._start_word_re.finditer(text, start, limit)]
    if not words:
        return found
    if not found:
        return words
    found += words
    found.sort()
    return found


def parse_number(text: str, spec: NumberSpec, *, fractions: bool = False) -> Numeral | None:
    """The numeral spanning all of ``text`` (stripped), or None. The whole text being one number,
    a spaced minus (``- 5``) and a bare point (``point 77``) are read too; ``fractions`` as in
    :func:`scan`."""
    s = text.strip()
    offset = text.find(s) if s else 0
    numeral = _phrase(s, 0, len(s), spec, fractions, whole=True) if s else None
    if numeral is None or numeral.end != len(s):
        return None
    return Numeral(
        start=numeral.start + offset,
        end=numeral.end + offset,
        value=numeral.value,
        step=numeral.step,
        spelled=numeral.spelled,
        has_digits=numeral.has_digits,
        scaled=numeral.scaled,
        ambiguous=numeral.ambiguous,
        plain_digits=numeral.plain_digits,
        scale=numeral.scale,
        scale_word=numeral.scale_word,
    )


def _phrase(
    text: str, pos: int, limit: int, spec: NumberSpec, fractions: bool = False, whole: bool = False
) -> Numeral | None:
    """Parse the longest well-formed numeral phrase starting at ``pos``."""
    tokens: list[tuple[str, str, int, int, Decimal, Decimal]] = []  # (class, text, s, e, value, step)
    cursor = pos
    negative = False
    prev = "start"
    prev_value = Decimal(0)
    after_point = False  # "two point zero three": spelled digits after the point
    sep_kind: str | None = None  # "sh" when a spaced hyphen came before this token
    filler_at, filler_mult = -1, _ZERO  # the last "and", and the multiplier right before it
    low_scale = high_scale = _ZERO  # multipliers and scales before that "and"
    has_filler = False
    if not fractions:
        lone = _lone_digits(text, pos, limit, spec)
        if lone is not None:
            return lone
    spaced_att = spec._spaced_first
    if text[pos] in "-−":
        negative = True
        prev = "neg"
        cursor = pos + 1
        sp = _SPACES.match(text, cursor, limit) if whole else None
        if sp is not None:
            cursor = sp.end()  # "- 1,200,000" when the whole text is the number
    while cursor < limit:
        tok = None
        if prev == "digits" and spaced_att is not None and text[cursor] in spaced_att and text[cursor - 1] == " ":
            a = spec._spaced_att_re.match(text, cursor, limit)  # "2.33 k"
            if a is not None:
                tok = ("scale", cursor, a.end(), spec.attached[a.group()], Decimal(1))
        if tok is None:
            tok = _token_at(text, cursor, limit, spec, fractions)
        if tok is None:
            break
        cls, s, e, value, step = tok
        if prev in ("unit", "digits", "article") and cls not in ("denom", "scale", "mult"):
            w = text[s:e].lower()
            if w in spec.denominators:
                cls, value = "denom", spec.denominators[w]  # "a half", "three quarters"
        compound = None
        if fractions and cls == "unit" and tokens and 20 <= value < 100 and value % 10 == 0:
            compound = _compound_ordinal(text, e, limit, spec)  # "three twenty-firsts"
            if compound is not None and (compound[1] or prev != "filler") and prev not in ("neg", "point"):
                cls, e, value = "denom", compound[0], value + compound[2]
            else:
                compound = None
        if cls in _CHECKED or sep_kind is not None or has_filler:
            if cls == "denom" and compound is None:
                if text[s:e].lower() in spec.singular and not (prev in ("article", "unit", "digits") and prev_value == 1):
                    break  # "two millionth" is an ordinal; "a fifth", "one hundredth" are fractions
                if text[e : e + 1] == "-" and text[e + 1 : e + 2].isalpha():
                    break  # "a fifth-generation jet", "a third-party seller": ordinal adjectives
            if sep_kind is not None and not (
                (prev == "unit" and cls == "unit") or (cls == "denom" and prev in ("unit", "article"))
            ):
                break  # a spaced hyphen joins "fifty - two", "five - eighths" only
            if cls == "over" or cls == "overp":
                if fractions and tokens and prev not in ("filler", "point", "article", "of", "neg"):
                    over = _over(text, tokens, negative, e, limit, spec, proper=cls == "overp")
                    if over is not None:
                        return over
                break
            if prev == "filler" and cls == "digits" and not (1 <= value < filler_mult and value % 1 == 0):
                break  # "3 hundred and 21", but not "hundred and 0" nor "two and 3"
            if has_filler and cls in ("mult", "scale") and low_scale <= value <= high_scale:
                tokens = tokens[:filler_at]  # "3 hundred and 2 hundred": two numbers
                break
            if cls == "filler":
                filler_at, filler_mult = len(tokens), (prev_value if prev == "mult" else Decimal(0))
                scales = [t[4] for t in tokens if t[0] in ("mult", "scale")]
                low_scale, high_scale = (min(scales), max(scales)) if scales else (Decimal(0), Decimal(0))
            elif cls == "scale" and value > high_scale:
                low_scale = high_scale = Decimal(0)  # "ba trăm linh một nghìn không trăm…": a new group
        spelled_decimals = after_point and prev == "unit" and cls == "unit" and value < 10
        if compound is None and not spelled_decimals and not _may_follow(prev, cls, prev_value, value):
            if not (whole and prev == "start" and cls == "point"):  # "point 77"
                break
        after_point = after_point or cls == "point"
        if cls == "neg":
            if tokens:
                break
            negative = True
        has_filler = has_filler or cls == "filler"
        tokens.append((cls, text[s:e], s, e, value, step))
        prev = cls if cls != "digits_att" else "scale"
        prev_value = value
        cursor = e
        sep = _SEP.match(text, cursor, limit)
        if sep is None:
            if prev == "digits" and text[cursor : cursor + 1] in spec.vulgar:
                sep_kind = None
                continue  # "1¾"
            glued = spec._glued_scale_re.match(text, cursor, limit) if prev == "digits" and spec._glued_scale_re else None
            if glued is None:
                break
            word = glued.group()  # "3,5tỷ": a scale word written onto the digits
            value = spec.scales[word.lower()]
            tokens.append(("scale", word, glued.start(), glued.end(), value, Decimal(1)))
            prev, prev_value, cursor = "scale", value, glued.end()
            sep = _SEP.match(text, cursor, limit)
            if sep is None:
                break
        sep_kind = sep.lastgroup  # "sh": a spaced hyphen (fifty - two), else None
        cursor = sep.end()
    # drop trailing tokens that cannot end a numeral
    while tokens and tokens[-1][0] in ("filler", "point", "neg", "article", "of"):
        tokens.pop()
    if has_filler:
        tokens = _settle_and(tokens, spec)
    if not tokens:
        return None
    numeral = _evaluate(tokens, negative, spec)
    if numeral is not None and spec._restate_re is not None and "(" in text[numeral.end : numeral.end + 2]:
        numeral = _restated(text, numeral, limit, spec)
    return numeral


def _lone_digits(text: str, pos: int, limit: int, spec: NumberSpec) -> Numeral | None:
    """The numeral at ``pos`` when it is provably one digit group and nothing more (most are:
    ``5.6%``, ``2023.``, ``1,234 tonnes``), else None (then :func:`_phrase` reads it in full).

    It is exactly what the general reading gives: the digits token ends before a character that
    starts no continuation (``NumberSpec._digits_end``), or before spaces and then no numeral
    token (no digit, number word, attached scale written apart, spaced hyphen), and no bracket
    follows for a restated form; its value is then that of :func:`_plain_digits`."""
    if text[pos] not in spec._digit_first:
        return None
    m = spec._digit_re.match(text, pos, limit)
    if m is None:
        return None
    e = m.end()
    if e < limit:
        c = text[e]
        if c not in spec._digits_end:
            if c not in " \t\u00a0" or text[e + 1 : e + 2] in spec._exp_spaced:
                return None  # a hyphen, a bracket…; "1.3 x 10^6"
            sep = _SEP.match(text, e, limit)
            if sep is None or sep.lastgroup is not None:
                return None  # a spaced hyphen: "5 - 7"
            q = sep.end()
            if q < limit:
                c = text[q]
                if c in spec._digit_first or c > "\x7f":
                    return None  # digits, a vulgar fraction, a non-ASCII letter: read in full
                if spec._spaced_first is not None and c in spec._spaced_first and text[q - 1] == " ":
                    return None  # "2.33 k"
                if spec._word_re.match(text, q, limit) is not None:
                    return None  # "5 million", "20 and"
    if "(" in text[e : e + 2]:
        return None  # "45 (forty-five)": a restated number
    base = m.group()
    value, step = parse_digits(base, spec)
    return _plain_digits(("digits", base, pos, e, value, step), False, spec)


def _compound_ordinal(text: str, pos: int, limit: int, spec: NumberSpec) -> tuple[int, bool, Decimal] | None:
    """After a tens word: ``-first``, `` fifths`` → (end, joined by a hyphen, unit value)."""
    sep = _SEP.match(text, pos, limit)
    if sep is None or sep.lastgroup == "sh":
        return None
    m = spec._word_re.match(text, sep.end(), limit)
    if m is None and spec._extra_re is not None:
        m = spec._extra_re.match(text, sep.end(), limit)
    if m is None:
        return None
    w = m.group().lower()
    unit = spec.ordinal_units.get(w)
    if unit is None and spec.denominators.get(w, Decimal(10)) < 10:
        unit = spec.denominators[w]
    if unit is None:
        return None
    return m.end(), text[sep.start()] == "-", unit


def _over(
    text: str, tokens: list, negative: bool, pos: int, limit: int, spec: NumberSpec, *, proper: bool
) -> Numeral | None:
    """``one over three``, ``two out of five hundred``: the numerator is ``tokens``, the
    denominator the numeral after ``pos``; ``proper``: only when numerator < denominator."""
    sep = _SPACES.match(text, pos, limit)
    if sep is None:
        return None
    num = _evaluate(tokens, negative, spec)
    den = _phrase(text, sep.end(), limit, spec)
    if num is None or den is None or den.start != sep.end() or den.value <= 0:
        return None
    if proper and not 0 <= num.value < den.value:
        return None
    if _CURRENCY_BEFORE.search(text, max(0, num.start - 3), num.start):
        return None
    return Numeral(
        start=num.start, end=den.end, value=num.value / den.value, step=_FRAC_STEP,
        spelled=num.spelled or den.spelled, has_digits=num.has_digits or den.has_digits,
    )


def _settle_and(tokens: list, spec: NumberSpec) -> list:
    """Each "and": a proper fraction after it makes a mixed number (three and a half, one hundred
    and three quarters, two million and a half); otherwise it is the usual filler after a
    multiplier or scale (one hundred and six), and after anything else the numeral ends before it."""
    i = 0
    while i < len(tokens):
        if tokens[i][0] != "filler":
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and tokens[j][0] not in ("denom", "filler"):
            j += 1
        if j < len(tokens) and tokens[j][0] == "denom" and j > i + 1:
            numer = _evaluate(tokens[i + 1 : j], False, spec)
            if numer is not None and numer.value < tokens[j][4]:
                tokens[i] = ("mixed", *tokens[i][1:])
                i = j + 1
                continue
        if i == 0 or tokens[i - 1][0] not in ("mult", "scale", "digits_att"):
            return tokens[:i]
        i += 1
    return tokens


def _restated(text: str, n: Numeral, limit: int, spec: NumberSpec) -> Numeral:
    """``forty-five (45)``, ``45 (forty five)``: the same number restated in brackets is one."""
    m = spec._restate_re.match(text, n.end, limit)
    if m is None or m.end() >= limit:
        return n  # nothing inside the bracket: "… 46731 (" at the end of the text
    inner = _phrase(text, m.end(), limit, spec)
    if inner is None or inner.value != n.value or inner.start != m.end() or inner.spelled == n.spelled:
        return n
    close = next((p[1] for p in spec.restated if p[0] == m.group(1)), ")")
    c = _SPACES.match(text, inner.end, limit)
    at = c.end() if c is not None else inner.end
    if text[at : at + 1] != close:
        return n
    return replace(n, end=at + 1)


def _token_at(text: str, pos: int, limit: int, spec: NumberSpec, fractions: bool = False):
    c = text[pos]
    # a digit group starts with a digit or the decimal mark: other ASCII characters skip the pattern
    m = spec._digit_re.match(text, pos, limit) if c in spec._digit_first or c > "\x7f" else None
    if m is not None and m.start() == pos:
        base = m.group()
        value, step = parse_digits(base, spec)
        e = m.end()
        c = text[e : e + 1]
        if c in spec._exp_first or (c == " " and text[e + 1 : e + 2] in spec._exp_spaced):
            x = spec._exp_re.match(text, e, limit)
            if x is not None:  # 1.5e3, 1.1^23, 1.3x10^6
                value, step = _exponent(x, value, step)
                return ("digits", pos, x.end(), value, step)
        if fractions and text[e : e + 1] == "/" and base.isdigit() and not (
            text[pos - 1 : pos] in ("/", "-") and text[pos - 2 : pos - 1].isdigit()
        ):
            f = _SLASH_DEN.match(text, e + 1, limit)  # 3/4, -4/5 (not 5/17/2018, +1-222-2222/2222)
            if f is not None and int(f.group()):
                return ("vfrac", pos, f.end(), value / Decimal(f.group()), _FRAC_STEP)
        if spec._attached_re is not None:
            a = spec._attached_re.match(text, e, limit)
            if a is not None:
                mult = spec.attached[a.group()]
                return ("digits_att", pos, a.end(), value * mult, step * mult)
        return ("digits", pos, e, value, step)
    m = spec._word_re.match(text, pos, limit)
    if m is not None:
        word = m.group()
        cls = spec.word_class(word)
        w = word.lower()
        if cls == "unit":
            return ("unit", pos, m.end(), spec.words[w], Decimal(1))
        if cls == "mult":
            return ("mult", pos, m.end(), spec.multipliers[w], Decimal(1))
        if cls == "scale":
            return ("scale", pos, m.end(), spec.scales[w], Decimal(1))
        if cls == "frac":
            return ("frac", pos, m.end(), spec.fractions[w], Decimal("0.5"))
        if cls == "denom":
            return ("denom", pos, m.end(), spec.denominators[w], Decimal(1))
        if cls == "article":
            return ("article", pos, m.end(), Decimal(1), Decimal(1))
        if cls == "other":
            cls = spec._extra.get(w, "other")  # of
        return (cls, pos, m.end(), Decimal(0), Decimal(1))
    if text[pos] in spec.vulgar:
        return ("vfrac", pos, pos + 1, spec.vulgar[text[pos]], _FRAC_STEP)  # ½
    if fractions and spec._extra_re is not None:
        m = spec._extra_re.match(text, pos, limit)  # over / out of / in / -first
        if m is not None:
            return (spec._extra[m.group().lower()], pos, m.end(), Decimal(0), Decimal(1))
    return None


def _exponent(m: Any, value: Decimal, step: Decimal) -> tuple[Decimal, Decimal]:
    """``e3``/``x10^3`` shift the digits; ``^3`` raises them (``--`` signs cancel: ``1.1^--23``)."""
    raw = m.group("tx") or m.group("ex")
    if raw is not None:
        exp = int(raw.replace("−", "-"))
        return value.scaleb(exp), step.scaleb(exp)
    raw = m.group("px")
    digits = raw.lstrip("+-−")
    exp = int(digits) * (-1 if sum(c in "-−" for c in raw[: len(raw) - len(digits)]) % 2 else 1)
    if value == 0 and exp <= 0:
        return value, step
    result = value**exp
    return result, _leading_place(abs(result)) * _FRAC_STEP


_FOLLOW: dict[str, set[str]] = {
    "start": {"digits", "digits_att", "unit", "mult", "frac", "neg", "article", "vfrac"},
    "neg": {"digits", "digits_att", "unit", "mult", "frac", "article", "vfrac"},
    # no denominator after digits: "3 quarters" of a year, "2 halves" are periods, not fractions
    "digits": {"scale", "mult", "point", "filler", "vfrac"},
    "unit": {"mult", "scale", "unit", "point", "denom", "filler"},
    "article": {"mult", "scale", "denom"},
    "denom": {"scale", "article", "of"},  # two thirds of a million
    "mult": {"unit", "scale", "filler", "half", "point", "denom", "mult"},
    "frac": {"scale", "mult", "article", "of"},  # half a dozen
    "scale": {"digits", "unit", "mult", "scale", "half", "filler", "frac", "denom"},
    "half": set(),
    "filler": {"unit", "article", "digits"},
    "point": {"digits", "unit"},
    "of": {"article"},
    "vfrac": {"scale", "mult"},  # ½ million
}


def _may_follow(prev: str, cls: str, prev_value: Decimal, value: Decimal) -> bool:
    if cls == "other":
        return False
    if prev == "unit" and cls == "unit":
        # "mười một", "twenty one" — but "hai ba" is not 23
        return prev_value >= 10 and value < 10 and prev_value % 10 == 0
    if prev == "mult" and cls == "mult":
        return value < prev_value  # "two hundred dozens"
    if prev == "digits" and cls == "vfrac":
        return value < 1  # "2 1/4", "1¾"
    return cls in _FOLLOW.get(prev, set())


def _plain_digits(token: tuple, negative: bool, spec: NumberSpec) -> Numeral:
    """:func:`_evaluate` of one digit group (most numerals), without its state machine.

    The arithmetic is the general path's, step by step (``0 + (0 + value)``, ``step × 1``): adding
    a zero can change a Decimal's exponent (``1.5E+3`` → ``1500``), so it is kept."""
    _cls, word, start, end, value, tstep = token
    total = _ZERO + (_ZERO + value)
    if negative:
        total = -total
        if start > 0:
            start -= 1  # the attached minus sign
    return Numeral(
        start=start,
        end=end,
        value=total,
        step=tstep * _ONE,
        has_digits=True,
        ambiguous=word.lower() in spec.ambiguous,
        plain_digits=word,
    )


def _evaluate(tokens, negative: bool, spec: NumberSpec) -> Numeral | None:
    if len(tokens) == 1 and tokens[0][0] == "digits":
        return _plain_digits(tokens[0], negative, spec)
    total = Decimal(0)
    group = Decimal(0)
    last: Decimal | None = None
    prev_scale: Decimal | None = None
    step = Decimal(1)
    step_scale = Decimal(1)
    spelled = False
    has_digits = False
    scaled = False
    decimal_mode = False
    numeric = False
    scale_word = ""
    frac_str, tens_open, int_part = "", False, Decimal(0)
    prev_cls = ""
    tens: Decimal | None = None  # "ninety-five hundred": the tens of a compound, for a multiplier
    mixed_base: Decimal | None = None  # group at the "and" of a mixed number (three and a half)
    mixed_scale: Decimal | None = None  # "two million and a half": the scale the fraction is of
    for cls, word, _s, _e, value, tstep in tokens:
        pcls, prev_cls = prev_cls, cls
        if cls != "digits":
            if cls == "mixed":
                if last is not None:
                    group += last
                last, mixed_base = None, group
                mixed_scale = prev_scale if pcls == "scale" else None
                continue
            if cls == "of" or (cls == "article" and pcls in ("frac", "denom", "of")):
                continue  # "half a dozen", "two thirds of a million"
            if cls == "vfrac":
                has_digits = numeric = True
                if last is not None:
                    group += last
                last, step, step_scale = value, tstep, Decimal(1)
                continue
            if cls == "unit":
                tens = last if pcls == "unit" and last is not None and value < 10 <= last and last % 10 == 0 else None
            elif cls == "mult" and tens is not None and pcls == "unit" and last is not None:
                group -= tens  # "twenty-five hundred" = 2,500
                last += tens
                tens = None
            elif cls == "scale":
                mixed_scale = None  # "five and a half million": the scale takes the whole
        if cls in ("digits", "digits_att"):
            has_digits = True
            numeric = True
            if decimal_mode and last is not None:
                frac_digits = word.lstrip("0") or "0"
                places = len(word)
                last = last + Decimal(frac_digits).scaleb(-places)
                step, step_scale = Decimal(1).scaleb(-places), Decimal(1)
                decimal_mode = False
                continue
            if last is not None:
                group += last
            last = value
            step, step_scale = tstep, Decimal(1)
            if cls == "digits_att":
                scaled = True
                att = spec._attached_re.search(word)
                mult = spec.attached[att.group()] if att is not None else Decimal(1)
                scale_word = att.group().lower() if att is not None else ""
                step, step_scale = tstep / mult, mult
        elif cls in ("unit", "article"):
            spelled = True
            numeric = True
            if decimal_mode and last is not None and cls == "unit":
                # "two point two", "point zero three", "point seventy-one": spelled decimals
                digit = str(int(value))
                frac_str = frac_str[:-1] + digit if frac_str.endswith("0") and tens_open else frac_str + digit
                tens_open = value >= 10 and value % 10 == 0
                last = int_part + Decimal("0." + frac_str)
                step, step_scale = Decimal(1).scaleb(-len(frac_str)), Decimal(1)
                continue
            if last is not None:
                group += last
            last = value
            step, step_scale = _leading_place(value), Decimal(1)
        elif cls == "mult":
            spelled = True
            numeric = True
            if last is None:
                last = value
                step = value
            else:
                last = last * value
                step = step * value
        elif cls == "frac":
            spelled = True
            numeric = True
            if last is not None:
                group += last
            last = value
            step, step_scale = tstep, Decimal(1)
        elif cls == "scale":
            spelled = True
            scaled = True
            scale_word = word.lower()
            amount = group + (last if last is not None else Decimal(0))
            if last is None and group == 0:
                if total and prev_scale is not None and value > prev_scale:
                    total *= value  # nghìn tỷ
                    step_scale *= value
                    prev_scale = value
                    continue
                amount = Decimal(1)
                numeric = True
            if prev_scale is not None and value > prev_scale and total and amount:
                total = (total + amount) * value  # rare: "hai nghìn ba trăm triệu"
            else:
                total += amount * value
            step_scale = step_scale * value
            group, last = Decimal(0), None
            prev_scale = value
        elif cls == "denom":
            spelled = True
            numeric = True
            if mixed_base is not None:  # only the part after "and": one hundred and three quarters
                amount = group - mixed_base + (last if last is not None else Decimal(1))
                group, mixed_base = mixed_base, None
            else:  # "a hundred thousand trillionths": the scale closed the count, nothing to add
                amount = total + group + (last if last is not None else Decimal(0 if total or group else 1))
                total, group = Decimal(0), Decimal(0)
            last = amount / value
            step, step_scale = Decimal("1e-6"), Decimal(1)
        elif cls == "half":
            if prev_scale is not None:
                total += prev_scale / 2
                step_scale = prev_scale / 10
                step = Decimal(1)
        elif cls == "point":
            decimal_mode = True
            int_part = last if last is not None else Decimal(0)
            last = int_part  # "point 77"
    if not numeric:
        return None
    if mixed_scale is not None and last is not None:
        last *= mixed_scale  # "three million and a half", "five billion and three quarters"
    total += group + (last if last is not None else Decimal(0))
    if negative:
        total = -total
    first, last_tok = tokens[0], tokens[-1]
    start = first[2]
    if negative and first[0] != "neg" and start > 0:
        start -= 1  # the attached minus sign
    ambiguous = len(tokens) == 1 and first[1].lower() in spec.ambiguous
    plain = first[1] if len(tokens) == 1 and first[0] == "digits" else ""
    return Numeral(
        start=start,
        end=last_tok[3],
        value=total,
        step=step * step_scale,
        spelled=spelled,
        has_digits=has_digits,
        scaled=scaled,
        ambiguous=ambiguous,
        plain_digits=plain,
        scale=step_scale if scaled else Decimal(1),
        scale_word=scale_word,
    )
