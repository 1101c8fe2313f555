"""Text clean-up before parsing. Wire copy needs it: hard-wrapped lines split sentences for
the parser, `<Name>` markup and `<TICK.N>` ticker symbols sit inside names, and all-capitals
headlines defeat a model trained on mixed case.

Every step keeps a map from each output character to its place in the original, so evidence
and offsets are those of the article as written."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from loaders import lexicon as lx

_MARKUP = re.compile(r" ?<([A-Z0-9][^<>\n=\"]{0,79})>")  # "<Acme Corp>"; never "<b>" or "</p>"
_TICKER = re.compile(r"^[A-Z0-9&]{1,6}(?:\.[A-Z]{1,3})?$")
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_][\w&'’-]*", re.UNICODE)  # "U.S." or a word
_PLACEHOLDER = re.compile(r"^[ \t]*(?:!\[\]\(\)[ \t]*\|?|\|)[ \t]*$", re.MULTILINE)


@dataclass
class Cleaned:
    text: str
    origin: list[int]  # origin[i]: index in the original of text[i]; one extra entry at the end
    marked: list[tuple[int, int]] = field(default_factory=list)  # names the wire marked up

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original text of text[start:end], with what the clean-up dropped inside it
        and right after it (a closing '>' of markup)."""
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], max(self.origin[end - 1] + 1, self.origin[end])


def _sub(c: Cleaned, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]) -> Cleaned:
    out: list[str] = []
    origin: list[int] = []
    pos = 0
    for m in pattern.finditer(c.text):
        out.append(c.text[pos:m.start()])
        origin += c.origin[pos:m.start()]
        new = repl(m)
        origin += _align(m.group(0), new, c.origin[m.start():m.end()])
        out.append(new)
        pos = m.end()
    out.append(c.text[pos:])
    origin += c.origin[pos:]
    return Cleaned("".join(out), origin, _shift(c, pattern, repl))


def _shift(c: Cleaned, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]
           ) -> list[tuple[int, int]]:
    """Marked spans moved through a substitution."""
    if not c.marked:
        return []
    delta: list[tuple[int, int]] = []  # (input end of a match, cumulative length change)
    total = 0
    for m in pattern.finditer(c.text):
        total += len(repl(m)) - (m.end() - m.start())
        delta.append((m.end(), total))

    def move(i: int) -> int:
        d = 0
        for end, tot in delta:
            if end <= i:
                d = tot
        return i + d
    return [(move(a), move(b)) for a, b in c.marked]


def _align(old: str, new: str, where: list[int]) -> list[int]:
    """Origins for a replacement: each new character takes the origin of the old character it
    copies (matched in order), else of the next copied one ('[space]<Name>' -> '[space]Name')."""
    out: list[int | None] = []
    j = 0
    for ch in new:
        k = old.find(ch, j)
        if k < 0 or (ch == " " and old[j:k].strip()):
            out.append(None)
        else:
            out.append(where[k])
            j = k + 1
    filled: list[int] = []
    prev = where[0] if where else 0
    for v in out:
        prev = v if v is not None else prev
        filled.append(prev)
    return filled


_EXCHANGE_TICKER = re.compile(r" ?\((?:[A-Z][A-Za-z]{1,9}\s?)+:\s?[A-Z0-9][A-Z0-9.]{0,7}\)")


def drop_exchange_tickers(c: Cleaned) -> Cleaned:
    """'Acme Corp (NYSE: ACM)': an exchange and a ticker symbol are neither names nor aliases."""
    return _sub(c, _EXCHANGE_TICKER, lambda m: "")


def clean_markup(c: Cleaned) -> Cleaned:
    """'<Acme Steel Corp>' -> 'Acme Steel Corp' (remembered as a marked name); '<ACM.N>' goes
    (a ticker is no name)."""
    def repl(m: re.Match[str]) -> str:
        inner = m.group(1).strip()
        if _TICKER.match(inner):
            return ""
        return (" " if m.group(0).startswith(" ") else "") + inner
    out = _sub(c, _MARKUP, repl)
    marked, pos = [], 0
    for m in _MARKUP.finditer(c.text):
        inner = m.group(1).strip()
        if _TICKER.match(inner):
            continue
        at = out.text.find(inner, pos)
        if at >= 0:
            marked.append((at, at + len(inner)))
            pos = at + len(inner)
    out.marked = marked
    return out


