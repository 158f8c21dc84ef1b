"""Relation detection: which claims of an article the text itself relates, from cue words.

Works from the text and the claims alone (no gold annotations): cue words between and around the
claims (``trong đó``, ``gồm``, ``từ … lên …``, ``so với``, ``đạt X% kế hoạch``, ``chiếm``, ``gấp``,
``of which``, ``up from``, ``accounting for``) and repeated mentions of one figure. Each detector is
a small function ``(doc) -> list[Relation | Implied]``.

``strength`` says how sure the detector is that the text states the relation: ``strong`` (the cue
ties the figures in one clause) or ``weak`` (across sentences, or a loose cue); a broken weak
relation is reported one severity lower.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from extractor.checks.cues import Cues, load_cues
from extractor.checks.intervals import claim_interval
from extractor.records import Article, Claim

__all__ = ["Doc", "Implied", "Relation", "detect"]


@dataclass(frozen=True)
class Relation:
    """An arithmetic relation the text states between claims (indices into ``Doc.claims``)."""

    type: str  # sum, part, growth, target, share, multiple, same
    members: dict[str, int | tuple[int, ...] | None]
    strength: str = "strong"
    mode: str = ""  # growth: relative|absolute|either|direction; multiple: times|times_or_plus; sum: complete|open
    cue: str = ""

    def indices(self) -> list[int]:
        out: list[int] = []
        for value in self.members.values():
            if value is None:
                continue
            if isinstance(value, tuple):
                out.extend(value)
            else:
                out.append(value)
        return out

    def key(self) -> tuple:
        return (self.type, tuple(sorted(self.indices())))


@dataclass(frozen=True)
class Implied:
    """A value the text implies but does not state (the 2022 base, the plan, the whole, the rest)."""

    type: str  # base, target, whole, rest
    members: dict[str, int | tuple[int, ...] | None]
    label: str = ""
    mode: str = ""


@dataclass
class Doc:
    """An article's text and claims, with the look-ups the detectors share."""

    text: str
    claims: list[Claim]
    lang: str
    cues: Cues
    title_end: int
    sentences: list[tuple[int, int]] = field(default_factory=list)
    _clauses: list[tuple[int, int]] = field(default_factory=list, repr=False)

    @classmethod
    def build(cls, article: Article, claims: list[Claim]) -> Doc:
        lang = article.lang or (claims[0].lang if claims else "vi")
        text = article.text
        first_break = text.find("\n")
        ordered = sorted(claims, key=lambda c: (c.start, c.end))
        sentences = sorted({(c.sentence_start, c.sentence_end) for c in ordered})
        return cls(
            text=text,
            claims=ordered,
            lang=lang,
            cues=load_cues(lang),
            title_end=first_break if first_break >= 0 else 0,
            sentences=sentences,
        )

    # ------------------------------------------------------------------ positions
    def sent(self, i: int) -> tuple[int, int]:
        c = self.claims[i]
        return c.sentence_start, c.sentence_end

    def sent_index(self, i: int) -> int:
        return self.sentences.index(self.sent(i))

    def same_sentence(self, i: int, j: int) -> bool:
        return self.sent(i) == self.sent(j)

    def clause(self, i: int) -> tuple[int, int]:
        """The clause of claim ``i``: its sentence cut at ``;`` (cached)."""
        if not self._clauses:
            self._clauses = [self._clause(k) for k in range(len(self.claims))]
        return self._clauses[i]

    def _clause(self, i: int) -> tuple[int, int]:
        s0, s1 = self.sent(i)
        c = self.claims[i]
        before = self.text.rfind(";", s0, c.start)
        after = self.text.find(";", c.end, s1)
        return (before + 1 if before >= 0 else s0, after if after >= 0 else s1)

    def same_clause(self, i: int, j: int) -> bool:
        return self.clause(i) == self.clause(j)

    def gap(self, i: int, j: int) -> str:
        return self.text[self.claims[i].end : self.claims[j].start]

    def left(self, i: int, width: int = 60) -> str:
        s0, _ = self.clause(i)
        c = self.claims[i]
        return self.text[max(s0, c.start - width) : c.start]

    def right(self, i: int, width: int = 60) -> str:
        _, s1 = self.clause(i)
        c = self.claims[i]
        return self.text[c.end : min(s1, c.end + width)]

    def in_title(self, i: int) -> bool:
        return self.claims[i].start < self.title_end

    def indicator_equal(self, i: int, j: int) -> bool:
        a, b = self.claims[i].indicator, self.claims[j].indicator
        return bool(a and b and a.strip().lower() == b.strip().lower())

    def in_sentence(self, span: tuple[int, int]) -> list[int]:
        return [k for k, c in enumerate(self.claims) if (c.sentence_start, c.sentence_end) == span]

    def next_sentence_text(self, span: tuple[int, int], width: int = 40) -> tuple[int, str]:
        """Start and first characters of the sentence after ``span``."""
        k = span[1]
        while k < len(self.text) and self.text[k] in " \n\t.!?":
            k += 1
        return k, self.text[k : k + width]


