"""Claims → indicator observations: subject, indicator key, period and links.

* **subject**: :mod:`extractor.subjects` (gazetteer of units before and after the 2025 merger);
* **indicator key**: the indicator phrase normalised (lowercase, diacritics kept, verbs and
  qualifiers stripped) and looked up in ``lang/indicator_catalogue.toml``, so that
  ``kim ngạch xuất khẩu cà phê`` and ``coffee export turnover`` share ``kim ngạch xuất khẩu|cà phê``;
  a phrase the catalogue does not know keeps its normalised form;
* **period**: :func:`extractor.periods.resolve_periods` (year, quarter, half, months, crop year,
  term, day) → ``period_label``/``period_start``/``period_end``, and ``base_period`` for changes;
* **links**: a change, multiple, attainment or share points (``linked_claim``) at the level it
  qualifies, and ``linked_claims`` lists every such level (``tăng 6-7%. Cụ thể, … từ 156.000 lên
  167.000 …, từ 132.000 lên 141.000 …``: each itemised current level); a level that is the
  comparison base of another (``từ 156.000 lên 167.000``, ``… last year which stood at 270,000``)
  points at the current level, and a change or multiple names that base (``base_claim``);
* **subject_successor**: the unit that took the subject over in the 1 July 2025 merger.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import regex

from extractor.indicators import analyse_indicators
from extractor.periods import Period, resolve_periods, sentence_index, sentence_table, updated
from extractor.records import Article, Claim, Observation
from extractor.subjects import subjects_for, successor_name

__all__ = ["Links", "catalogue_key", "claim_links", "link_claims", "normalise_indicator", "observe_article"]

_PUNCT = regex.compile(r"[^\p{L}\p{M}\p{N}\s|/-]+")
_SPACES = regex.compile(r"\s+")
# "tăng từ 156.000 lên 167.000": the first is the base of the second
_BASE_TO_CURRENT = regex.compile(r"^\s*(?:\)\s*)?(?:lên|xuống|xuống còn|lên mức|to|up to|down to)\s*$", regex.IGNORECASE)
# "giảm 0,53% (29 USD/tấn), xuống còn 5.484 USD/tấn": the level after is the current
_CHANGE_TO_CURRENT = regex.compile(
    r"(?:xuống còn|lên mức|lên|còn|về mức|về ở mức|về|to|reaching|at)\s*(?:mức\s*)?$", regex.IGNORECASE
)
_ITEMISED = regex.compile(r"\s*(?:Cụ thể|Specifically|In particular|In detail)", regex.IGNORECASE)
_COMPARE = regex.compile(r"(?:so với|so|than|compared (?:to|with))\s+(?P<what>[^,;.()]{2,60})", regex.IGNORECASE)
_DATEISH = regex.compile(r"(?:ngày|hôm|năm|tháng|on|in)?\s*\d[\d/.-]*", regex.IGNORECASE)
_BASE_REACH = 3000  # a named base level is looked for this many characters back at most
_STAND = regex.compile(r"(?:which|that)?\s*(?:stood at|was|were|reached)\s*$|(?:ở mức|là)\s*$", regex.IGNORECASE)


@functools.cache
def _catalogue() -> tuple[list[tuple[str, str, str, frozenset[str]]], list[tuple[str, str]]]:
    """(alias, lang, key, units) longest first; and (alias, commodity key)."""
    path = resources.files("extractor.lang").joinpath("indicator_catalogue.toml")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = []
    for entry in data.get("indicator", []):
        units = frozenset(entry.get("units", []))
        for lang in ("vi", "en"):
            for alias in entry.get(lang, []):
                entries.append((normalise_indicator(alias), lang, entry["key"], units))
    entries.sort(key=lambda e: -len(e[0]))
    commodities = []
    for entry in data.get("commodity", []):
        for alias in entry.get("vi", []) + entry.get("en", []):
            commodities.append((normalise_indicator(alias), entry["key"]))
    commodities.sort(key=lambda e: -len(e[0]))
    return entries, commodities


@functools.cache
def _strip_words(lang: str) -> frozenset[str]:
    from extractor.lang import load_toml

    data = load_toml(lang, "indicators")
    words = set(data.get("strip_in_key", []))
    return frozenset(w.lower() for w in words)


@functools.cache
def _key_cut(lang: str) -> regex.Pattern[str]:
    from extractor.lang import load_toml, word_alternation

    words = load_toml(lang, "indicators").get("key_cut", [])
    return regex.compile(rf"\s(?:{word_alternation(words)})\s.*$" if words else "(?!)", regex.IGNORECASE)


def normalise_indicator(phrase: str | None, *, lang: str = "vi") -> str:
    """Lowercase, punctuation and listed verbs/qualifiers removed, diacritics kept."""
    if not phrase:
        return ""
    text = _key_cut(lang).sub("", " " + phrase.lower() + " ") if lang in ("vi", "en") else phrase.lower()
    text = _PUNCT.sub(" ", text)
    words = [w for w in _SPACES.split(text) if w and w not in ("-",)]
    drop = _strip_words(lang) if lang in ("vi", "en") else frozenset()
    if drop:
        joined = " " + " ".join(words) + " "
        for d in sorted(drop, key=len, reverse=True):
            joined = joined.replace(f" {d} ", " ")
        words = joined.split()
    return " ".join(words)


def _contains(hay: str, needle: str) -> bool:
    return f" {needle} " in f" {hay} "


def catalogue_key(phrase: str | None, *, unit: str | None = None, lang: str = "vi") -> str | None:
    """Shared key of an indicator phrase (catalogue entry, plus its commodity if any)."""
    norm = normalise_indicator(phrase, lang=lang)
    if not norm:
        return None
    entries, commodities = _catalogue()
    key = None
    for alias, _lang, k, units in entries:
        if units and unit is not None and unit not in units:
            continue
        if _contains(norm, alias):
            key = k
            break
    if key is None:
        return norm
    for alias, ck in commodities:
        if _contains(norm, alias):
            return f"{key}|{ck}"
    return key


@dataclass(frozen=True, slots=True)
class Links:
    """How one claim is linked: the level it qualifies (``primary``, the first of ``all``) and,
    for a change or multiple, the base level it is measured from."""

    primary: int | None = None
    all: tuple[int, ...] = ()
    base: int | None = None


def link_claims(text: str, claims: Sequence[Claim], *, lang: str) -> list[int | None]:
    """Index (into ``claims``) of the level each claim qualifies or is the base of, else None."""
    return [lk.primary for lk in claim_links(text, claims, lang=lang)]


def claim_links(text: str, claims: Sequence[Claim], *, lang: str) -> list[Links]:
    """Links of each claim: every level it qualifies (a change stated once for several itemised
    pairs qualifies each), the level a base points at, and the base of a change or multiple."""
    rows = sentence_table(text, lang)
    sent = [sentence_index(rows, c.start) for c in claims]
    order = sorted(range(len(claims)), key=lambda k: claims[k].start)
    pos = {k: p for p, k in enumerate(order)}
    links: list[int | None] = [None] * len(claims)
    extra: dict[int, list[int]] = {}  # further levels an itemised change qualifies
    by_sent: dict[int, list[int]] = {}
    for k in order:
        by_sent.setdefault(sent[k], []).append(k)

    def is_level(k: int) -> bool:
        return claims[k].kind in ("level", "ratio")

    for p, i in enumerate(order):
        c = claims[i]
        if c.kind not in ("change", "multiple", "target", "share"):
            continue
        same = by_sent[sent[i]]
        before = [k for k in same if pos[k] < p and is_level(k)]
        after = [k for k in same if pos[k] > p and is_level(k)]
        target: int | None = None
        # "giảm 0,53% (29 USD/tấn), xuống còn 5.484 USD/tấn"
        if c.kind == "change" and after:
            k = after[0]
            between = [j for j in same if p < pos[j] < pos[k] and claims[j].kind == "change"]
            gap = text[claims[between[-1]].end if between else c.end : claims[k].start]
            if _CHANGE_TO_CURRENT.search(gap) and ";" not in gap:
                target = k
        if target is None and before:
            target = before[-1]
        if target is None and c.kind in ("change", "multiple"):
            # "đề xuất tăng 6-7%. Cụ thể, giá … từ 156.000 lên 167.000": the first itemised level
            nxt = [k for k in by_sent.get(sent[i] + 1, []) if is_level(k)]
            if nxt and rows and _ITEMISED.match(text, rows[sent[i] + 1].start):
                bases = [k for k in nxt if _BASE_TO_CURRENT.match(text[claims[k].end : claims[nxt[nxt.index(k) + 1]].start]
                                                                    if nxt.index(k) + 1 < len(nxt) else "x")]
                currents = [k for k in nxt if k not in bases] or nxt[:1]
                target = currents[0]
                extra[i] = currents[1:]
        links[i] = target
        # the base of a change or multiple: "… doubling … last year which stood at 270,000"
        if c.kind in ("change", "multiple") and target is not None:
            for k in after:
                if k == target or claims[k].unit != claims[target].unit:
                    continue
                gap = text[c.end : claims[k].start]
                if _STAND.search(gap) and ";" not in gap:
                    links[k] = target
                    break
            # "tăng gần 7% so với mức giá cơ sở": an earlier level named like the comparison
            m = _COMPARE.search(text, c.end, min(len(text), c.end + 80))
            if m and m.start() - c.end < 20:
                what = normalise_indicator(_DATEISH.sub(" ", m.group("what")))
                words = [w for w in what.split() if len(w) > 1 and not w.isdigit()][-3:]
                for k in reversed(order[:p]):
                    if claims[k].end < c.start - _BASE_REACH:
                        break
                    if k == target or not is_level(k) or claims[k].unit != claims[target].unit or links[k] is not None:
                        continue
                    ind = normalise_indicator(claims[k].indicator)
                    if words and any(_contains(ind, w) for w in words[-2:]) and _contains(ind, words[-1]):
                        links[k] = target
                        break
    # "từ 156.000 lên 167.000 đồng/kg": the base level points at the current one
    for p, i in enumerate(order[:-1]):
        j = order[p + 1]
        if is_level(i) and is_level(j) and sent[i] == sent[j] and links[i] is None:
            gap = text[claims[i].end : claims[j].start]
            if _BASE_TO_CURRENT.match(gap) and (claims[i].unit == claims[j].unit or claims[i].per is None):
                links[i] = j
    # the base of a change or multiple: the level that points at the current level it qualifies
    bases_of: dict[int, list[int]] = {}
    for k in order:
        t = links[k]
        if t is not None and is_level(k):
            bases_of.setdefault(t, []).append(k)
    out: list[Links] = []
    for i, c in enumerate(claims):
        t = links[i]
        if t is None:
            out.append(Links())
            continue
        base = None
        if c.kind in ("change", "multiple"):
            before = [k for k in bases_of.get(t, []) if k != i and claims[k].start < claims[t].start]
            cands = before or [k for k in bases_of.get(t, []) if k != i]
            base = cands[-1] if before else (cands[0] if cands else None)
        out.append(Links(t, (t, *extra.get(i, ())), base))
    return out


def _dates(period: Period | None) -> tuple[str | None, object, object]:
    if period is None:
        return None, None, None
    return period.label, period.start, period.end


def observe_article(article: Article, claims: list[Claim]) -> list[Observation]:
    """One observation per claim (same order): subject, indicator key, period, links."""
    if not claims:
        return []
    text = article.text
    lang = article.lang or claims[0].lang or "vi"
    periods = resolve_periods(text, claims, lang=lang, date=article.date)
    if any(c.indicator is None for c in claims):
        labels = [i.label for i in analyse_indicators(text, claims, lang=lang)]
    else:
        labels = [c.indicator for c in claims]
    labels = [c.indicator or lab for c, lab in zip(claims, labels, strict=True)]
    subjects = subjects_for(text, claims, lang=lang)
    links = claim_links(text, [updated(c, indicator=lab) for c, lab in zip(claims, labels, strict=True)], lang=lang)
    out: list[Observation] = []
    for idx, (c, per, label, subj, link) in enumerate(zip(claims, periods, labels, subjects, links, strict=True)):
        plabel, pstart, pend = _dates(per.period)
        out.append(
            Observation(
                article_id=article.id,
                claim_index=idx,
                subject=subj.name if subj else None,
                subject_code=subj.code if subj else None,
                subject_successor=successor_name(subj),
                indicator_key=catalogue_key(label, unit=c.unit, lang=c.lang or lang),
                indicator_label=label,
                period_label=plabel,
                period_start=pstart,  # type: ignore[arg-type]
                period_end=pend,  # type: ignore[arg-type]
                base_period=per.base.label if per.base else None,
                value=c.value,
                value_max=c.value_max,
                low=c.low,
                high=c.high,
                unit=c.unit,
                per=c.per,
                kind=c.kind,
                direction=c.direction,
                qualifier=c.qualifier,
                linked_claim=link.primary,
                linked_claims=list(link.all),
                base_claim=link.base,
                start=c.start,
                end=c.end,
                text=c.text,
                lang=c.lang or lang,
            )
        )
    return out