def unwrap_lines(c: Cleaned) -> Cleaned:
    """A newline inside a paragraph (the next line starts flush with text) becomes a space;
    blank lines, indented starts and all-capitals headlines stay breaks."""
    text = c.text
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch != "\n" or i == 0 or i + 1 >= len(chars):
            continue
        if chars[i - 1] != "\n" and not chars[i + 1].isspace() and not is_caps(_line_at(text, i)):
            chars[i] = " "
    return Cleaned("".join(chars), c.origin, c.marked)


def _line_at(text: str, newline: int) -> str:
    return text[text.rfind("\n", 0, newline) + 1:newline]


def is_caps(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 6 and sum(ch.isupper() for ch in letters) >= 0.85 * len(letters)


def recase_caps_lines(c: Cleaned) -> Cleaned:
    """Give all-capitals lines (headlines, datelines) the casing the body uses for the same
    words; words the body never writes are capitalised unless they are function or cue words."""
    lines = c.text.split("\n")
    if not any(is_caps(ln) for ln in lines):
        return c
    body_forms: dict[str, Counter[str]] = {}
    for ln in lines:
        if not is_caps(ln):
            for w in _WORD.findall(ln):
                body_forms.setdefault(w.lower(), Counter())[w] += 1
    text = "\n".join(_recase_line(ln, body_forms) if is_caps(ln) else ln for ln in lines)
    return Cleaned(text, c.origin, c.marked)


def _recase_line(line: str, body_forms: dict[str, Counter[str]]) -> str:
    def sub(m: re.Match[str]) -> str:
        w = m.group(0)
        low = w.lower()
        forms = body_forms.get(low)
        if forms:
            new = max(forms.items(), key=lambda kv: (kv[1], kv[0] != kv[0].upper()))[0]
        elif low in lx.LEGAL_FORMS:
            new = w[:1] + w[1:].lower()
        elif low in lx.LOWERCASE_WORDS:
            new = low
        elif "." in w or (len(w) <= 4 and not any(v in low for v in "aeiouy")):
            new = w  # "R.U.", "XKT": initials stay
        elif _is_place(w) or m.start() == 0:
            new = w[:1] + w[1:].lower()  # a place, or the first word of the line
        else:
            new = low  # a name of the story is written in its body too; other words are words
        return new if len(new) == len(w) else w
    return _WORD.sub(sub, line)


def _is_place(word: str) -> bool:
    from loaders.places import lookup

    return lookup(word) is not None


# Wire copy capitalises the word after an abbreviation as if a sentence began there ("the U.S.
# And Beta", "a U.S. Based firm"); these words never start a sentence of news, so they are
# lower-cased (same length: the origin map is unchanged) and the name after them stays apart.
_AFTER_ABBREVIATION = re.compile(
    r"(?<=\b[A-Z]\.[A-Z]\. )(" + "|".join(w.capitalize() for w in sorted(lx.NEVER_SENTENCE_START))
    + r")(?=[ ,\n])")


def lower_after_abbreviation(c: Cleaned) -> Cleaned:
    """'of the U.S. And Beta AG' -> 'of the U.S. and Beta AG'."""
    text = _AFTER_ABBREVIATION.sub(lambda m: m.group(1).lower(), c.text)
    return Cleaned(text, c.origin, c.marked)


def _spaces(c: Cleaned) -> Cleaned:
    """Runs of spaces inside a line become one; tabs and no-break spaces become spaces."""
    c = _sub(c, re.compile(r"[\t\u00a0\r]"), lambda m: " ")
    return _sub(c, re.compile(r"(?<=\S)  +(?=\S)"), lambda m: " ")


def normalize(text: str) -> Cleaned:
    c = Cleaned(text, list(range(len(text) + 1)))
    c = _sub(c, _PLACEHOLDER, lambda m: "")
    c = unwrap_lines(_spaces(c))
    c = clean_markup(c)
    c = drop_exchange_tickers(c)
    c = _spaces(c)
    c = recase_caps_lines(c)
    c = lower_after_abbreviation(c)
    return c
