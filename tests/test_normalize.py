"""Wire-copy clean-up (loaders/normalize.py) without the model: markup, tickers, hard wraps,
all-capitals headlines, and the origin map that keeps evidence in the article's own offsets.
Every text here is written for these tests; the company names are invented."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from loaders.normalize import Cleaned, clean_markup, is_caps, normalize, unwrap_lines


def identity(text: str) -> Cleaned:
    return Cleaned(text, list(range(len(text) + 1)))


def same_char(original: str, cleaned: Cleaned, i: int) -> bool:
    """text[i] is the original character it points at, up to recasing and whitespace."""
    o, ch = original[cleaned.origin[i]], cleaned.text[i]
    return o == ch or (o.isspace() and ch.isspace()) or o.lower() == ch.lower()


def assert_map_well_formed(original: str, c: Cleaned) -> None:
    assert len(c.origin) == len(c.text) + 1
    assert c.origin[-1] == len(original)
    assert all(0 <= o < len(original) for o in c.origin[:-1])
    assert all(a <= b for a, b in zip(c.origin, c.origin[1:], strict=False))


def assert_map_exact(original: str, c: Cleaned) -> None:
    """Each output character comes from its own original character, and what lies outside
    the span of the whole text is only what the clean-up drops."""
    assert [i for i in range(len(c.text)) if not same_char(original, c, i)] == []
    assert all(a < b for a, b in zip(c.origin, c.origin[1:], strict=False))
    if c.text:
        s, e = c.original_span(0, len(c.text))
        assert normalize(original[:s]).text.strip(" \n<>") == ""
        assert normalize(original[e:]).text.strip(" \n<>") == ""


# --------------------------------------------------------------------------- markup, tickers

@pytest.mark.parametrize("raw, clean", [
    ("Shares in <Quillon Steel Corp> rose sharply.", "Shares in Quillon Steel Corp rose sharply."),
    ("<Harrow Foods Inc> said it would expand.", "Harrow Foods Inc said it would expand."),
    ("Talks between <Vireo Labs> and <Orban Metals AG> ended.",
     "Talks between Vireo Labs and Orban Metals AG ended."),
    ("(<Vireo Labs>) said", "(Vireo Labs) said"),
    ("a single-word name <Zentrix> stays", "a single-word name Zentrix stays"),
])
def test_reuters_name_markup_loses_its_brackets(raw, clean):
    assert normalize(raw).text == clean


@pytest.mark.parametrize("raw, clean", [
    ("Quillon Steel Corp <QSC.N> said it signed.", "Quillon Steel Corp said it signed."),
    ("Harrow Foods <XYZ> and Vireo Labs <VRL.TO> agreed.", "Harrow Foods and Vireo Labs agreed."),
    ("<QSC.N> said", " said"),
    ("Orban Metals<ORB>", "Orban Metals"),
    ("ends with a ticker <QSC>", "ends with a ticker"),
    ("numbers count too <A&B2>.", "numbers count too."),
])
def test_ticker_symbols_vanish(raw, clean):
    assert normalize(raw).text == clean


@pytest.mark.parametrize("raw", [
    "prices a < b here",
    "an unclosed <Quillon Steel",
    "closed only > here",
    "<>",
    "<" + "x" * 81 + ">",  # longer than any name: not markup
    "nested <<Vireo>",
])
def test_text_that_is_not_markup_keeps_its_angle_brackets(raw):
    c = normalize(raw)
    assert c.text.count("<") + c.text.count(">") >= 1
    assert_map_well_formed(raw, c)


def test_markup_may_span_a_hard_wrap():
    raw = "Talks with <Orban Metals\nAG> went on."
    assert normalize(raw).text == "Talks with Orban Metals AG went on."


def test_clean_markup_alone_maps_each_name_character_to_itself():
    raw = "<Quillon Steel Corp> said"
    c = clean_markup(identity(raw))
    assert c.text == "Quillon Steel Corp said"
    assert [raw[o] for o in c.origin[:-1]] == list(c.text)


def test_markup_after_a_space_maps_each_name_character_to_itself():
    raw = "Shares in <Quillon Steel Corp> rose"
    c = normalize(raw)
    assert c.text == "Shares in Quillon Steel Corp rose"
    assert [raw[o] for o in c.origin[:-1]] == list(c.text)


def test_original_span_of_text_ending_in_markup_covers_the_name():
    raw = "Vireo Labs signed a pact with <Orban Metals AG>"
    c = normalize(raw)
    s, e = c.original_span(0, len(c.text))
    assert raw[s:e] == raw


# --------------------------------------------------------------------------- line breaks

def test_hard_wrapped_lines_join():
    raw = "Quillon Steel Corp said\nit would build a plant\nwith Harrow Foods."
    assert normalize(raw).text == "Quillon Steel Corp said it would build a plant with Harrow Foods."


def test_blank_lines_and_indented_starts_stay_breaks():
    raw = ("Vireo Labs signed a pact.\n\nThe pact runs\nfor five years.\n"
           "    Orban Metals said\nit was pleased.")
    assert normalize(raw).text == ("Vireo Labs signed a pact.\n\nThe pact runs for five years.\n"
                                   "    Orban Metals said it was pleased.")


def test_an_all_capitals_headline_stays_its_own_line():
    raw = "VIREO LABS SIGNS PACT WITH ORBAN METALS\nVireo Labs said on Monday it signed a pact."
    out = normalize(raw).text
    assert out.split("\n")[1] == "Vireo Labs said on Monday it signed a pact."
    assert out.count("\n") == 1


def test_crlf_line_ends_unwrap_and_keep_paragraphs():
    out = normalize("Vireo Labs\r\nsigned a pact.\r\n\r\nIt runs for a year.").text
    assert "Vireo Labs signed a pact." in out
    assert "\n" in out and out.split("\n")[-1].strip() == "It runs for a year."
    assert "\r" not in out


def test_unwrap_keeps_the_origin_map_and_the_first_and_last_newline():
    raw = "\nsaid\nit\n"
    c = unwrap_lines(identity(raw))
    assert c.text == "\nsaid it\n" and c.origin == list(range(len(raw) + 1))


def test_tabs_no_break_spaces_and_runs_of_spaces_become_one_space():
    raw = "Vireo\tLabs\u00a0and   Orban  Metals"
    c = normalize(raw)
    assert c.text == "Vireo Labs and Orban Metals"
    assert_map_exact(raw, c)


def test_markdown_image_placeholders_disappear():
    raw = "![]()\nVireo Labs signed a pact.\n|\n"
    c = normalize(raw)
    assert "![]()" not in c.text and "|" not in c.text
    assert "Vireo Labs signed a pact." in c.text
    assert_map_exact(raw, c)


# --------------------------------------------------------------------------- headlines

def test_is_caps_needs_six_letters_mostly_capitals():
    assert is_caps("VIREO LABS SIGNS PACT")
    assert is_caps("VIREO LABS <VRL.N> IN PACT, 3 MLN DLRS")
    assert not is_caps("VIREO LABS signs")  # under 85 per cent capitals
    assert not is_caps("IN ACT")  # five letters
    assert not is_caps("Vireo Labs signs pact")
    assert not is_caps("")


def test_an_all_capitals_headline_takes_the_body_casing_of_its_words():
    raw = ("QUILLON STEEL FORMS VENTURE WITH HARROW FOODS\n"
           "Quillon Steel Corp formed a venture with Harrow Foods Inc on Monday, the two "
           "companies said.")
    head = normalize(raw).text.split("\n")[0]
    assert head == "Quillon Steel forms venture with Harrow Foods"


def test_headline_words_the_body_never_writes():
    raw = ("ZENTRIX CORP AND NTT IN U.S. PACT IN BRAZIL\n"
           "The pact was announced on Monday by the two companies.")
    head = normalize(raw).text.split("\n")[0]
    # the first word, legal forms and places are capitalised, initials stay, other words are
    # words (a name of the story is written in its body too)
    assert head == "Zentrix Corp and NTT in U.S. pact in Brazil"


def test_the_most_frequent_body_form_wins():
    raw = ("KORVAN SIGNS PACT\nKorvan said the pact was signed. Korvan would expand. "
           "KORVAN, a name in capitals once.")
    assert normalize(raw).text.startswith("Korvan signs pact\n")


def test_recasing_keeps_length_and_origin():
    raw = "<VIREO LABS> <VRL.N> SIGNS PACT\nVireo Labs signed it on Monday."
    c = normalize(raw)
    assert c.text.startswith("Vireo Labs signs pact\n")
    assert_map_well_formed(raw, c)
    assert all(same_char(raw, c, i) for i in range(len(c.text)))


def test_mixed_case_text_is_left_alone():
    raw = "Vireo Labs signs pact\n\nVireo Labs said it signed a pact."
    assert normalize(raw).text == raw


def test_a_headline_name_the_body_writes_before_a_full_stop():
    raw = "VIREO LABS SIGNS PACT\nThe pact was signed by Vireo Labs."
    assert normalize(raw).text.split("\n")[0] == "Vireo Labs signs pact"


def test_headline_function_words_are_lower_case():
    raw = "ZENTRIX TO FORM A NEW VENTURE\nThe venture was announced on Monday."
    assert normalize(raw).text.split("\n")[0] == "Zentrix to form a new venture"


# --------------------------------------------------------------------------- the origin map

WORDS = ["Vireo", "Labs", "signed", "a", "pact", "with", "the", "firm", "on", "Monday", "said",
         "it", "Korvan", "Metals", "would", "expand", "Zentrix", "AG", "Inc", "5.2", "pct",
         "Ünal", "Đông", "’s", "'s", "(", ")", "-", "&", ",", ".", '"', "|", "![]()"]
NAMES = ["<Orban Metals AG>", "<Harrow Foods Inc>", "<Vireo>", "<Quillon Steel\nCorp>",
         "<Đông Á Bank>"]
TICKERS = ["<QSC.N>", "<XYZ>", "<VRL.TO>", "<A1>", "<HF&C>"]
CAPS = ["VIREO LABS SIGNS PACT WITH KORVAN", "ZENTRIX, ORBAN IN JOINT VENTURE",
        "KORVAN <KRV.N> TO BUY STAKE IN BRAZIL"]
BREAKS = [" ", " ", " ", "  ", "\t", "\u00a0", "\n", "\n\n", "\n    ", "\r\n", " \n"]

word = st.sampled_from(WORDS)
breaks = st.sampled_from(BREAKS)


@st.composite
def wire_texts(draw, names_after_space: bool = True):
    """Texts of wire-copy pieces: words, markup names, tickers, caps headlines, breaks."""
    parts: list[str] = []
    if draw(st.booleans()):
        parts += [draw(st.sampled_from(CAPS)), draw(st.sampled_from(["\n", "\n\n"]))]
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.sampled_from(["word"] * 6 + ["name", "ticker", "break", "para"]))
        if kind == "word":
            parts.append(draw(word))
        elif kind == "ticker":
            parts.append(draw(st.sampled_from(["", " "])) + draw(st.sampled_from(TICKERS)))
        elif kind == "name" and names_after_space:
            parts.append(draw(st.sampled_from(["", " "])) + draw(st.sampled_from(NAMES)))
        elif kind == "para" and not names_after_space:
            # a name markup that starts a paragraph: no space before its '<'
            parts.append("\n\n" + draw(st.sampled_from(NAMES)))
        else:
            parts.append(draw(breaks))
        if draw(st.integers(0, 3)):
            parts.append(draw(breaks))
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(wire_texts())
@example("")
@example("Vireo <Orban Metals AG>")
def test_the_origin_map_is_in_range_and_in_order(text):
    c = normalize(text)
    assert_map_well_formed(text, c)
    for t in TICKERS:
        assert t not in c.text
    assert "\t" not in c.text and "\r" not in c.text and "\u00a0" not in c.text
    if c.text:
        s, e = c.original_span(0, len(c.text))
        assert 0 <= s < e <= len(text)
    assert c.original_span(0, 0) == (c.origin[0], c.origin[0])


@settings(max_examples=300, deadline=None)
@given(wire_texts(names_after_space=False))
@example("<Orban Metals AG> said.\n\n<Vireo> <VRL.N> agreed")
def test_every_character_points_at_itself_in_the_original(text):
    """Without the ' <Name>' case (see the xfail tests above) the map is exact."""
    assert_map_exact(text, normalize(text))


@settings(max_examples=100, deadline=None)
@given(wire_texts())
@example("Shares in <Orban Metals AG>")
def test_every_character_points_at_itself_also_after_markup_after_a_space(text):
    assert_map_exact(text, normalize(text))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_keeps_a_well_formed_map(text):
    c = normalize(text)
    assert_map_well_formed(text, c)
    # a span of the cleaned text maps inside the original
    for a in range(0, len(c.text), 7):
        b = min(len(c.text), a + 5)
        s, e = c.original_span(a, b)
        assert 0 <= s <= e <= len(text)