# ---------------------------------------------------------------------- claim predicates


def _noun_head(noun: str | None) -> str:
    return (noun or "").strip().lower().split(" ")[0] if noun else ""


def compatible(a: Claim, b: Claim) -> bool:
    """Same dimension: unit, rate denominator, and counted noun (when both have one)."""
    if a.unit != b.unit or (a.per or None) != (b.per or None):
        return False
    if a.unit == "count" and a.noun and b.noun:
        return _noun_head(a.noun) == _noun_head(b.noun)
    return True


def is_level(c: Claim) -> bool:
    return c.kind == "level"


def _stripped_gap(doc: Doc, i: int, j: int) -> str:
    """Text between claims ``i`` < ``j`` with the claims in between removed."""
    pieces = []
    pos = doc.claims[i].end
    for k in range(i + 1, j):
        ck = doc.claims[k]
        pieces.append(doc.text[pos : ck.start])
        pos = ck.end
    pieces.append(doc.text[pos : doc.claims[j].start])
    return " ".join(pieces)


def attached_level(doc: Doc, i: int, *, kinds: tuple[str, ...] = ("level",), max_gap: int = 60) -> int | None:
    """The figure a change/target/share/multiple at ``i`` qualifies: the nearest level before it
    in the same clause (other changes and targets between them are skipped)."""
    for j in range(i - 1, -1, -1):
        cj = doc.claims[j]
        if not doc.same_clause(i, j):
            return None
        if cj.kind in kinds:
            gap = _stripped_gap(doc, j, i)
            if len(gap) > max_gap:
                return None
            return j
        if cj.kind not in ("change", "target", "multiple", "share"):
            return None
    return None


# ---------------------------------------------------------------------- detectors

Detector = Callable[[Doc], Iterator["Relation | Implied"]]


def _breakdowns(doc: Doc) -> Iterator[Relation | Implied]:
    """``T, trong đó A … và B …`` / ``T, of which A and B``: sum (≥ 2 parts) or part (1)."""
    cues = doc.cues
    n = len(doc.claims)
    for t in range(n):
        total = doc.claims[t]
        if not is_level(total):
            continue
        nxt = next((k for k in range(t + 1, n) if doc.same_clause(t, k)), None)
        if nxt is None:
            continue
        gap = doc.gap(t, nxt)
        m = cues.search("breakdown.cues", gap)
        if m is None or len(gap) > 45:
            continue
        parts: list[int] = []
        for k in range(t + 1, n):
            if not doc.same_clause(t, k):
                break
            ck = doc.claims[k]
            if compatible(total, ck) and is_level(ck):
                parts.append(k)
        if not parts:
            continue
        tail = doc.text[doc.claims[parts[-1]].end : doc.clause(parts[-1])[1]]
        rest_stated = cues.has("breakdown.remainder", tail) or cues.has("breakdown.remainder", _stripped_gap(doc, t, parts[-1]))
        if len(parts) == 1 and not rest_stated:
            yield Relation("part", {"part": parts[0], "whole": t}, "strong", cue=m.group(0))
            continue
        before_last = _stripped_gap(doc, parts[-2], parts[-1]) if len(parts) > 1 else ""
        complete = cues.has("breakdown.complete", m.group(0)) or (
            total.unit == "count" and bool(cues.search("breakdown.last_join", before_last))
        )
        if rest_stated:
            yield Relation("sum", {"total": t, "parts": tuple(parts)}, "strong", mode="open", cue=m.group(0))
            yield Implied("rest", {"total": t, "parts": tuple(parts)})
            continue
        closed = bool(cues.search("breakdown.last_join", before_last))
        mode = "complete" if complete else ("closed" if closed else "open")
        yield Relation("sum", {"total": t, "parts": tuple(parts)}, "strong", mode=mode, cue=m.group(0))


