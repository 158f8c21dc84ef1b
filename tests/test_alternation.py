"""The prefix-tree alternation matches exactly what the flat longest-first alternation matches."""

from __future__ import annotations

import random

import regex

from extractor.alternation import trie_alternation
from extractor.lang import load_pack, word_alternation

_BOUND = r"(?![\p{L}\p{M}\d])"
_LEFT = r"(?<![\p{L}\p{M}])"


def _flat(words: set[str]) -> str:
    return "(?:" + "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


def _same(flat: regex.Pattern[str], tree: regex.Pattern[str], text: str) -> None:
    for pos in range(len(text) + 1):
        a, b = flat.match(text, pos), tree.match(text, pos)
        assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), (text, pos)
    assert [m.span() for m in flat.finditer(text)] == [m.span() for m in tree.finditer(text)], text


def test_tree_matches_like_the_flat_alternation() -> None:
    rng = random.Random(7)
    pack = load_pack("en")
    nouns = set(list(pack.noun_unit)[:200]) | {"a", "an", "and", "ab", "abc", "x-ray", "per cent", "c.", "$"}
    flat = regex.compile(f"(?i:({word_alternation(list(nouns))}))")
    tree = regex.compile(f"(?i:({trie_alternation(nouns, left=_LEFT, right=_BOUND, ignore_case=True)}))")
    plain_flat = regex.compile(f"{_flat(nouns)}x?")  # something after the words: the order of success
    plain_tree = regex.compile(f"{trie_alternation(nouns)}x?")
    pieces = [*nouns, " ", "-", "x", "5", "é", "S", "K"]
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        for t in (text, text.upper(), text.title()):
            _same(flat, tree, t)
            _same(plain_flat, plain_tree, t)


def test_branches_that_fold_together_fall_back_to_the_flat_alternation() -> None:
    assert trie_alternation(["Ab", "abc"], ignore_case=True) == "(?:abc|Ab)"
    assert trie_alternation(["Ab", "abc"]) == "(?:Ab|abc)"
    assert trie_alternation([]) == "(?!)"


def test_in_a_negative_lookahead_case_variants_may_share_a_tree() -> None:
    """Inside ``(?!…)`` only whether some word matches counts, so no flat fallback is needed."""
    rng = random.Random(8)
    words = {"Kilometers", "kilometers", "km", "Km/h", "per cent", "percent", "people", "USD"}
    flat = regex.compile(f"(?i:(?!{word_alternation(list(words), after_space=True)})\\w+)")
    tree = regex.compile(f"(?i:(?!{trie_alternation(words, right=_BOUND)})\\w+)")
    pieces = [*words, " ", "s", "x", "K", "-"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 5)))
        for t in (text, text.upper(), text.lower()):
            _same(flat, tree, t)
