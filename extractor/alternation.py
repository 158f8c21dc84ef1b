"""Word lists as prefix-tree regexes: the matches of a longest-first alternation, found faster.

``regex`` tries the branches of ``one|two|three|…`` one after another at every position it
tests, so a list of hundreds of words (the counted nouns) costs hundreds of comparisons there.
Written as a tree (``t(?:wo|hree)|one``), a branch is entered only when its first character
matches. The tree keeps the alternation's order of success: at a position the text follows one
path through the tree, and the words on that path are tried longest first — exactly as in an
alternation sorted by length (two words of one length cannot both match at one position).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import regex

__all__ = ["trie_alternation"]

_END = ""  # key of a node's "a word ends here" entry (no character is the empty string)
_WORD_START = regex.compile(r"\w")
_WORD_END = regex.compile(r"\w$")


def trie_alternation(
    words: Iterable[str], *, left: str = "", right: str = "", ignore_case: bool = False
) -> str:
    """``(?:…)`` matching each of ``words``, longest first, like the flat alternation of the words
    sorted by length; ``left`` goes before each word starting with a word character and
    ``right`` after each word ending with one (the bounds of ``lang.word_alternation``).

    ``ignore_case``: the pattern is used case-insensitively. Should two branches of one node then
    match the same character (``K`` and ``k``), the text would no longer follow a single path,
    so the flat alternation is returned instead."""
    unique = sorted(set(words), key=len, reverse=True)
    if not unique:
        return "(?!)"
    root: dict[str, Any] = {}
    for w in unique:
        if not w:
            return _flat(unique, left, right)
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[_END] = right if _WORD_END.search(w) else ""
    if ignore_case and _folds_together(root):
        return _flat(unique, left, right)
    branches = []
    for ch in sorted(root):
        bound = left if _WORD_START.match(ch) else ""
        branches.append(bound + regex.escape(ch) + _subtree(root[ch]))
    return "(?:" + "|".join(branches) + ")"


def _subtree(node: dict[str, Any]) -> str:
    """What may follow once the path to ``node`` matched: longer words first, then the end."""
    branches = [regex.escape(ch) + _subtree(node[ch]) for ch in sorted(k for k in node if k != _END)]
    if _END in node:
        branches.append(node[_END])
    if len(branches) == 1:
        return branches[0]  # a guard, or a character and its subtree: no "|" at the top level
    return "(?:" + "|".join(branches) + ")"


def _folds_together(node: dict[str, Any]) -> bool:
    keys = [k for k in node if k != _END]
    for i, a in enumerate(keys):
        pattern = regex.compile("(?i)" + regex.escape(a))
        if any(pattern.fullmatch(b) for b in keys[i + 1 :]):
            return True
    return any(_folds_together(node[k]) for k in keys)


def _flat(words: list[str], left: str, right: str) -> str:
    parts = [
        (left if _WORD_START.match(w) else "") + regex.escape(w) + (right if _WORD_END.search(w) else "")
        for w in words
    ]
    return "(?:" + "|".join(parts) + ")"