def _breakdown_next_sentence(doc: Doc) -> Iterator[Relation | Implied]:
    """``… đạt 40 tỉ USD. Trong đó, nông sản 21,4 tỉ USD, thủy sản 7,2 tỉ USD …`` (weak: the cue may
    refer to the whole previous sentence)."""
    cues = doc.cues
    for si in range(1, len(doc.sentences)):
        span = doc.sentences[si]
        m = cues.starts("breakdown.cues", doc.text[span[0] : span[0] + 25])
        if m is None:
            continue
        prev = [k for k in doc.in_sentence(doc.sentences[si - 1]) if is_level(doc.claims[k])]
        here = [k for k in doc.in_sentence(span) if is_level(doc.claims[k])]
        if not prev or not here:
            continue
        total = prev[-1]
        parts = tuple(k for k in here if compatible(doc.claims[total], doc.claims[k]))
        if not parts:
            continue
        if len(parts) == 1:
            yield Relation("part", {"part": parts[0], "whole": total}, "weak", cue=m.group(0).strip(" ,"))
        else:
            yield Relation("sum", {"total": total, "parts": parts}, "weak", mode="closed", cue=m.group(0).strip(" ,"))


def _whole_first(doc: Doc) -> Iterator[Relation | Implied]:
    """``trong 16 chỉ tiêu …, có 9 chỉ tiêu …, 4 chỉ tiêu …, các chỉ tiêu còn lại …``."""
    cues = doc.cues
    n = len(doc.claims)
    for w in range(n):
        whole = doc.claims[w]
        if not is_level(whole) or whole.unit not in ("count", "person", "household"):
            continue
        left = doc.text[max(doc.clause(w)[0], whole.start - 25) : whole.start]
        if not cues.ends("whole_first.before_whole", left):
            continue
        if w > 0 and doc.same_clause(w - 1, w) and doc.claims[w - 1].end > whole.start - 20:
            continue  # "1 trong 6": handled by _part_between
        parts = [
            k
            for k in range(w + 1, n)
            if doc.same_clause(w, k) and is_level(doc.claims[k]) and compatible(whole, doc.claims[k])
        ]
        if not parts:
            continue
        tail = doc.text[doc.claims[parts[-1]].end : doc.clause(parts[-1])[1]]
        for p in parts:
            yield Relation("part", {"part": p, "whole": w}, "strong", cue="trong")
        if len(parts) > 1:
            yield Relation("sum", {"total": w, "parts": tuple(parts)}, "strong", mode="open", cue="trong")
        if cues.has("breakdown.remainder", tail):
            yield Implied("rest", {"total": w, "parts": tuple(parts)})


def _part_between(doc: Doc) -> Iterator[Relation | Implied]:
    """``1 trong 6 công trình``, ``3 of the 10 provinces``, ``42.000 tấn, nâng tổng … lên 2,5 triệu tấn``."""
    cues = doc.cues
    for p in range(len(doc.claims) - 1):
        w = p + 1
        a, b = doc.claims[p], doc.claims[w]
        if not doc.same_clause(p, w) or not is_level(a) or not is_level(b):
            continue
        if a.unit != b.unit or (a.per or None) != (b.per or None):
            continue
        gap = doc.gap(p, w)
        stripped = gap.strip(" ,")
        if stripped and re.fullmatch(rf"(?:{cues.patterns['part_between.cues'].pattern})", stripped, re.IGNORECASE):
            yield Relation("part", {"part": p, "whole": w}, "strong", cue=stripped)
        elif cues.has("part_total.cues", gap) and len(gap) < 120:
            yield Relation("part", {"part": p, "whole": w}, "strong", cue="total")


