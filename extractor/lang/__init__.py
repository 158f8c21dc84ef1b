"""Language packs: each ``lang/<code>/`` folder is data (TOML) read by one engine.

Adding a language means adding a folder with ``pack.toml``, ``numbers.toml``, ``units.toml``,
``nouns.toml``, ``cues.toml`` and ``vetoes.toml``; nothing in the engine changes.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

import regex

from extractor.alternation import trie_alternation
from extractor.numbers import NumberSpec

__all__ = [
    "Pack",
    "available",
    "expand_words",
    "load_pack",
    "load_toml",
    "units_catalogue",
    "veto_patterns",
    "word_alternation",
]

PACK_FILES = ("pack", "numbers", "units", "nouns", "cues", "vetoes")


def load_toml(code: str, name: str) -> dict[str, Any]:
    """One TOML file of a pack (``{}`` when the pack does not have it)."""
    path = resources.files("extractor.lang").joinpath(code, f"{name}.toml")
    if not path.is_file():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8"))


def available() -> list[str]:
    """Codes of the installed language packs."""
    root = resources.files("extractor.lang")
    return sorted(p.name for p in root.iterdir() if p.is_dir() and p.joinpath("pack.toml").is_file())


@functools.cache
def units_catalogue() -> dict[str, dict[str, Any]]:
    """The neutral unit catalogue (``extractor/units.toml``)."""
    text = resources.files("extractor").joinpath("units.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


_NOT_BEFORE_WORD = r"(?<![\p{L}\p{M}])"  # a word's left bound
_NOT_AFTER_WORD = r"(?![\p{L}\p{M}\d])"  # a word's right bound


def word_alternation(words: list[str] | set[str] | tuple[str, ...], *, after_space: bool = False) -> str:
    """A regex alternation, longest first, each alternative bounded as a whole word.

    ``after_space``: the pattern only tries it right after a space, so the left bound always
    holds and is left out (without the lookbehinds, regex matches a long alternation far faster)."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        esc = regex.escape(w)
        left = _NOT_BEFORE_WORD if not after_space and regex.match(r"\w", w) else ""
        right = _NOT_AFTER_WORD if regex.search(r"\w$", w) else ""
        parts.append(f"{left}{esc}{right}")
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


def _compile_end(words: list[str]) -> regex.Pattern[str]:
    """Matches when the text *ends* with one of ``words`` (then optional spaces); any case.

    For ``.search`` only: the pattern runs in reverse (``(?r)``), from the end of the text, so it
    is tried at the end only instead of at every position before it. The match is the one a
    forward search finds (the longest word, listed first, ending where the trailing spaces
    begin; no listed word ends in a space)."""
    return regex.compile(rf"(?r)(?i:{word_alternation(words)})[\s\u00a0]*\Z")


def _compile_start(words: list[str], *, gap: str = r"[\s\u00a0]*") -> regex.Pattern[str]:
    return regex.compile(rf"{gap}(?i:({word_alternation(words)}))")


# ``{name}`` in a veto pattern: a [words] list (not ``\p{L}`` or ``\N{…}``; a quantifier starts with a digit)
_PLACEHOLDER = regex.compile(r"(?<!\\[pPN])\{([a-z][a-z0-9_]*)\}")


def expand_words(pattern: str, words: dict[str, list[str]]) -> str:
    """``pattern`` with each ``{name}`` replaced by the words of list ``name``, longest first.

    The list becomes a prefix tree (:func:`trie_alternation`): it matches what the flat
    longest-first alternation matches, but regex enters a branch only when its first character
    matches, instead of comparing every word at every position (a hundred words tried at each
    word start made one veto pattern cost more than all others together). Inside a
    case-insensitive group (``(?i:…)``) the tree is built for that, and falls back to the flat
    alternation when two branches of one node fold together."""

    def expand(m: regex.Match[str]) -> str:
        name = m.group(1)
        if name not in words:
            raise ValueError(f"veto pattern {pattern!r}: no [words] list {name!r}")
        return trie_alternation(words[name], ignore_case=_ignores_case(pattern, m.start()))

    return _PLACEHOLDER.sub(expand, pattern)


