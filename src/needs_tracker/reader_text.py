"""Text as a reader hands it over: a PDF's lines unwrapped, a legacy encoding told apart.

A PDF has no paragraphs, only lines placed on a page. A justified note (fpdf2's ``multi_cell``,
a word processor's export) comes out of ``extract_text`` with a hard break at every line end and
runs of spaces where the words were spread: "The delegation of Kyrgyzstan explained that its" on
a line of its own reads as a heading, and the sentence it opens is lost. ``unwrap_pdf_lines``
joins the lines that would cut a sentence in two, here in the reader, so the extraction
rules see one kind of text whatever the file's format.

A ``.txt`` in a legacy East Asian or Cyrillic encoding (Shift-JIS, GBK, KOI8-R ...) decodes
without error as Windows-1252 into mojibake that names no state. ``is_mojibake`` says when a
cp1252 reading is such nonsense, so the file is refused instead of stored with no findings.
"""

from __future__ import annotations

import re

from .headings import HEADING_WORDS_MAX  # (not from extract.text: the reader stays light)

# A line that opens something of its own: a bullet, a numbered item, a "Label:" field.
_OPENS_ITEM = re.compile(r"^\s*(?:[-*•·▪◦]\s|\(?\d{1,3}[.)]\s|\(?[a-z][.)]\s|[A-Z][A-Za-z /&()–-]{1,45}:(?:\s|$))")
_ENDS_SENTENCE = re.compile(r"[.:;!?][\"'”’)]*$")


def unwrap_pdf_lines(page_text: str) -> str:
    """One page's text with the first line of a paragraph joined to the line it runs on into.

    That first line (after a sentence's end, or the page's first) is the one the layout turns into
    a false heading: short, capitalised, no closing punctuation ("The delegation of Kyrgyzstan
    explained that its"), so the sentence it opens is cut in two. It joins the next line when that
    line opens in lower case ("customs officers lack ..."). Other line breaks are kept as the page
    has them: the rules already read a wrapped paragraph as one, and tables and lists need them.
    Runs of spaces are kept too: making them one moved the offer guards (tests/test_offers.py).
    """
    out: list[str] = []
    for line in page_text.split("\n"):
        first_of_paragraph = len(out) < 2 or _closes_a_block(out[-2].strip())
        if out and out[-1].strip() and line.strip() and first_of_paragraph and _runs_on(out[-1].strip(), line.strip()):
            # "export-\ncontrol": the hyphen stays, the words join without a space
            head = out[-1].rstrip()
            out[-1] = head + line.lstrip() if head.endswith("-") else f"{head} {line.lstrip()}"
        else:
            out.append(line)
    return "\n".join(out)


def _closes_a_block(line: str) -> bool:
    """An empty line, a sentence's end, or a short heading ("Background"): what follows opens a paragraph."""
    return not line or bool(_ENDS_SENTENCE.search(line)) or len(line.split()) <= HEADING_WORDS_MAX // 2


def _runs_on(line: str, following: str) -> bool:
    if _ENDS_SENTENCE.search(line) or _OPENS_ITEM.match(following):
        return False
    return following[:1].islower() and len(line.split()) <= HEADING_WORDS_MAX


# Letters of the Latin-1 supplement and cp1252's extra punctuation: in a real Windows-1252 note
# they are a few accented letters among ASCII words ("Côte d'Ivoire", "Lomé"); in a Shift-JIS or
# GBK file read as cp1252 every other character is one.
_HIGH = re.compile(r"[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]")
_MOJIBAKE_SHARE = 0.3


def is_mojibake(text: str) -> bool:
    """Whether a cp1252 reading of a file is nonsense: most of its letters are high characters."""
    letters = [ch for ch in text if not ch.isspace() and not ch.isdigit()]
    if len(letters) < 4:
        return False
    high = sum(1 for ch in letters if _HIGH.match(ch))
    return high / len(letters) > _MOJIBAKE_SHARE


# Legacy encodings a note might come in, tried strictly: only to tell a text in one of them from
# binary data in the refusal, never to read the file (the README promises three encodings).
_LEGACY = ("shift_jis", "euc_jp", "gbk", "big5", "euc_kr", "koi8_r")
_LEGACY_MIN_LETTERS = 8


def in_legacy_encoding(data: bytes) -> bool:
    """Whether ``data`` reads, in some legacy encoding, as mostly CJK or Cyrillic letters."""
    for codec in _LEGACY:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        letters = [ch for ch in text if not ch.isspace()]
        wide = sum(1 for ch in letters if ord(ch) > 0x2000 or "\u0400" <= ch <= "\u04ff")
        if wide >= _LEGACY_MIN_LETTERS and wide / len(letters) > _MOJIBAKE_SHARE:
            return True
    return False
