"""Text clean-up before parsing that never moves a character: every rewrite keeps the length,
so offsets into the cleaned text are offsets into the original and evidence can be cut from
the article as written.

Wire copy is the reason: hard-wrapped lines split sentences for the parser, `<Name>` markup
and `<TICK.N>` ticker symbols sit inside names, and all-capitals headlines defeat a model
trained on mixed case."""

from __future__ import annotations

import re
from collections import Counter

from kg.loaders import lexicon as lx

_MARKUP = re.compile(r"<([^<>\n]{1,80})>")
_TICKER = re.compile(r"^[A-Z0-9&]{1,6}(?:\.[A-Z]{1,3})?$|^[A-Z0-9&]{1,6}\.[A-Z]{1,3}$")
_WORD = re.compile(r"[^\W\d_][\w&'’.-]*", re.UNICODE)


def clean_markup(text: str) -> str:
    """'<Acme Steel Corp>' -> ' Acme Steel Corp ', '<ACM.N>' -> blanks (a ticker is no name)."""
    def sub(m: re.Match[str]) -> str:
        inner = m.group(1)
        if _TICKER.match(inner.strip()):
            return " " * len(m.group(0))
        return " " + inner + " "
    return _MARKUP.sub(sub, text)


def unwrap_lines(text: str) -> str:
    """A newline inside a paragraph (the next line starts flush with text) becomes a space;
    blank lines and indented starts stay paragraph breaks."""
    chars = list(text)
    for i, c in enumerate(chars):
        if c != "\n" or i == 0 or i + 1 >= len(chars):
            continue
        prev, nxt = chars[i - 1], chars[i + 1]
        if prev not in "\n" and not nxt.isspace():
            if _is_caps_line(text, i):
                continue  # a headline stays its own line
            chars[i] = " "
    return "".join(chars)


def _line_at(text: str, newline: int) -> str:
    start = text.rfind("\n", 0, newline) + 1
    return text[start:newline]


def _is_caps_line(text: str, newline: int) -> bool:
    return is_caps(_line_at(text, newline))


def is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 6 and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def recase_caps_lines(text: str) -> str:
    """Give all-capitals lines (headlines, datelines) the casing the body uses for the same
    words; words the body never writes are capitalised when they are not function or cue words."""
    lines = text.split("\n")
    if not any(is_caps(ln) for ln in lines):
        return text
    body_forms: dict[str, Counter[str]] = {}
    for ln in lines:
        if is_caps(ln):
            continue
        for w in _WORD.findall(ln):
            body_forms.setdefault(w.lower(), Counter())[w] += 1
    out = []
    for ln in lines:
        out.append(_recase_line(ln, body_forms) if is_caps(ln) else ln)
    return "\n".join(out)


def _recase_line(line: str, body_forms: dict[str, Counter[str]]) -> str:
    def sub(m: re.Match[str]) -> str:
        w = m.group(0)
        low = w.lower()
        forms = body_forms.get(low)
        if forms:
            # prefer a non-sentence-initial capitalised or lower form the body really uses
            best = max(forms.items(), key=lambda kv: (kv[1], kv[0] != kv[0].upper()))[0]
            new = best
        elif low in lx.LOWERCASE_WORDS:
            new = low
        elif len(w) <= 3 and "." in w or (len(w) <= 4 and low not in lx.LOWERCASE_WORDS
                                          and not any(v in low for v in "aeiouy")):
            new = w  # "U.K.", "NTT": initials stay
        else:
            new = w[:1] + w[1:].lower()
        return new if len(new) == len(w) else w
    return _WORD.sub(sub, line)


def normalize(text: str) -> str:
    """The whole clean-up; the result has exactly the length of the input."""
    out = recase_caps_lines(clean_markup(unwrap_lines(text)))
    assert len(out) == len(text)
    return out
