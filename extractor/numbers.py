"""One locale-aware numeral layer: digits with the document's separators, scale words and
spelled-out numbers → ``Decimal`` plus the rounding step of what was printed.

Everything language-specific comes from ``lang/<code>/numbers.toml`` (see :class:`NumberSpec`);
this module is the small engine that reads it. Money, percentages, measures and counts are built
on :func:`scan` in :mod:`extractor.quantities` and never re-parse digits.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import regex

__all__ = ["NumberSpec", "Numeral", "parse_digits", "parse_number", "scan"]

_TOKEN_SEP = regex.compile(r"[ \t\u00a0]+|-(?=\p{L})")
# between two tokens: a spaced hyphen between words (fifty - two), spaces, or a hyphen (fifty-two)
_SEP = regex.compile(r"(?P<sh>[ \t\u00a0]+[-–][ \t\u00a0]+(?=\p{L}))|[ \t\u00a0]+|-(?=\p{L})")
_SPACES = regex.compile(r"[ \t\u00a0]+")
_SLASH_DEN = regex.compile(r"\d+(?![\d/]|[.,]\d)")  # 3/4, but not 5/17/2018 nor 1/2.5
_CURRENCY_BEFORE = regex.compile(r"\p{Sc}[ \u00a0]*\Z")  # "$2000 over 3 years" is not a fraction
_FRAC_STEP = Decimal("1e-6")


def _alt(words: list[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Numeral:
    """A number as printed: ``text[start:end]`` means ``value``, printed to ``step`` (absolute)."""

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
    _word_re: Any = field(default=None, repr=False)
    _start_re: Any = field(default=None, repr=False)
    _attached_re: Any = field(default=None, repr=False)
    _alt_full: Any = field(default=None, repr=False)
    _glued_scale_re: Any = field(default=None, repr=False)
    _extra: dict[str, str] = field(default_factory=dict, repr=False)
    _spaced_att_re: Any = field(default=None, repr=False)
    _restate_re: Any = field(default=None, repr=False)
    _strip: Any = field(default=None, repr=False)

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
            alts[:0] = [rf"\d{{1,3}}(?: \d{{3}}){{{self.space_groups},}}(?:{d}\d+)?(?! ?\d)"]
        gaps = self.thin_group + (" " if self.space_groups else "")
        self._strip = str.maketrans("", "", gaps) if gaps else None
        digits = "(?:" + "|".join(alts) + ")"
        nota = self.notation
        expo = [
            rf"(?:{_alt(nota.get('times_ten', []))})(?P<tx>[+\-−]?\d{{1,3}})" if nota.get("times_ten") else "",
            rf"(?:{_alt(nota.get('exponent', []))})(?P<ex>[+\-−]?\d{{1,3}})" if nota.get("exponent") else "",
            rf"(?:{_alt(nota.get('power', []))})(?P<px>[+\-−]{{0,2}}\d{{1,3}})" if nota.get("power") else "",
        ]
        expo_alt = "|".join(x for x in expo if x) or "(?!)"
        self._digit_re = regex.compile(
            rf"(?<![\d{g}{d}]|[\d][{g}{d}])(?P<base>{digits})(?![{g}{d}]?\d)(?P<expo>(?:{expo_alt})(?![\p{{L}}\d]))?"
        )
        self._extra = {w: "over" for w in self.over} | {w: "overp" for w in self.over_if_proper}
        self._extra |= {w: "of" for w in self.of_words} | {w: "ordunit" for w in self.ordinal_units}
        spaced = "|".join(regex.escape(w) for w in sorted(self.spaced_attached, key=len, reverse=True))
        self._spaced_att_re = regex.compile(rf"(?:{spaced})(?![\p{{L}}\p{{M}}\d])") if spaced else None
        opens = "".join(regex.escape(p[0]) for p in self.restated if len(p) == 2)
        self._restate_re = regex.compile(rf"[ \t\u00a0]*([{opens}])[ \t\u00a0]*") if opens else None
        vocab = set(self.scales) | set(self.words) | set(self.multipliers) | set(self.fractions)
        vocab |= self.half_of_scale | self.filler | self.point | self.negative
        vocab |= self.articles | set(self.denominators) | set(self._extra)
        alternation = "|".join(regex.escape(w) for w in sorted(vocab, key=len, reverse=True))
        self._word_re = regex.compile(rf"(?i:(?<!\w)(?:{alternation})(?!\w))")
        att = "|".join(regex.escape(w) for w in sorted(self.attached, key=len, reverse=True))
        self._attached_re = regex.compile(rf"(?:{att})(?!\w)") if att else None
        starters = set(self.words) | set(self.multipliers) | set(self.fractions) | self.negative
        starters |= self.articles
        start_alt = "|".join(regex.escape(w) for w in sorted(starters, key=len, reverse=True))
        vulgar = "|[" + regex.escape("".join(self.vulgar)) + "]" if self.vulgar else ""
        self._start_re = regex.compile(
            rf"(?<![\w{g}{d}\-−])[-−](?=[{d}]?\d)"
            rf"|(?<![\d{g}{d}]|[\d][{g}{d}])(?:{digits}|{d}\d+)|(?i:(?<!\w)(?:{start_alt})(?!\w)){vulgar}"
        )

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


def parse_digits(token: str, spec: NumberSpec) -> tuple[Decimal, Decimal]:
    """``'8.100'`` → (8100, 1); ``'45,2'`` → (45.2, 0.1) under Vietnamese separators."""
    g, d = spec.group, spec.decimal
    if spec._strip is not None:
        token = token.translate(spec._strip)  # 1 234 567: grouping spaces
    if spec._alt_full is not None and spec._alt_full.fullmatch(token):
        g, d = spec.alt_group or g, spec.alt_decimal or d
    if d in token:
        whole, frac = token.replace(g, "").split(d, 1) if g != d else token.split(d, 1)
    elif g in token and regex.fullmatch(rf"\d{{1,3}}(?:{regex.escape(g)}\d{{3}})+", token):
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


def scan(text: str, spec: NumberSpec, *, start: int = 0, end: int | None = None) -> Iterator[Numeral]:
    """All numerals in ``text[start:end]``, left to right, non-overlapping."""
    limit = len(text) if end is None else end
    pos = start
    for m in spec._start_re.finditer(text, start, limit):
        if m.start() < pos:
            continue
        numeral = _phrase(text, m.start(), limit, spec)
        if numeral is not None:
            pos = numeral.end
            yield numeral


def parse_number(text: str, spec: NumberSpec) -> Numeral | None:
    """The numeral spanning all of ``text`` (stripped), or None."""
    s = text.strip()
    offset = text.find(s) if s else 0
    numeral = _phrase(s, 0, len(s), spec)
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


def _phrase(text: str, pos: int, limit: int, spec: NumberSpec) -> Numeral | None:
    """Parse the longest well-formed numeral phrase starting at ``pos``."""
    tokens: list[tuple[str, str, int, int, Decimal, Decimal]] = []  # (class, text, s, e, value, step)
    cursor = pos
    negative = False
    prev = "start"
    prev_value = Decimal(0)
    after_point = False  # "two point zero three": spelled digits after the point
    if text[pos] in "-−":
        negative = True
        prev = "neg"
        cursor = pos + 1
    while cursor < limit:
        tok = _token_at(text, cursor, limit, spec)
        if tok is None:
            break
        cls, s, e, value, step = tok
        if prev in ("unit", "digits", "article") and cls not in ("denom", "scale", "mult"):
            w = text[s:e].lower()
            if w in spec.denominators:
                cls, value = "denom", spec.denominators[w]  # "a half", "three quarters"
        spelled_decimals = after_point and prev == "unit" and cls == "unit" and value < 10
        if not spelled_decimals and not _may_follow(prev, cls, prev_value, value):
            break
        after_point = after_point or cls == "point"
        if cls == "neg":
            if tokens:
                break
            negative = True
        tokens.append((cls, text[s:e], s, e, value, step))
        prev = cls if cls != "digits_att" else "scale"
        prev_value = value
        cursor = e
        sep = _TOKEN_SEP.match(text, cursor, limit)
        if sep is None:
            glued = spec._glued_scale_re.match(text, cursor, limit) if prev == "digits" and spec._glued_scale_re else None
            if glued is None:
                break
            word = glued.group()  # "3,5tỷ": a scale word written onto the digits
            value = spec.scales[word.lower()]
            tokens.append(("scale", word, glued.start(), glued.end(), value, Decimal(1)))
            prev, prev_value, cursor = "scale", value, glued.end()
            sep = _TOKEN_SEP.match(text, cursor, limit)
            if sep is None:
                break
        cursor = sep.end()
    # drop trailing tokens that cannot end a numeral
    while tokens and tokens[-1][0] in ("filler", "point", "neg", "article"):
        tokens.pop()
    if not tokens:
        return None
    return _evaluate(tokens, negative, spec)


def _token_at(text: str, pos: int, limit: int, spec: NumberSpec):
    m = spec._digit_re.match(text, pos, limit)
    if m is not None and m.start() == pos:
        value, step = parse_digits(m.group(), spec)
        e = m.end()
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
        return (cls, pos, m.end(), Decimal(0), Decimal(1))
    return None


_FOLLOW: dict[str, set[str]] = {
    "start": {"digits", "digits_att", "unit", "mult", "frac", "neg", "article"},
    "neg": {"digits", "digits_att", "unit", "mult", "frac", "article"},
    "digits": {"scale", "mult", "denom", "point"},
    "unit": {"mult", "scale", "unit", "point", "denom"},
    "article": {"mult", "scale", "denom"},
    "denom": {"scale"},
    "mult": {"unit", "scale", "filler", "half", "point"},
    "frac": {"scale", "mult"},
    "scale": {"digits", "unit", "mult", "scale", "half", "filler", "frac"},
    "half": set(),
    "filler": {"unit"},
    "point": {"digits", "unit"},
}


def _may_follow(prev: str, cls: str, prev_value: Decimal, value: Decimal) -> bool:
    if cls == "other":
        return False
    if prev == "unit" and cls == "unit":
        # "mười một", "twenty one" — but "hai ba" is not 23
        return prev_value >= 10 and value < 10 and prev_value % 10 == 0
    return cls in _FOLLOW.get(prev, set())


def _evaluate(tokens, negative: bool, spec: NumberSpec) -> Numeral | None:
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
    for cls, word, _s, _e, value, tstep in tokens:
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
            amount = total + group + (last if last is not None else Decimal(1))
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
    if not numeric:
        return None
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
