"""English conformance against peer projects' test data (``../shared/conformance/``).

    python benchmarks/bench_conformance.py [--failures SUITE] [--shared PATH]

Prints, per suite, the pass rate over in-scope cases, the number of cases marked out of scope
(with their reasons) and the raw pass rate over every case (out-of-scope cases count as they
pass or fail). ``tests/test_conformance_en.py`` imports this module and pins both rates per suite.

Suites and the entry point each one exercises:

* Recognizers-Text Number → :func:`extractor.numbers.scan` with ``fractions=True`` (every numeral
  of the input; the numeral layer reads ``3/4`` and ``one over three`` as fractions there, while
  claims keep ``17/17 targets`` as a ratio);
* Recognizers-Text Percent, Currency, Dimension → :func:`extractor.quantities.recognise`;
* Duckling EN numeral → :func:`extractor.numbers.parse_number` with ``fractions=True`` (one
  numeral = the whole text);
* Duckling EN amount_of_money, distance, quantity → :func:`extractor.extract` (one claim covering
  the figure; intervals through ``value_max`` or the qualifier);
* quantulum3 ``quantities.json`` → :func:`extractor.quantities.recognise`, one case per quantity.

Peer units are mapped onto chiso's catalogue (``extractor/units.toml``) and compared in the unit
chiso stores (cents as USD, grams as kg, ...). Out-of-scope cases carry their reason.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import regex

__all__ = ["SUITES", "Case", "evaluate", "load_suites", "run_case", "shared_dir", "summary"]

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """``../shared`` beside the repository."""
    return REPO.parent / "shared"


# ---------------------------------------------------------------------------------------------
# cases


@dataclass(frozen=True)
class Expect:
    value: Decimal | None = None
    value_max: Decimal | None = None
    unit: str | None = None  # chiso's stored unit ("USD", "kg", ...) or None for a bare number
    side: str | None = None  # "min" / "max" for open intervals
    start: int | None = None
    end: int | None = None  # exclusive


@dataclass(frozen=True)
class Case:
    suite: str
    ident: str
    text: str
    expected: tuple[Expect, ...]
    check: str  # "numbers" | "number_full" | "quantities" | "claim_full" | "contains"
    out_of_scope: str | None = None
    dims: frozenset[str] = field(default_factory=frozenset)  # unit dimensions the suite looks at


def _dec(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value).rstrip("%"))
    except InvalidOperation:
        return None


def _catalogue() -> dict[str, dict[str, Any]]:
    from extractor.lang import units_catalogue

    return units_catalogue()


def _stored(unit: str | None, value: Decimal | None) -> tuple[str | None, Decimal | None]:
    """A chiso unit id → (stored unit, value converted to it)."""
    if unit is None:
        return None, value
    entry = _catalogue().get(unit, {})
    factor = Decimal(str(entry.get("factor", "1")))
    return entry.get("store", unit), (None if value is None else value * factor)


def _dimension(stored: str) -> str:
    return str(_catalogue().get(stored, {}).get("dimension", "?"))


# peer unit names → chiso unit ids (None: outside chiso's catalogue)
RT_CURRENCY = {
    "Dollar": "USD", "United States dollar": "USD", "Cent": "US_cent", "Penny": "US_cent",
    "Pence": "GBP_pence", "Pound": "GBP", "British pound": "GBP", "Euro": "EUR",
    "Japanese yen": "JPY", "Chinese yuan": "CNY", "Canadian dollar": "CAD",
    "Hong Kong dollar": "HKD", "Australian dollar": "AUD", "Swiss franc": "CHF",
    "New Zealand dollar": "NZD", "Mexican peso": "MXN", "Rupee": "INR", "Lao kip": "LAK",
}
RT_DIMENSION = {
    "Pound": "pound", "Milliliter": "ml", "Inch": "inch", "Mile": "mile", "Barrel": "barrel",
    "Foot": "foot", "Ounce": "ounce", "Acre": "acre", "Gallon": "gallon", "Square meter": "m2",
    "Ton": "tonne", "Metric ton": "tonne", "Mile per hour": "mph", "Meter": "m", "Kilometer": "km",
    "Millimeter": "mm", "Square kilometer": "km2", "Kilogram": "kg", "Megabyte": "MB",
    "Kilometer per hour": "km_h", "Centimeter": "cm", "Cup": "cup", "Gram": "g",
}
DUCKLING_UNITS = {
    "$": "USD", "USD": "USD", "cent": "US_cent", "EUR": "EUR", "£": "GBP", "GBP": "GBP",
    "INR": "INR", "CAD": "CAD", "CHF": "CHF", "CNY": "CNY", "KWD": "KWD", "LBP": "LBP",
    "EGP": "EGP", "QAR": "QAR", "SAR": "SAR", "BGN": "BGN", "MYR": "MYR", "ILS": "ILS",
    "MNT": "MNT", "UAH": "UAH", "dinar": "dinar", "riyal": "riyal", "rial": "rial",
    "kilometre": "km", "mile": "mile", "m": "m", "metre": "m", "centimetre": "cm", "inch": "inch",
    "foot": "foot", "yard": "yard", "millimetre": "mm", "gram": "g", "pound": "pound",
    "ounce": "ounce", "cup": "cup",
}
QUANTULUM_UNITS = {
    "dollar": "USD", "euro": "EUR", "pound sterling": "GBP", "cent": "US_cent", "penny": "US_cent",
    "mile": "mile", "inch": "inch", "kilometre": "km", "square kilometre": "km2", "metre": "m",
    "gallon": "gallon", "litre": "litre", "tonne": "tonne", "kilogram": "kg", "milligram": "mg",
    "pound-mass": "pound", "cup": "cup", "degree Celsius": "celsius", "degree fahrenheit": "fahrenheit",
    "kilometre per hour": "km_h", "megabyte": "MB", "megawatt hour": "MWh", "percentage": "percent",
    "square mile": None, "watt hour": None,
}

MONEY = frozenset({"money"})
MEASURES = frozenset({"length", "area", "mass", "volume", "speed", "data", "energy", "power", "temperature"})

# why a case is out of scope: (suite prefix, pattern, reason), checked in order. For the
# Recognizers-Text suites the pattern is matched against the *expected* result texts (the input
# when nothing is expected), so a rule names a reading chiso does not make, not a kind of input.
# Only what a news-figure extractor should not read is listed; everything else is in scope.
OUT_OF_SCOPE: list[tuple[str, str, str]] = [
    ("rt_", r"\d{1,2},\d{2},\d{3}", "Indian digit grouping (12,34,567)"),
    ("rt_", r"(?<![\d ] ?)\b\d{1,3} \d{3}\b(?! \d)", "one space-separated group (40 000): one number or two"),
    ("rt_number", r"\d\.\d{3},\d", "European separators in an English text"),
    ("rt_number", r"(?<![\d,])\d,\d{1,2}(?![\d,])", "decimal comma in an English text (1,3; 5,00)"),
    ("rt_number", r"^- \d", "spaced minus in running text (a dash or a bullet, not a sign)"),
    ("rt_number", r"(?i)\bthe one\b|\bthis one\b|\bwhich one\b|\bthat one\b", "pronoun 'one' (needs syntax)"),
    ("rt_dimension", r"(?i)\b(?:ft|feet) \d+ (?:in|inch)|feet and \d+ inch", "compound measures (5 ft 2 in)"),
    ("duckling_numeral", r"(?i)^(?:a pair|a couple|a couple of|a few|few|single)$", "vague quantifier words (a couple, a few)"),
    ("duckling_numeral", r"(?i)^one twenty two$", "digit-pair reading (one twenty two = 122)"),
    ("duckling_numeral", r"^\d+ l$", "'l' for lakh (litre in news text)"),
    ("duckling_numeral", r"\bdozen of$", "a trailing 'of' ('a dozen of')"),
    ("duckling_money", r"^10 c$", "'c' alone for cents"),
    ("duckling_money", r"(?i)(?<!lebanese )\bpounds\b", "'pounds' with no money context is read as mass (lb)"),
    ("duckling_money", r"^7-9 lakh", "corpus oddity (7-9 lakh = 7 to 900,000)"),
    ("duckling_distance", r"^3k$", "'3k' is 3,000 in news text"),
    ("duckling_quantity", r"-\s*~", "'2 - ~7' (a range end written as approximate)"),
]
# matched against the input itself: strings that are not figures at all
OUT_OF_SCOPE_INPUT: list[tuple[str, str, str]] = [
    ("rt_number", r"\b\d{1,3}(?:\.\d{1,3}){3}\b|\+\d-\d{3}-|\bnrs?\.\s*\d{1,2}(?:,\d{1,2}){2}\b", "IP addresses, phone numbers, numbered lists (nrs. 22,24,26)"),
]
_OOS = [(p, regex.compile(rx), why) for p, rx, why in OUT_OF_SCOPE]
_OOS_INPUT = [(p, regex.compile(rx), why) for p, rx, why in OUT_OF_SCOPE_INPUT]
# two figures in one Duckling string without a range word: a compound amount (7 feet 10 inches)
_RANGE_WORDS = regex.compile(r"(?i)\b(?:between|from|to)\b|\d\s*[-–]\s*[\d$~]|[a-z$]\s*-\s*[\d$]")


def _compound(text: str) -> bool:
    from extractor.numbers import scan

    return len(list(scan(text, _pack().numbers))) >= 2 and not _RANGE_WORDS.search(text)


def _oos(suite: str, text: str, rules: list | None = None) -> str | None:
    for prefix, rx, why in _OOS if rules is None else rules:
        if suite.startswith(prefix) and rx.search(text):
            return why
    return None


def _load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8-sig"))


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _rt(suite: str, path: Path, units: dict[str, str] | None, check: str, dims: frozenset[str]) -> list[Case]:
    out = []
    for i, row in enumerate(_load_json(path)):
        text = row["Input"]
        exps: list[Expect] = []
        reason = None
        if "dotnet" in str(row.get("NotSupported", "")).lower():
            reason = "NotSupported by the reference implementation"
        for r in row.get("Results", []):
            res = r.get("Resolution") or {}
            value = _dec(res.get("value"))
            if value is None:
                continue  # a unit named without a number: not a quantity
            unit = None
            if units is not None:
                iso = res.get("isoCurrency")
                name = res.get("unit")
                unit = RT_CURRENCY.get(name) if not iso else {"TRY": None, "CRC": None}.get(iso, iso)
                if units is RT_DIMENSION:
                    unit = units.get(name)
                if unit is None:
                    reason = reason or f"unit outside the catalogue ({name})"
                    continue
            stored, value = _stored(unit, value)
            exps.append(Expect(value=value, unit=stored, start=int(r["Start"]), end=int(r["End"]) + 1))
        if suite == "rt_percent":
            exps = [Expect(value=e.value, unit="percent", start=e.start, end=e.end) for e in exps]
        probe = " | ".join(r.get("Text", "") for r in row.get("Results", [])) or text
        reason = reason or _oos(suite, text, _OOS_INPUT) or _oos(suite, probe)
        out.append(Case(suite, f"{suite}-{i:03d}", text, tuple(exps), check, reason, dims))
    return out


def _duckling(suite: str, path: Path, check: str) -> list[Case]:
    out = []
    for i, row in enumerate(_jsonl(path)):
        text = row["text"]
        exp = row["expected"]
        reason = None
        exps: list[Expect] = []
        if row["corpus"] == "latent":
            reason = "latent (unit-less) reading"
        elif exp is not None:
            unit = exp.get("unit")
            cid = DUCKLING_UNITS.get(unit) if unit is not None else None
            if unit is not None and cid is None:
                reason = f"unit outside the catalogue ({unit})"
            if exp["type"] == "value":
                stored, value = _stored(cid, _dec(exp["value"]))
                exps.append(Expect(value=value, unit=stored))
            else:
                lo = _dec(exp.get("min"))
                hi = _dec(exp.get("max"))
                stored, lo2 = _stored(cid, lo)
                _, hi2 = _stored(cid, hi)
                side = None if (lo is not None and hi is not None) else ("min" if lo is not None else "max")
                if side == "max":
                    exps.append(Expect(value=hi2, unit=stored, side="max"))
                else:
                    exps.append(Expect(value=lo2, value_max=hi2, unit=stored, side=side))
        reason = reason or _oos(suite, text)
        if reason is None and suite == "duckling_distance" and _compound(text):
            reason = "compound measures (7 feet 10 inches, 2 km and 1 meter)"
        out.append(Case(suite, f"{suite}-{i:03d}", text, tuple(exps), check, reason))
    return out


def _quantulum(path: Path) -> list[Case]:
    out = []
    for i, row in enumerate(_load_json(path)):
        text = row["req"]
        for j, r in enumerate(row["res"]):
            name = r["unit"]
            unit = QUANTULUM_UNITS.get(name)
            surface = r.get("surface", "")
            pos = text.find(surface)
            reason = None
            if name == "dimensionless":
                reason = "dimensionless number (not a quantity)"
            elif unit is None:
                reason = f"unit outside the news catalogue ({name})"
            elif r.get("uncertainty") is not None or regex.search(r"±|\+/-", surface):
                reason = "a value with an uncertainty, or a range reported as its midpoint"
            elif regex.search(r"(?i)\bto\b.*\bto\b| to \$|per .* to ", surface):
                reason = "range reported as its midpoint"
            stored, value = _stored(unit, _dec(r["value"]))
            exp = Expect(value=value, unit=stored, start=pos if pos >= 0 else None,
                         end=pos + len(surface) if pos >= 0 else None)
            out.append(Case("quantulum", f"quantulum-{i:03d}-{j}", text, (exp,), "contains", reason))
    return out


SUITES: dict[str, str] = {
    "rt_number": "Recognizers-Text Number",
    "rt_percent": "Recognizers-Text Percent",
    "rt_currency": "Recognizers-Text Currency",
    "rt_dimension": "Recognizers-Text Dimension",
    "duckling_numeral": "Duckling EN numeral",
    "duckling_money": "Duckling EN amount_of_money",
    "duckling_distance": "Duckling EN distance",
    "duckling_quantity": "Duckling EN quantity",
    "quantulum": "quantulum3 quantities.json",
}


def load_suites(shared: Path | None = None) -> dict[str, list[Case]]:
    """Every suite's cases (raises FileNotFoundError when the conformance folder is missing)."""
    root = (shared or shared_dir()) / "conformance"
    if not root.is_dir():
        raise FileNotFoundError(root)
    rt, dk = root / "recognizers_text", root / "duckling"
    return {
        "rt_number": _rt("rt_number", rt / "Number_English_NumberModel.json", None, "numbers", frozenset()),
        "rt_percent": _rt("rt_percent", rt / "Number_English_PercentModel.json", None, "quantities", frozenset({"ratio"})),
        "rt_currency": _rt("rt_currency", rt / "NumberWithUnit_English_CurrencyModel.json", RT_CURRENCY, "quantities", MONEY),
        "rt_dimension": _rt("rt_dimension", rt / "NumberWithUnit_English_DimensionModel.json", RT_DIMENSION, "quantities", MEASURES),
        "duckling_numeral": _duckling("duckling_numeral", dk / "en_numeral.jsonl", "number_full"),
        "duckling_money": _duckling("duckling_money", dk / "en_amount_of_money.jsonl", "claim_full"),
        "duckling_distance": _duckling("duckling_distance", dk / "en_distance.jsonl", "claim_full"),
        "duckling_quantity": _duckling("duckling_quantity", dk / "en_quantity.jsonl", "claim_full"),
        "quantulum": _quantulum(root / "quantulum3" / "quantities.json"),
    }