def _cumulative(doc: Doc) -> Iterator[Relation | Implied]:
    """A cumulative stock (``Lũy kế đến nay … 198 dự án``) holds the new items of the sentence before."""
    cues = doc.cues
    for si, span in enumerate(doc.sentences):
        head = doc.text[span[0] : span[0] + 30]
        if not cues.search("cumulative.cues", head) or si == 0:
            continue
        prev = doc.in_sentence(doc.sentences[si - 1])
        for w in doc.in_sentence(span):
            if not is_level(doc.claims[w]):
                continue
            for p in prev:
                if is_level(doc.claims[p]) and compatible(doc.claims[p], doc.claims[w]):
                    yield Relation("part", {"part": p, "whole": w}, "weak", cue="cumulative")


def _ranking(doc: Doc) -> Iterator[Relation | Implied]:
    """``The Philippines topped the list with 902,100 tonnes, followed by …`` after a total."""
    cues = doc.cues
    for si, span in enumerate(doc.sentences):
        if not cues.search("ranking.cues", doc.text[span[0] : span[1]]):
            continue
        items = [k for k in doc.in_sentence(span) if is_level(doc.claims[k])]
        if not items:
            continue
        for back in range(si - 1, max(-1, si - 4), -1):
            whole = [
                w
                for w in doc.in_sentence(doc.sentences[back])
                if is_level(doc.claims[w]) and compatible(doc.claims[w], doc.claims[items[0]])
            ]
            if whole:
                for p in items:
                    if compatible(doc.claims[p], doc.claims[whole[-1]]):
                        yield Relation("part", {"part": p, "whole": whole[-1]}, "weak", cue="ranking")
                break


def _direction_words(doc: Doc, text: str) -> str | None:
    """``up``/``down`` from the last direction verb in ``text``."""
    up = [m.end() for m in doc.cues.patterns["growth.up"].finditer(text)]
    down = [m.end() for m in doc.cues.patterns["growth.down"].finditer(text)]
    if not up and not down:
        return None
    return "up" if (max(up) if up else -1) > (max(down) if down else -1) else "down"


def _growth_mode(level: Claim, change: Claim) -> str:
    if change.unit == level.unit and (change.per or None) == (level.per or None):
        return "either" if level.unit == "percent" else "absolute"
    if change.unit == "percent":
        return "relative"
    return ""


def _change_for_pair(doc: Doc, a: int, b: int) -> int | None:
    """The change stated with a ``từ A lên B`` pair: right after B or right before A, same clause."""
    n = len(doc.claims)
    for k in range(b + 1, n):
        ck = doc.claims[k]
        if not doc.same_clause(b, k) or len(_stripped_gap(doc, b, k)) > 25:
            break
        if ck.kind == "change":
            return k
        if ck.kind == "level":
            break
    for k in range(a - 1, -1, -1):
        ck = doc.claims[k]
        if not doc.same_clause(a, k) or len(_stripped_gap(doc, k, a)) > 25:
            break
        if ck.kind == "change":
            return k
        if ck.kind == "level":
            break
    return None


def _from_to(doc: Doc) -> Iterator[Relation | Implied]:
    """``tăng từ A lên B (tăng C)`` / ``from A to B``, and level sequences ``A, tăng lên B``."""
    cues = doc.cues
    for a in range(len(doc.claims) - 1):
        b = a + 1
        ca, cb = doc.claims[a], doc.claims[b]
        if not doc.same_clause(a, b) or not is_level(ca) or not is_level(cb) or not compatible(ca, cb):
            continue
        gap = doc.gap(a, b)
        left = doc.text[max(doc.clause(a)[0], ca.start - 30) : ca.start]
        pair = bool(cues.ends("growth.from", left)) and bool(
            re.fullmatch(rf"\s*(?:{cues.patterns['growth.to'].pattern})\s*", gap, re.IGNORECASE)
        )
        sequence = bool(re.fullmatch(rf"[\s,]*(?:{cues.patterns['growth.sequence'].pattern})\s*", gap, re.IGNORECASE))
        if not pair and not sequence:
            continue
        direction = None
        if cues.has("growth.to_up", gap):
            direction = "up"
        elif cues.has("growth.to_down", gap):
            direction = "down"
        if direction is None:
            direction = _direction_words(doc, gap if sequence else left)
        c = _change_for_pair(doc, a, b) if pair else None
        if c is not None:
            mode = _growth_mode(cb, doc.claims[c])
            if mode:
                yield Relation("growth", {"current": b, "change": c, "base": a}, "strong", mode=mode, cue="from-to")
                continue
        if direction is not None:
            yield Relation(
                "growth", {"current": b, "change": None, "base": a}, "strong", mode=f"direction-{direction}", cue="from-to"
            )