def _ignores_case(pattern: str, at: int) -> bool:
    """Whether position ``at`` of ``pattern`` lies in a case-insensitive scope: a leading
    ``(?i)`` or an enclosing ``(?i:…)`` group (scoped flags are all the veto patterns use)."""
    scopes = [pattern.startswith("(?i)")]
    i = 0
    while i < at:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a character class: its brackets are not groups ("]" first is a member)
            i += 1
            i += pattern.startswith("^", i)
            i += pattern.startswith("]", i)
            while i < at and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif ch == "(":
            flags = regex.match(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?:", pattern[i:])
            if flags is not None and "i" in flags.group(1):
                scopes.append(True)
            elif flags is not None and "i" in (flags.group(2) or ""):
                scopes.append(False)
            else:
                scopes.append(scopes[-1])
        elif ch == ")" and len(scopes) > 1:
            scopes.pop()
        i += 1
    return scopes[-1]


def _flat_words(pattern: str, words: dict[str, list[str]]) -> str:
    """``pattern`` with each ``{name}`` replaced by the flat alternation of its words, longest first."""

    def expand(m: regex.Match[str]) -> str:
        if m.group(1) not in words:
            raise ValueError(f"veto pattern {pattern!r}: no [words] list {m.group(1)!r}")
        return "(?:" + "|".join(regex.escape(w) for w in sorted(set(words[m.group(1)]), key=len, reverse=True)) + ")"

    return _PLACEHOLDER.sub(expand, pattern)


def _veto_anchored(vetoes: dict[str, Any]) -> tuple[regex.Pattern[str] | None, ...]:
    """Per veto pattern, its ``[anchors]`` form: ``(?<=(?P<lead>LEAD))TAIL`` for a pattern written
    ``LEAD`` + ``TAIL`` whose lead is listed. regex then tests the lead only behind a digit (the
    tail's first character) instead of at every word; the match runs from the ``lead`` group's
    start. Behind each digit the lookbehind, matched right to left, takes the longest word of a
    list first, so the earliest start: the span the pattern finds from the left (see
    ``quantities._anchored_spans`` for when it must be asked instead)."""
    patterns, anchors, words = vetoes.get("patterns", {}), vetoes.get("anchors", {}), vetoes.get("words", {})
    unknown = sorted(set(anchors) - set(patterns))
    if unknown:
        raise ValueError(f"veto anchors for unknown patterns {unknown}")
    out: list[regex.Pattern[str] | None] = []
    for name, pattern in patterns.items():
        lead = anchors.get(name)
        if lead is None:
            out.append(None)
            continue
        tail = pattern.removeprefix(lead)
        if tail == pattern or not tail.startswith(r"\d"):
            raise ValueError(f"veto pattern {name!r} does not start with its anchor lead and then \\d")
        out.append(regex.compile(rf"(?<!\d)(?<=(?P<lead>{_flat_words(lead, words)})){expand_words(tail, words)}"))
    return tuple(out)


def veto_patterns(code: str, vetoes: dict[str, Any] | None = None) -> dict[str, str]:
    """The ``[patterns]`` of a pack's ``vetoes.toml``, name → regex source, with the ``[words]``
    lists expanded (:func:`expand_words`)."""
    data = load_toml(code, "vetoes") if vetoes is None else vetoes
    words = data.get("words", {})
    return {name: expand_words(pat, words) for name, pat in data.get("patterns", {}).items()}


@dataclass(frozen=True)
class Pack:
    """A compiled language pack."""

    code: str
    data: dict[str, dict[str, Any]]
    numbers: NumberSpec
    unit_after: dict[str, str]  # alias → unit id
    unit_after_re: regex.Pattern[str]
    unit_gap: str  # characters that may stand between a number and its unit
    unit_before: dict[str, str]
    unit_before_re: regex.Pattern[str]
    unit_veto: dict[str, regex.Pattern[str]]
    per_map: dict[str, str]
    per_re: regex.Pattern[str]
    noun_unit: dict[str, str]  # lower-cased noun → person | household | count
    noun_re: regex.Pattern[str]
    not_counted: frozenset[str]
    fallback_word_re: regex.Pattern[str]
    veto_res: tuple[regex.Pattern[str], ...]  # one per pattern: alternated, they lose regex's literal prefilters
    veto_requires: tuple[tuple[str, ...], ...]  # per pattern: one of these (lower-case) must occur, or ()
    veto_screens: tuple[tuple[int, ...], ...]  # per [screens] entry: indices of its patterns
    qualifier_before: dict[str, regex.Pattern[str]]
    qualifier_before_words: dict[str, str]
    qualifier_after: dict[str, regex.Pattern[str]]
    comparative_re: regex.Pattern[str]
    comparison_after_re: regex.Pattern[str]
    up_re: regex.Pattern[str]
    down_re: regex.Pattern[str]
    to_level_re: regex.Pattern[str]
    target_after_re: regex.Pattern[str]
    target_before_re: regex.Pattern[str]
    share_re: regex.Pattern[str]
    growth_re: regex.Pattern[str]
    multiple_re: regex.Pattern[str]
    ratio_veto_re: regex.Pattern[str]
    range_re: regex.Pattern[str]
    range_opener_re: regex.Pattern[str]
    range_needs_opener: frozenset[str]
    bare_link_re: regex.Pattern[str]
    coordination_re: regex.Pattern[str]
    restate_re: regex.Pattern[str]
    compound_re: regex.Pattern[str]
    minor_re: regex.Pattern[str] | None
    money_unit: str | None
    money_min_scale: Decimal
    money_scale_words: frozenset[str]
    abbreviations: frozenset[str]
    fallback_enabled: bool
    fallback_segmenter: str | None
    max_plain_count: int
    # change/multiple cues written *after* the figure ("5% higher", "three times as much")
    up_after_re: regex.Pattern[str] | None = None
    down_after_re: regex.Pattern[str] | None = None
    multiple_after_re: regex.Pattern[str] | None = None
    # "raised the average price by 4.8%": a change verb, a few words, then "by" before the figure
    up_by_re: regex.Pattern[str] | None = None
    down_by_re: regex.Pattern[str] | None = None
    # words that are a whole quantity ("doubled" = 2 times): word → (value, unit id)
    self_quantities: dict[str, tuple[Decimal, str]] | None = None
    self_quantity_re: regex.Pattern[str] | None = None
    # scale suffixes read only after a currency prefix ("$5m" = 5 million, but "5m" = 5 metres)
    prefix_scales: dict[str, Decimal] | None = None
    prefix_scale_re: regex.Pattern[str] | None = None
    # a bare number takes the unit of a noun named earlier in its sentence ("population of 18 million")
    context_units: dict[str, str] | None = None
    context_unit_re: regex.Pattern[str] | None = None
    context_window: int = 0
    # a prefix alias is another word after these ("the percent of 18-year-olds"): alias → pattern
    unit_before_veto: dict[str, regex.Pattern[str]] | None = None
    # "75 USD million": a scale word after a money unit scales the amount
    scale_after_unit: bool = False
    # an after-unit read as another one when a cue precedes it in the sentence ("profit … 361
    # million pounds" is GBP): unit → (other unit, cue pattern, veto pattern after the unit)
    reread: dict[str, tuple[str, regex.Pattern[str], regex.Pattern[str] | None]] | None = None
    # per veto pattern: the same matches found from their first digit (vetoes.toml [anchors]), or None
    veto_anchored: tuple[regex.Pattern[str] | None, ...] = ()

    def option(self, section: str, key: str, default: Any = None) -> Any:
        return self.data.get("pack", {}).get(section, {}).get(key, default)


def _alias_map(section: dict[str, list[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for unit, aliases in section.items():
        for alias in aliases:
            out.setdefault(alias, unit)
    return out


def _title_variants(aliases: dict[str, str], spec: dict[str, Any]) -> dict[str, str]:
    """``aliases`` plus the Title-Case form of each lower-case word alias (headlines write
    ``8.1 Million Tonnes``, ``18 Pct``, ``41 Degrees Celsius``), when ``[title_case]`` asks for
    it: only aliases of ``min_letters`` or more, never the ``except`` words (``Ton`` in ``2 Ton
    Duc Thang Street`` is a street name), never over another alias."""
    if not spec.get("enabled", False):
        return aliases
    shortest = int(spec.get("min_letters", 3))
    skip = {w.lower() for w in spec.get("except", [])}
    out = dict(aliases)
    for alias, unit in aliases.items():
        if alias[:1].islower() and alias.replace(" ", "").isalpha() and len(alias) >= shortest and alias not in skip:
            out.setdefault(" ".join(w[:1].upper() + w[1:] for w in alias.split(" ")), unit)
    return out


def _coordination_re(spec: dict[str, Any]) -> regex.Pattern[str]:
    """What may join two figures that share one verb: a comma and/or a ``words`` conjunction,
    after an optional aspect (``aspect_preps`` + one or two lower-case words: "up 10.5 percent
    in volume and 23.2 percent", "tăng 10,5% về lượng và 23,2%")."""
    words = word_alternation(spec.get("words", []))
    aspect = (
        rf"[ \u00a0]+(?i:{word_alternation(spec.get('aspect_preps', []))})"
        rf"(?:[ \u00a0]+\p{{Ll}}[\p{{L}}\p{{M}}-]*){{1,2}}"
    )
    return regex.compile(
        rf"(?:{aspect}(?=[ \u00a0]*,?[ \u00a0]*(?i:{words})))?[ \u00a0]*,?[ \u00a0]*(?i:{words})?[ \u00a0]*"
    )


def _alias_regex(aliases: dict[str, str], *, gap: str) -> regex.Pattern[str]:
    return regex.compile(rf"{gap}({word_alternation(list(aliases))})")


@functools.cache
def load_pack(code: str) -> Pack:
    """Load and compile ``lang/<code>/`` (cached: compiled once per process)."""
    data = {name: load_toml(code, name) for name in PACK_FILES}
    if not data["pack"]:
        raise ValueError(f"E001 unknown language pack {code!r}; installed: {', '.join(available())}")
    units, nouns, cues, pack = data["units"], data["nouns"], data["cues"], data["pack"]
    title_case = units.get("title_case", {})
    unit_after = _title_variants(_alias_map(units.get("after", {})), title_case)
    unit_before = _alias_map(units.get("before", {}))
    veto_after = {
        variant: words
        for alias, words in units.get("veto_after", {}).items()
        for variant in _title_variants({alias: alias}, title_case)
    }
    unit_veto = {
        alias: regex.compile(rf"(?:[\s\u00a0]+|(?=/)){word_alternation(words)}")
        for alias, words in veto_after.items()
        if words
    }
    per_map = _title_variants({k: str(v) for k, v in units.get("per", {}).items()}, title_case)
    unit_gap = " \u00a0" + pack.get("units", {}).get("gap_chars", "")
    noun_unit: dict[str, str] = {}
    for unit in ("person", "household", "count"):
        for noun in nouns.get(unit, []):
            noun_unit.setdefault(noun.lower(), unit)
    not_counted = frozenset(w.lower() for w in nouns.get("not_counted", []))
    qual = cues.get("qualifier", {})
    before = qual.get("before", {})
    kind = cues.get("kind", {})
    comp = qual.get("comparative_words", {})
    rng = pack.get("range", {})
    defaults = pack.get("defaults", {})
    vetoes = veto_patterns(code, data["vetoes"])
    qualifier_before_words = {w: q for q, words in before.items() for w in words}
    self_q = {
        w: (Decimal(str(spec["value"])), str(spec["unit"]))
        for spec in units.get("self", [])
        for w in spec.get("words", [])
    }
    prefix_scales = {k: Decimal(str(v)) for k, v in units.get("prefix_scales", {}).items()}
    context_units = {
        w.lower(): unit
        for unit, words in nouns.get("context", {}).get("cues", {}).items()
        for w in words
    }
    return Pack(
        code=code,
        data=data,
        numbers=NumberSpec.from_data(data["numbers"]),
        unit_after=unit_after,
        unit_after_re=_alias_regex(unit_after, gap=f"[{regex.escape(unit_gap)}]?"),
        unit_gap=unit_gap,
        unit_before=unit_before,
        unit_before_re=regex.compile(rf"({word_alternation(list(unit_before))})[ \u00a0]?\Z"),
        unit_veto=unit_veto,
        per_map=per_map,
        per_re=regex.compile(
            rf"[ \u00a0]?(?:/|[ \u00a0]per[ \u00a0]|[ \u00a0]a[ \u00a0]|[ \u00a0]an[ \u00a0])[ \u00a0]?({word_alternation(list(per_map))})"
            # "$1 billion a year ago", "5% a year earlier": a point in time, not a denominator
            rf"(?![ \u00a0]+(?i:{word_alternation(pack.get('units', {}).get('per_not_before', []))}))"
        ),
        noun_unit=noun_unit,
        noun_re=regex.compile(
            rf"(?i:[ \u00a0]{_modifiers(nouns, not_counted, unit_after)}({trie_alternation(noun_unit, right=_NOT_AFTER_WORD, ignore_case=True)}))"
        ),
        not_counted=not_counted,
        fallback_word_re=regex.compile(
            nouns.get("fallback", {}).get("word", r"[ \u00a0]((?:\p{Ll}[\p{Ll}\p{M}]*))(?![\w-])")
        ),
        veto_res=tuple(regex.compile(pat) for pat in vetoes.values()),
        veto_requires=tuple(
            tuple(w.lower() for w in data["vetoes"].get("requires", {}).get(name, [])) for name in vetoes
        ),
        veto_screens=_veto_screens(list(vetoes), data["vetoes"].get("screens", {})),
        veto_anchored=_veto_anchored(data["vetoes"]),
        qualifier_before={q: _compile_end(words) for q, words in before.items()},
        qualifier_before_words=qualifier_before_words,
        qualifier_after={q: _compile_start(words) for q, words in qual.get("after", {}).items()},
        comparative_re=_compile_end(comp.get("words", [])),
        comparison_after_re=regex.compile(
            rf"[^.;:!?\n]{{0,60}}?{word_alternation(comp.get('followed_by', []) + kind.get('comparison', []))}"
        ),
        up_re=_compile_end(kind.get("up", [])),
        down_re=_compile_end(kind.get("down", [])),
        to_level_re=_compile_end(kind.get("to_level", [])),
        target_after_re=_compile_start(kind.get("target_after", [])),
        target_before_re=_compile_end(kind.get("target_before", [])),
        share_re=regex.compile(f"(?i:{word_alternation(kind.get('share_before', []))})"),
        growth_re=regex.compile(f"(?i:{word_alternation(kind.get('growth_subjects', []))})"),
        restate_re=regex.compile(
            rf"[\s\u00a0,;]*(?i:{word_alternation(kind.get('restate', []))})?[\s\u00a0]*"
        ),
        multiple_re=_compile_end(kind.get("multiple_before", [])),
        ratio_veto_re=_compile_end(cues.get("ratio", {}).get("veto_before", [])),
        range_re=regex.compile(
            rf"[ \u00a0]*({word_alternation(rng.get('connectors', []) + rng.get('needs_opener', []))})[ \u00a0]*"
        ),
        range_opener_re=_compile_end(rng.get("openers", [])),
        range_needs_opener=frozenset(rng.get("needs_opener", [])),
        bare_link_re=regex.compile(
            rf"[ \u00a0]*{word_alternation(pack.get('bare_link', {}).get('joiners', []))}[ \u00a0]*"
        ),
        coordination_re=_coordination_re(pack.get("coordination", {})),
        compound_re=regex.compile(
            rf"[ \u00a0]*(?:{word_alternation(pack.get('compound_money', {}).get('joiners', []))}[ \u00a0]*)?"
        ),
        minor_re=(
            regex.compile(rf"[ \u00a0]*{word_alternation(minor)}")
            if (minor := pack.get("compound_money", {}).get("minor_units"))
            else None
        ),
        money_unit=defaults.get("money_unit"),
        money_min_scale=Decimal(str(defaults.get("money_min_scale", "1e100"))),
        money_scale_words=frozenset(w.lower() for w in defaults.get("money_scale_words", [])),
        abbreviations=frozenset(pack.get("sentences", {}).get("abbreviations", [])),
        fallback_enabled=bool(nouns.get("fallback", {}).get("enabled", False)),
        fallback_segmenter=nouns.get("fallback", {}).get("segmenter"),
        max_plain_count=int(nouns.get("fallback", {}).get("max_value_without_separator", 1899)),
        up_after_re=_compile_start(kind["up_after"]) if kind.get("up_after") else None,
        down_after_re=_compile_start(kind["down_after"]) if kind.get("down_after") else None,
        multiple_after_re=_compile_start(kind["multiple_after"]) if kind.get("multiple_after") else None,
        up_by_re=_compile_by(kind.get("up_by", [])),
        down_by_re=_compile_by(kind.get("down_by", [])),
        self_quantities=self_q or None,
        self_quantity_re=(
            regex.compile(
                rf"(?i:{trie_alternation(self_q, left=_NOT_BEFORE_WORD, right=_NOT_AFTER_WORD, ignore_case=True)})"
            )
            if self_q
            else None
        ),
        prefix_scales=prefix_scales or None,
        context_units=context_units or None,
        context_unit_re=(
            # the cue, then no sentence end (". " or ";") before the number
            regex.compile(rf"(?i:({word_alternation(list(context_units))}))(?:(?![.!?;](?:\s|\Z))[^\n])*\Z")
            if context_units
            else None
        ),
        context_window=int(nouns.get("context", {}).get("window", 0)),
        unit_before_veto={
            alias: regex.compile(rf"(?:{'|'.join(patterns)})[ \u00a0]*\Z")
            for alias, patterns in units.get("veto_before", {}).items()
            if patterns
        } or None,
        scale_after_unit=bool(pack.get("compound_money", {}).get("scale_after_unit", False)),
        reread={
            r["unit"]: (
                str(r["as"]),
                # a cue, then no sentence end before the figure (as context units)
                regex.compile(rf"(?i:{word_alternation(r['cues'])})(?:(?![.!?;](?:\s|\Z))[^\n])*\Z"),
                regex.compile(rf"[ \u00a0]+{word_alternation(r['unless_followed_by'])}")
                if r.get("unless_followed_by")
                else None,
            )
            for r in units.get("reread", [])
        } or None,
        prefix_scale_re=(
            regex.compile(rf"[ \u00a0]?({word_alternation(list(prefix_scales))})") if prefix_scales else None
        ),
    )


def _veto_screens(names: list[str], screens: dict[str, list[str]]) -> tuple[tuple[int, ...], ...]:
    """``[screens]`` of vetoes.toml as pattern indices; a pattern belongs to one screen at most."""
    seen: set[str] = set()
    out = []
    for screen, members in screens.items():
        unknown = sorted(set(members) - set(names))
        if unknown or seen & set(members):
            bad = unknown or sorted(seen & set(members))
            raise ValueError(f"veto screen {screen!r}: unknown or repeated patterns {bad}")
        seen |= set(members)
        out.append(tuple(names.index(m) for m in members))
    return tuple(out)


def _compile_by(verbs: list[str]) -> regex.Pattern[str] | None:
    """``verb … by`` ending the left context (at most 6 words between, no clause break)."""
    if not verbs:
        return None
    return regex.compile(
        rf"(?i:{word_alternation(verbs)})(?:[ \u00a0]+[^\s.,;:!?]+){{0,6}}?[ \u00a0]+by[ \u00a0]*\Z"
    )


def _modifiers(nouns: dict[str, Any], stop: frozenset[str], units: dict[str, str]) -> str:
    """Up to ``[modifiers] max_words`` lower-case words allowed between a number and its noun."""
    n = int(nouns.get("modifiers", {}).get("max_words", 0))
    if n <= 0:
        return ""
    # tried after a space only (no left bound); a prefix tree, and inside (?!…) only whether some
    # word matches counts, not which is tried first (so case variants need no flat fallback)
    # a hyphen continues a modifier word: "first-year" is not the stop word "first"
    blocked = trie_alternation(stop | set(units), right=r"(?![\p{L}\p{M}\d\-])")
    # a hyphenated code may end in digits ("266 million COVID-19 vaccine doses"); "5,000 5G stations"
    return rf"(?:(?!{blocked})(?:\p{{Ll}}[\p{{Ll}}\-]*(?:(?<=-)\d+)?|[2-6]G)[ \u00a0]){{0,{n}}}?"