# ---------------------------------------------------------------------------------------------
# running


def _close(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= Decimal("1e-6") * max(Decimal(1), abs(b))


def _overlap(a0: int, a1: int, b0: int | None, b1: int | None) -> bool:
    return b0 is None or b1 is None or (a0 < b1 and b0 < a1)


def _pack():
    from extractor.lang import load_pack

    return load_pack("en")


def _numbers(text: str) -> list[tuple[int, int, Decimal]]:
    """Standalone numerals: a numeral glued to letters on its right is a measure (180ml), not a number."""
    from extractor.numbers import scan

    pack = _pack()
    out = []
    for n in scan(text, pack.numbers, fractions=True):
        if n.end < len(text) and (text[n.end].isalpha()):
            continue
        if n.ambiguous and not n.has_digits and n.value in (0, 1) and text[n.start : n.end].lower() in ("a", "an"):
            continue
        out.append((n.start, n.end, n.value))
    return out


def _quantities(text: str, dims: frozenset[str]) -> list[tuple[int, int, Decimal, Decimal | None, str]]:
    from extractor.quantities import recognise

    out = []
    for q in recognise(text, _pack()):
        if dims and _dimension(q.unit) not in dims:
            continue
        out.append((q.start, q.end, q.value, q.value_max, q.unit))
    return out


def _match_sets(expected: Iterable[Expect], found: list[tuple[int, int, Decimal, Decimal | None, str | None]]) -> bool:
    todo = list(found)
    for e in expected:
        hit = next(
            (f for f in todo if _close(f[2], e.value) and (e.unit is None or f[4] == e.unit) and _overlap(f[0], f[1], e.start, e.end)),
            None,
        )
        if hit is None:
            return False
        todo.remove(hit)
    return not todo


def run_case(case: Case) -> tuple[bool, str]:
    """(passed, what was found)."""
    text = case.text
    if case.check == "numbers":
        found = [(s, e, v, None, None) for s, e, v in _numbers(text)]
        return _match_sets(case.expected, found), repr([(text[s:e], str(v)) for s, e, v, _, _ in found])
    if case.check == "number_full":
        from extractor.numbers import parse_number

        n = parse_number(text, _pack().numbers, fractions=True)
        got = None if n is None else n.value
        exp = case.expected[0].value if case.expected else None
        return (n is not None and _close(got, exp)), f"{got}"
    if case.check == "quantities":
        found = _quantities(text, case.dims)
        return _match_sets(case.expected, found), repr([(text[s:e], str(v), u) for s, e, v, _, u in found])
    if case.check == "contains":
        found = _quantities(text, frozenset())
        e = case.expected[0]
        ok = any(_close(v, e.value) and u == e.unit and _overlap(s, en, e.start, e.end) for s, en, v, _, u in found)
        return ok, repr([(text[s:en], str(v), u) for s, en, v, _, u in found])
    if case.check == "claim_full":
        from extractor import extract

        claims = [c for c in extract(text, lang="en") if _dimension(c.unit) not in ("count",)]
        shown = repr([(c.text, str(c.value), str(c.value_max), c.unit, c.qualifier) for c in claims])
        if not case.expected:
            return not claims, shown
        if len(claims) != 1:
            return False, shown
        c, e = claims[0], case.expected[0]
        if c.unit != e.unit or not _close(c.value, e.value):
            return False, shown
        if e.side is None and not _close(c.value_max, e.value_max):
            return False, shown
        if e.side == "min" and c.qualifier not in ("over", "at_least"):
            return False, shown
        if e.side == "max" and c.qualifier not in ("under", "at_most"):
            return False, shown
        return True, shown
    raise ValueError(case.check)


@dataclass
class SuiteResult:
    name: str
    passed: int = 0
    failed: int = 0
    out_of_scope: int = 0
    oos_passed: int = 0
    reasons: Counter = field(default_factory=Counter)
    failures: list[tuple[Case, str]] = field(default_factory=list)

    @property
    def in_scope(self) -> int:
        return self.passed + self.failed

    @property
    def rate(self) -> float:
        return self.passed / self.in_scope if self.in_scope else 1.0

    @property
    def raw_rate(self) -> float:
        total = self.in_scope + self.out_of_scope
        return (self.passed + self.oos_passed) / total if total else 1.0


def evaluate(suites: dict[str, list[Case]], *, runner: Callable[[Case], tuple[bool, str]] = run_case) -> dict[str, SuiteResult]:
    results: dict[str, SuiteResult] = {}
    for key, cases in suites.items():
        res = SuiteResult(SUITES[key])
        for case in cases:
            ok, got = runner(case)
            if case.out_of_scope:
                res.out_of_scope += 1
                res.oos_passed += ok
                res.reasons[case.out_of_scope] += 1
            elif ok:
                res.passed += 1
            else:
                res.failed += 1
                res.failures.append((case, got))
        results[key] = res
    return results


def summary(results: dict[str, SuiteResult]) -> str:
    lines = [f"{'suite':32} {'in-scope pass':>16} {'rate':>7} {'out of scope':>13} {'raw rate':>9}"]
    for res in results.values():
        lines.append(
            f"{res.name:32} {res.passed:>7}/{res.in_scope:<8} {res.rate:>7.1%} {res.out_of_scope:>13} {res.raw_rate:>9.1%}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=None, help="shared/ folder (default: ../shared)")
    ap.add_argument("--failures", default=None, help="list the failing cases of this suite key")
    ap.add_argument("--reasons", action="store_true", help="list out-of-scope reasons per suite")
    ap.add_argument("--oos", default=None, help="list the out-of-scope cases of this suite key")
    args = ap.parse_args(argv)
    try:
        suites = load_suites(args.shared)
    except FileNotFoundError as exc:
        sys.stdout.write(f"conformance data not found: {exc}\n")
        return 1
    results = evaluate(suites)
    sys.stdout.write(summary(results) + "\n")
    if args.reasons:
        for key, res in results.items():
            for why, n in res.reasons.most_common():
                sys.stdout.write(f"  {key:18} {n:3}  {why}\n")
    if args.oos:
        for case in suites[args.oos]:
            if case.out_of_scope:
                sys.stdout.write(f"  {case.ident}: {case.text[:80]!r}  [{case.out_of_scope}]\n")
    if args.failures:
        for case, got in results[args.failures].failures:
            exp = [(str(e.value), str(e.value_max) if e.value_max is not None else "", e.unit, e.side) for e in case.expected]
            sys.stdout.write(f"  {case.ident}: {case.text[:90]!r}\n      expected {exp}\n      got      {got}\n")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())