def _compare_phrase(doc: Doc, i: int) -> re.Match[str] | None:
    right = doc.right(i, 50)
    return re.match(rf"[\s,]*(?:{doc.cues.patterns['growth.compare'].pattern})", right, re.IGNORECASE)


def _comparison_label(doc: Doc, i: int) -> str:
    """``so với năm 2022`` → ``năm 2022``: the words after the comparison cue, up to punctuation."""
    m = _compare_phrase(doc, i)
    if m is None:
        return ""
    rest = doc.right(i, 80)[m.end() :]
    label = re.split(r"[,;.()\n]| và | and | but ", rest, maxsplit=1)[0].strip()
    return " ".join(label.split()[:6])


def _pairs_in_sentence(doc: Doc, span: tuple[int, int]) -> list[tuple[int, int]]:
    ks = doc.in_sentence(span)
    out = []
    for a, b in itertools.pairwise(ks):
        ca, cb = doc.claims[a], doc.claims[b]
        if not (is_level(ca) and is_level(cb) and compatible(ca, cb)):
            continue
        left = doc.text[max(span[0], ca.start - 30) : ca.start]
        gap = doc.gap(a, b)
        if doc.cues.ends("growth.from", left) and re.fullmatch(
            rf"\s*(?:{doc.cues.patterns['growth.to'].pattern})\s*", gap, re.IGNORECASE
        ):
            out.append((a, b))
    return out


def _changes(doc: Doc) -> Iterator[Relation | Implied]:
    """A change with its level: base stated (``so với A``, ``up from A``, a named base earlier,
    itemised pairs after ``Cụ thể``) → growth; base not stated → the implied base."""
    cues = doc.cues
    linked: set[int] = set()
    for rel in _from_to(doc):
        if isinstance(rel, Relation) and rel.members.get("change") is not None:
            linked.add(rel.members["change"])  # type: ignore[arg-type]
    n = len(doc.claims)
    for c in range(n):
        change = doc.claims[c]
        if change.kind != "change" or c in linked:
            continue
        level = attached_level(doc, c)
        # 1. base right after the comparison cue: "tăng 5% so với 100 tỉ", "up 14% from US$3,750"
        m = _compare_phrase(doc, c)
        if level is not None and m is not None and c + 1 < n and doc.same_clause(c, c + 1):
            base = c + 1
            cbase = doc.claims[base]
            if is_level(cbase) and compatible(cbase, doc.claims[level]) and len(doc.gap(c, base)) < 45:
                mode = _growth_mode(doc.claims[level], change)
                if mode:
                    yield Relation("growth", {"current": level, "change": c, "base": base}, "strong", mode=mode, cue=m.group(0))
                    continue
        # 2. itemised pairs in the next sentence ("tăng 6-7%. Cụ thể, … từ A lên B …")
        if level is None and change.unit == "percent":
            span = doc.sent(c)
            start, head = doc.next_sentence_text(span)
            if cues.starts("growth.itemise", head):
                nxt = next((s for s in doc.sentences if s[0] <= start < s[1] or s[0] == start), None)
                if nxt is not None:
                    found = False
                    for a, b in _pairs_in_sentence(doc, nxt):
                        if doc.claims[b].unit != "percent":
                            found = True
                            yield Relation("growth", {"current": b, "change": c, "base": a}, "weak", mode="relative", cue="itemise")
                    if found:
                        continue
        if level is None:
            after = c + 1
            if after < n and doc.same_clause(c, after) and is_level(doc.claims[after]):
                gap = doc.gap(c, after)
                if len(gap) < 20 and cues.has("growth.to", gap) and _growth_mode(doc.claims[after], change) == "absolute":
                    yield Implied("base", {"current": after, "change": c}, label="", mode="absolute")
            continue
        current = doc.claims[level]
        mode = _growth_mode(current, change)
        if not mode or change.direction is None:
            continue
        # 3. a base named after the comparison cue and stated earlier ("so với mức giá cơ sở")
        label = _comparison_label(doc, c)
        keywords = [
            w
            for w in re.findall(r"\w+", label.lower())
            if not w.isdigit() and w not in {s.lower() for s in cues.words("growth.base_stop")}
        ]
        if keywords:
            base = _named_base(doc, level, keywords)
            if base is not None:
                yield Relation("growth", {"current": level, "change": c, "base": base}, "weak", mode=mode, cue=label)
                continue
        if m is not None or label:
            kind = "target" if cues.has("growth.plan_compare", label) else "base"
            yield Implied(kind, {"current": level, "change": c}, label=label, mode=mode)


