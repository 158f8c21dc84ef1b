"""English extraction speed: chiso vs Duckling's English parser on the same sentences.

    python benchmarks/bench_en_speed.py [--repeat N] [--shared PATH]

Sentences: the English gold articles (split with chiso's English splitter), the Recognizers-Text
Currency/Dimension inputs and quantulum3's sentences, all from ``../shared``. Each system parses
every sentence in-process, one call per sentence, after a warm-up pass; the best of ``--repeat``
runs (interleaved, process CPU time) is reported as sentences per second. Every bounded cache of
the package (``lru_cache``: clauses, tokens, cue matches, values) is emptied before each of
chiso's timed passes, so the repeated sentences are read as if for the first time.

* chiso: :func:`extractor.extract` (``lang="en"``: segmentation, numerals, units, claims, periods,
  indicators) and, separately, the quantity layer alone (:func:`extractor.quantities.recognise`).
* Duckling: ``pyduckling-native-phihos`` (the ``bench`` extra: ``pip install -e .[bench]``),
  dimensions number, amount-of-money, distance, quantity, volume, temperature. If it cannot be
  imported, the script says so and prints chiso's figures only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def sentences(shared: Path) -> list[str]:
    from extractor.segment import sentences as split

    out: list[str] = []
    gold = shared / "gold" / "dev.jsonl"
    if gold.is_file():
        for line in gold.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("lang") == "en":
                text = row["text"]
                out += [text[a:b] for a, b in split(text, lang="en")]
    conf = shared / "conformance"
    for name in ("NumberWithUnit_English_CurrencyModel.json", "NumberWithUnit_English_DimensionModel.json"):
        path = conf / "recognizers_text" / name
        if path.is_file():
            out += [c["Input"] for c in json.loads(path.read_text(encoding="utf-8-sig"))]
    path = conf / "quantulum3" / "quantities.json"
    if path.is_file():
        out += [c["req"] for c in json.loads(path.read_text(encoding="utf-8"))]
    return [s for s in out if s.strip()]


def clear_bounded_caches() -> int:
    """Empty every bounded ``lru_cache`` of the package (caches keyed on texts, clauses, words
    or values), so that a pass over sentences seen before costs what a first reading costs.
    Unbounded ``functools.cache`` entries (compiled packs, word lists) stay: they are set-up, not
    text. Returns how many caches were cleared."""
    import pkgutil

    import extractor

    cleared = 0
    for info in pkgutil.walk_packages(extractor.__path__, "extractor."):
        module = sys.modules.get(info.name)
        if module is None:
            continue
        for value in list(vars(module).values()):
            cache_info = getattr(value, "cache_info", None)
            if callable(cache_info) and getattr(value, "__module__", None) == info.name:
                if cache_info().maxsize is not None:
                    value.cache_clear()
                    cleared += 1
    return cleared


def rates(
    systems: dict[str, Callable[[str], object]], items: list[str], repeat: int, *, cold: frozenset[str] = frozenset()
) -> dict[str, float]:
    """Sentences per second of each system: best of ``repeat`` passes, passes interleaved across
    systems, timed in process CPU time (other jobs on a shared machine slow wall time unevenly).
    Before each timed pass of a system in ``cold``, the package's bounded caches are emptied."""
    for fn in systems.values():  # warm-up: packs, regexes, spaCy, Duckling's Haskell runtime
        for s in items:
            fn(s)
    best = dict.fromkeys(systems, float("inf"))
    for _ in range(repeat):
        for name, fn in systems.items():
            if name in cold:
                clear_bounded_caches()
            t0 = time.process_time()
            for s in items:
                fn(s)
            best[name] = min(best[name], time.process_time() - t0)
    return {name: len(items) / max(t, 1e-9) for name, t in best.items()}


def typed_claims(text: str, pack) -> list:
    """Claims with qualifier, kind and direction, without period and indicator assignment."""
    from extractor.claims import interpret
    from extractor.quantities import recognise
    from extractor.segment import segments
    from extractor.text import fold_tones, nfc

    text = nfc(text)
    folded = fold_tones(text)
    out: list = []
    for seg in segments(folded, lang=pack.code):
        quantities = recognise(folded, pack, start=seg.start, end=seg.end)
        if quantities:
            out += interpret(text, folded, quantities, pack, seg)
    return out


def duckling_parser() -> Callable[[str], object] | str:
    """A one-sentence Duckling parse function, or the reason it is unavailable."""
    try:
        import duckling
    except ImportError as exc:  # an optional, benchmark-only dependency
        return f"pyduckling-native-phihos not importable ({exc}); install the bench extra"
    try:
        lang = duckling.parse_lang("EN")
        locale = duckling.default_locale_lang(lang)
        zones = duckling.load_time_zones("/usr/share/zoneinfo")
        ref = duckling.parse_ref_time(zones, "UTC", 1704067200)  # 2024-01-01T00:00Z
        context = duckling.Context(ref, locale)
        dims = duckling.parse_dimensions(
            ["number", "amount-of-money", "distance", "quantity", "volume", "temperature"]
        )
    except Exception as exc:  # any runtime failure of the native library is reported
        return f"Duckling failed to start: {exc!r}"
    return lambda s: duckling.parse(s, context, dims, False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="English sentences/s: chiso vs Duckling")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = ap.parse_args(argv)

    from extractor import extract
    from extractor.lang import load_pack
    from extractor.quantities import recognise

    items = sentences(args.shared)
    if not items:
        sys.stdout.write(f"no sentences found under {args.shared}\n")
        return 1
    pack = load_pack("en")
    chars = sum(map(len, items))
    sys.stdout.write(f"{len(items)} English sentences ({chars / len(items):.0f} chars on average)\n")
    systems: dict[str, Callable[[str], object]] = {
        "extract": lambda s: extract(s, lang="en"),
        "typed claims": lambda s: typed_claims(s, pack),
        "recognise": lambda s: recognise(s, pack),
    }
    parser = duckling_parser()
    if not isinstance(parser, str):
        systems["Duckling"] = parser
    # chiso's passes start with its bounded caches empty: repeated sentences cannot flatter it
    got = rates(systems, items, args.repeat, cold=frozenset({"extract", "typed claims", "recognise"}))
    notes = {
        "extract": "extract(lang='en'): claims + periods + indicators",
        "typed claims": "segment, recognise, interpret (qualifier/kind/direction)",
        "recognise": "quantities.recognise: values and units, like Duckling",
        "Duckling": "Duckling EN, 6 dimensions",
    }
    for name, value in got.items():
        sys.stdout.write(f"{name:14} {value:9.0f} sentences/s   {notes[name]}\n")
    if isinstance(parser, str):
        sys.stdout.write(f"Duckling: not measured — {parser}\n")
        return 0
    duck = got["Duckling"]
    for name in ("extract", "typed claims", "recognise"):
        verdict = "at least as fast" if got[name] >= duck else "SLOWER"
        sys.stdout.write(f"chiso {name} vs Duckling: {got[name] / duck:.2f}x ({verdict})\n")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())