def _named_base(doc: Doc, level: int, keywords: list[str]) -> int | None:
    current = doc.claims[level]
    best = None
    for k in range(len(doc.claims)):
        if k == level:
            continue
        ck = doc.claims[k]
        if not is_level(ck) or not compatible(ck, current) or ck.start > current.start:
            continue
        left = doc.text[max(ck.sentence_start, ck.start - 70) : ck.start].lower()
        if all(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", left) for w in keywords):
            best = k
    return best


def _targets(doc: Doc) -> Iterator[Relation | Implied]:
    """``đạt 152% chỉ tiêu`` with its actual level; the plan stated (→ target) or implied."""
    cues = doc.cues
    for t in range(len(doc.claims)):
        att = doc.claims[t]
        if att.kind != "target":
            continue
        if not cues.starts("target.plan", doc.right(t, 30)):
            continue  # "4 chỉ tiêu đạt 90%": not an attainment of a stated plan
        actual = attached_level(doc, t, kinds=("level", "share"))
        if actual is None:
            continue
        ca = doc.claims[actual]
        plan = None
        si = doc.sent_index(t)
        for k in range(len(doc.claims)):
            if k in (actual, t):
                continue
            ck = doc.claims[k]
            if not compatible(ck, ca) or ck.kind not in ("level", "share"):
                continue
            if not 0 <= si - doc.sent_index(k) <= 1:
                continue
            left = doc.text[max(ck.sentence_start, ck.start - 25) : ck.start]
            if cues.has("target.plan", left):
                plan = k
        if plan is not None:
            strength = "strong" if doc.same_sentence(plan, t) else "weak"
            yield Relation("target", {"actual": actual, "attainment": t, "plan": plan}, strength)
        else:
            yield Implied("target", {"actual": actual, "attainment": t})


def _shares(doc: Doc) -> Iterator[Relation | Implied]:
    """``175.300 người …, chiếm 93,72% dân số`` / ``101.000 (hơn 20%)``: part, share, whole."""
    cues = doc.cues
    n = len(doc.claims)
    for s in range(n):
        share = doc.claims[s]
        if share.kind != "share" or share.unit != "percent":
            continue
        part = None
        if s > 0 and doc.same_clause(s - 1, s):
            cp = doc.claims[s - 1]
            gap = doc.gap(s - 1, s)
            if is_level(cp) and cp.unit != "percent" and len(gap) <= 70 and cues.has("share.part_to_share", gap):
                part = s - 1
        if part is None:
            continue
        whole = None
        if s + 1 < n and doc.same_clause(s, s + 1):
            cw = doc.claims[s + 1]
            gap = doc.gap(s, s + 1)
            if is_level(cw) and compatible(cw, doc.claims[part]) and len(gap) <= 30 and cues.has("share.share_to_whole", gap):
                whole = s + 1
        if whole is None:  # "250.000 hộ, trong đó 12.000 hộ nghèo, chiếm 4,8% …"
            for k in range(part - 1, -1, -1):
                if not doc.same_sentence(k, part):
                    break
                ck = doc.claims[k]
                if is_level(ck) and compatible(ck, doc.claims[part]) and cues.has("breakdown.cues", _stripped_gap(doc, k, part)):
                    whole = k
                    break
        if whole is not None:
            yield Relation("share", {"part": part, "share": s, "whole": whole}, "strong")
        else:
            yield Implied("whole", {"part": part, "share": s})


def _multiples(doc: Doc) -> Iterator[Relation | Implied]:
    """``A, gấp 3 lần (so với) B`` / ``doubling … which stood at B``; base not stated → implied."""
    cues = doc.cues
    n = len(doc.claims)
    for f in range(n):
        factor = doc.claims[f]
        if factor.kind != "multiple":
            continue
        current = attached_level(doc, f)
        if current is None:
            continue
        left = doc.text[max(doc.clause(f)[0], factor.start - 20) : factor.start]
        mode = "times_or_plus" if cues.ends("multiple.plus_one", left) else "times"
        base = None
        for k in range(f + 1, n):
            if not doc.same_clause(f, k):
                break
            ck = doc.claims[k]
            if is_level(ck) and compatible(ck, doc.claims[current]):
                if len(doc.gap(f, k)) <= 80 and cues.has("multiple.base", doc.gap(f, k)):
                    base = k
                break
        if base is not None:
            yield Relation("multiple", {"current": current, "factor": f, "base": base}, "strong", mode=mode)
            continue
        label = _comparison_label(doc, f)
        if label:
            kind = "target" if cues.has("growth.plan_compare", label) else "base"
            yield Implied(kind, {"current": current, "factor": f}, label=label, mode=mode)


# ---------------------------------------------------------------------- repeated figures

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _tokens(doc: Doc, text: str) -> set[str]:
    words = set(map(str.lower, _WORD.findall(text)))
    words -= doc.cues.stopwords
    return {w for w in words if len(w) > 1}


def _window(doc: Doc, i: int, width: int = 45) -> set[str]:
    c = doc.claims[i]
    s0, s1 = c.sentence_start, c.sentence_end
    return _tokens(doc, doc.text[max(s0, c.start - width) : c.start] + " " + doc.text[c.end : min(s1, c.end + width)])


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _same_shape(a: Claim, b: Claim) -> bool:
    if not compatible(a, b) or a.kind != b.kind or (a.direction or None) != (b.direction or None):
        return False
    if a.period and b.period and a.period != b.period:
        return False
    return (a.of is None) == (b.of is None)


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def typo_near(doc: Doc, a: Claim, b: Claim) -> bool:
    """Printed forms one slip apart: one character replaced (``39%``/``49%``), a separator moved
    or dropped (``167.000``/``167,000``), a scale word swapped (``tỉ``/``triệu``), or identical
    spans (differing in qualifier or direction only)."""
    ta, tb = " ".join(a.text.lower().split()), " ".join(b.text.lower().split())
    ends_a = [ta, *_range_ends(ta)]
    ends_b = [tb, *_range_ends(tb)]
    return any(_one_slip(doc, x, y) for x in ends_a for y in ends_b)


def _range_ends(text: str) -> list[str]:
    parts = re.split(r"\s+(?:đến|tới|to)\s+|\s*[-–]\s*", text)
    return [p for p in parts if p] if len(parts) > 1 else []


def _one_slip(doc: Doc, ta: str, tb: str) -> bool:
    if ta == tb:
        return True
    if len(ta) == len(tb) and sum(x != y for x, y in zip(ta, tb, strict=True)) == 1:
        return True
    if re.sub(r"[.,]", "", ta) == re.sub(r"[.,]", "", tb):
        return True
    scales = doc.cues.patterns["scales.words"]
    return scales.sub("#", ta) == scales.sub("#", tb)


def _alike(doc: Doc, i: int, j: int) -> bool:
    """Printings one slip apart, or values within 10 % of each other (a rounded restatement)."""
    a, b = doc.claims[i], doc.claims[j]
    if typo_near(doc, a, b):
        return True
    ia, ib = claim_interval(a), claim_interval(b)
    if not (ia.lo.is_finite() and ia.hi.is_finite() and ib.lo.is_finite() and ib.hi.is_finite()):
        return False
    gap = max(ia.lo - ib.hi, ib.lo - ia.hi, Decimal(0))
    scale = max(abs(ia.hi), abs(ib.hi))
    return scale > 0 and gap / scale <= Decimal("0.1")


def _repeats(doc: Doc) -> Iterator[Relation | Implied]:
    """The same figure stated twice. A repeated sentence (caption, sapo) → strong. A title figure
    and its two most similar body mentions, or two body mentions in near-identical words → weak,
    kept only when the printings are one slip apart (:func:`typo_near`). Figures are paired by the
    words around them, never by their values."""
    n = len(doc.claims)
    groups: dict[tuple, list[int]] = {}
    for k, c in enumerate(doc.claims):
        groups.setdefault((c.unit, c.per, c.kind, c.direction, c.of is None), []).append(k)
    peers = [g for g in groups.values() if len(g) > 1]
    if not peers:
        return
    # the words around a figure and of a sentence, read only for the figures compared
    window_memo: dict[int, set[str]] = {}
    sentence_memo: dict[tuple[int, int], set[str]] = {}

    def window(i: int) -> set[str]:
        got = window_memo.get(i)
        if got is None:
            got = window_memo[i] = _window(doc, i)
        return got

    def sentence_words(i: int) -> set[str]:
        span = doc.sent(i)
        got = sentence_memo.get(span)
        if got is None:
            got = sentence_memo[span] = _tokens(doc, doc.text[span[0] : span[1]])
        return got

    strong: set[tuple[int, int]] = set()
    pairs = [(i, j) for g in peers for x, j in enumerate(g) for i in g[:x]]
    for i, j in sorted(pairs, key=lambda p: (p[1], p[0])):
        if doc.same_sentence(i, j) or not _same_shape(doc.claims[i], doc.claims[j]):
            continue
        local = _overlap(window(i), window(j))
        if local >= 0.6 and _jaccard(sentence_words(i), sentence_words(j)) >= 0.6:
            strong.add((i, j))
            yield Relation("same", {"a": i, "b": j}, "strong", cue="repeated sentence")
        elif local >= 0.45 and len(window(i) & window(j)) >= 4 and _alike(doc, i, j):
            yield Relation("same", {"a": i, "b": j}, "weak", cue="similar words")
    for i in range(n):
        if not doc.in_title(i):
            continue
        ranked = sorted(
            (
                (_overlap(window(i), window(j)), -abs(doc.claims[j].start - doc.claims[i].start), j)
                for j in range(n)
                if j != i and not doc.same_sentence(i, j) and _same_shape(doc.claims[i], doc.claims[j])
            ),
            reverse=True,
        )
        for rank, (local, _, j) in enumerate(ranked[:2]):
            a, b = min(i, j), max(i, j)
            if (a, b) in strong or local < 0.2:
                continue
            closest = rank == 0 and local >= 0.3 and len(window(i) & window(j)) >= 3
            if closest or _alike(doc, i, j):
                yield Relation("same", {"a": a, "b": b}, "weak", cue="title")


DETECTORS: tuple[Detector, ...] = (
    _breakdowns,
    _breakdown_next_sentence,
    _whole_first,
    _part_between,
    _cumulative,
    _ranking,
    _from_to,
    _changes,
    _targets,
    _shares,
    _multiples,
    _repeats,
)


def detect(doc: Doc) -> tuple[list[Relation], list[Implied]]:
    """All relations and implied values the text states, deduplicated."""
    relations: dict[tuple, Relation] = {}
    implied: list[Implied] = []
    related: set[tuple[int, int]] = set()
    for detector in DETECTORS:
        for item in detector(doc):
            if isinstance(item, Relation):
                idx = item.indices()
                if item.type == "same" and (min(idx), max(idx)) in related:
                    continue  # base and current, part and whole: not one figure twice
                related.update((min(x, y), max(x, y)) for x in idx for y in idx if x != y)
                key = item.key()
                if key not in relations or (relations[key].strength == "weak" and item.strength == "strong"):
                    relations[key] = item
            else:
                implied.append(item)
    return list(relations.values()), implied
