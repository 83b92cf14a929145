"""Cut a note into blocks (paragraphs, list items, headings) and sentences with character spans.

Notes arrive hard-wrapped (cables, PDF text), as one paragraph per line (Word) or with
blank lines (text, markdown). A block ends at a blank line, before a list item or field
label, and after a line that closes a sentence or is a short heading; spaCy's sentencizer
then splits each block into sentences. Every span indexes the original text unchanged.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.tokens import Span

from ..headings import HEADING_WORDS_MAX  # (one home, which the reader shares)

BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣–]|\(?[a-z]\)|\(?\d{1,2}[.)])\s+")
GLYPH_BULLET = re.compile(r"^\s*[-*•·▪◦‣–]\s+")
FOOTNOTE = re.compile(r"^\s*(?:[¹²³⁴⁵⁶⁷⁸⁹]|\d\s+For information)")
LABEL_LINE = re.compile(r"^\s*(?:[-*•]\s*)?\**\s*[A-Z][A-Za-z /&()–-]{1,45}:\**\s*")
MARKUP = re.compile(r"^[#>\s*_]+|[*_]+$")
# The longest piece handed to spaCy at once: below its max_length (1,000,000), with room to spare.
CHUNK_CHARS = 100_000

OBJECTIVE_HEADINGS = re.compile(r"\b(objectives?|aims?|purposes?|goals?|agenda|programme)\b", re.I)
BACKGROUND_HEADINGS = re.compile(r"\b(background|introduction)\b", re.I)
NEED_HEADINGS = re.compile(r"\b(needs|challenges|gaps|requests|difficulties|shortcomings|assistance requested)\b", re.I)
# A paragraph that ends in a colon and names needs (since its previous colon) or aims leads a list.
# Only the words are patterns (``lead_in``): "word[^:]*:$" searched in a paragraph of 10,000 "needs"
# without a colon re-read the rest of it from each one.
NEED_LEAD_WORDS = re.compile(
    r"\b(needs?|challenges?|gaps?|requests?|requested|priorit(?:y|ies)|difficulties|shortcomings|assistance)\b", re.I)
CLOSING_HEADINGS = re.compile(r"\b(additional comments|contact|for further information)\b", re.I)
AIM_LEAD_WORDS = re.compile(r"\b(aim(ed|s)? to|sought to|designed to|objectives? (were|was|is|are)|purpose)\b", re.I)


def lead_in(text: str) -> tuple[bool, bool]:
    """(aims, needs): whether a paragraph leads a list of objectives ("The workshop aimed to:") or
    of needs ("The following needs were identified:")."""
    text = text.strip()
    if not text.endswith(":"):
        return False, False
    aims = AIM_LEAD_WORDS.search(text, 0, len(text) - 1) is not None
    last = text.rfind(":", 0, len(text) - 1) + 1  # the need word must stand after any earlier colon
    return aims, not aims and NEED_LEAD_WORDS.search(text, last, len(text) - 1) is not None


@dataclass(frozen=True)
class Block:
    start: int
    end: int
    text: str
    kind: str  # heading, bullet, label, footnote, paragraph
    section: str  # objectives, background, closing, body


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    block: int  # index of its block
    section: str
    in_objective_list: bool
    span: Span | None = None  # the spaCy sentence, so rules match without tokenizing again
    part: int = 0  # 0, or the number of a later statement in the same sentence ("..., while B ...")
    whole: Span | None = None  # for such a part, the whole sentence
    in_need_list: bool = False  # an item under "the following needs were identified:"


@functools.lru_cache(maxsize=1)
def nlp() -> Language:
    """spaCy's blank English pipeline with a sentencizer: no model download needed."""
    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    pipeline.tokenizer = BoundedTokenizer(pipeline.tokenizer)
    return pipeline


# spaCy peels a word's prefixes and suffixes one at a time, searching the whole remaining word for
# each (its suffix pattern is anchored at the end, so every search scans the word): a word of n
# punctuation marks (";;;;", "((((", a hostile note's 300 KB of ":") costs n searches of n
# characters, 10 s for 10,000 characters. Two guards keep it linear without changing a real word.
MAX_WORD_CHARS = 500  # a run without whitespace longer than this is read as x's, in words of this size
AFFIX_EXACT_CHARS = 64  # a word up to this length is searched whole, exactly as spaCy does
AFFIX_WINDOW = 16  # a longer word: only its last (or first) characters are searched for an affix
_LONG_RUN = re.compile(rf"\S{{{MAX_WORD_CHARS},}}")
_RUN_PIECE = "x" * (MAX_WORD_CHARS - 1) + " "


def break_long_runs(text: str) -> str:
    """``text`` with every run of MAX_WORD_CHARS or more characters without whitespace read as
    words of x's of that length: no word or address is that long (a run of 300,000 ";" is 300,000 tokens of
    375 bytes each, as x's it is 600). The same length, so every token's offset still indexes the
    original text (the note's own text is always taken from the original by offset, never from
    the tokens)."""
    if len(text) < MAX_WORD_CHARS or not _LONG_RUN.search(text):
        return text
    return _LONG_RUN.sub(lambda m: (_RUN_PIECE * (len(m.group()) // MAX_WORD_CHARS + 1))[:len(m.group())], text)


class _AffixLength:
    """What spaCy reads of an affix match: its length (``end() - start()``)."""

    __slots__ = ("length",)

    def __init__(self, length: int):
        self.length = length

    def start(self) -> int:
        return 0

    def end(self) -> int:
        return self.length


def _bounded_search(search, at_end: bool):
    """``search`` (spaCy's prefix or suffix pattern) run on a word's first or last AFFIX_WINDOW
    characters once the word is longer than AFFIX_EXACT_CHARS (no affix is that long), and
    remembered per window, so a run of one repeated mark costs one search, not one per mark."""

    @functools.lru_cache(maxsize=4096)
    def in_window(window: str) -> int | None:
        found = search(window)
        return None if found is None else found.end() - found.start()

    def bounded(word: str):
        if len(word) <= AFFIX_EXACT_CHARS:
            return search(word)
        length = in_window(word[-AFFIX_WINDOW:] if at_end else word[:AFFIX_WINDOW])
        return None if length is None else _AffixLength(length)

    return bounded


class BoundedTokenizer:
    """spaCy's tokenizer behind the two guards above; everything else is spaCy's own."""

    def __init__(self, tokenizer):
        tokenizer.suffix_search = _bounded_search(tokenizer.suffix_search, at_end=True)
        tokenizer.prefix_search = _bounded_search(tokenizer.prefix_search, at_end=False)
        self.tokenizer = tokenizer

    def __call__(self, text: str):
        return self.tokenizer(break_long_runs(text))

    def __getattr__(self, name: str):
        return getattr(self.tokenizer, name)


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


GROUP_FILLER = {"the", "two", "three", "four", "five", "six", "delegations", "delegation", "states", "countries",
                "participants", "present", "governments", "members"}
SUBJECT_WORDS = re.compile(r"^(all|most|several|some|both|the|each)\b", re.I)


def subject_label(line: str) -> str | None:
    """The subject of a list item written "Paraguay: no control list ..." or "All
    participating States: ...": a statement about states, not a field of the note."""
    from ..states import state_index

    match = LABEL_LINE.match(line)
    if not match:
        return None
    label = re.sub(r"^[\s*•·-]+|[\s*:]+$", "", match.group(0))
    idx = state_index()
    if idx.resolve(label) or SUBJECT_WORDS.match(label):
        return label
    for _key, start, end in idx.find_group_mentions(label):  # "Nordic delegations", not "Member States of LAS"
        rest = (label[:start] + label[end:]).lower().split()
        if all(w in GROUP_FILLER or w.isdigit() for w in rest):
            return label
    return None


def is_field_label(line: str) -> bool:
    """A header field ("Event:", "Participating States:"), not prose that opens with a word
    and a colon ("Note: Post is transmitting ...")."""
    from .fields import field_for_label

    match = LABEL_LINE.match(line)
    return bool(match) and field_for_label(re.sub(r"^[\s*•·-]+|[\s*:]+$", "", match.group(0)).lower()) is not None


def _is_heading(line: str) -> bool:
    stripped = MARKUP.sub("", line.strip()).strip()
    if not stripped or stripped.endswith((".", ",", ";", ":")) or len(stripped.split()) > HEADING_WORDS_MAX:
        return False
    return stripped[0].isupper() or stripped[0].isdigit()


def split_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    current: list[tuple[int, int]] = []

    def close() -> None:
        if current:
            s, e = current[0][0], current[-1][1]
            body = text[s:e]
            first = text[current[0][0]:current[0][1]]
            if FOOTNOTE.match(first):
                kind = "footnote"
            elif LABEL_LINE.match(first) and not subject_label(first) and is_field_label(first):
                kind = "label"
            elif GLYPH_BULLET.match(first):
                kind = "bullet"
            elif len(current) == 1 and _is_heading(first):
                kind = "heading"
            elif BULLET.match(first):
                kind = "bullet"
            else:
                kind = "paragraph"
            blocks.append(Block(s, e, body, kind, "body"))
            current.clear()

    for s, e in _line_spans(text):
        line = text[s:e]
        if not line.strip():
            close()
            continue
        if current:
            prev = text[current[-1][0]:current[-1][1]].rstrip()
            wrapped = line.lstrip()[:1].islower() and not prev.endswith(":")  # "the U.S.\ndelegation to ..."
            starts_new = (
                BULLET.match(line) or LABEL_LINE.match(line) or FOOTNOTE.match(line)
                or (prev.endswith((".", ":", ";", "?", "!", ".\"", ".”")) and not wrapped)
                or (len(current) == 1 and _is_heading(prev))
                or _is_heading(line) and not prev.endswith((",", "-", "/"))
                and not line.strip()[0].islower() and len(prev.split()) <= HEADING_WORDS_MAX
                and not prev.lstrip()[:1].islower()  # "implementation of the ...\nResolution 1540 was": wrapped
            )
            if starts_new:
                close()
        current.append((s, e))
    close()
    return _assign_sections(blocks)


def _assign_sections(blocks: list[Block]) -> list[Block]:
    section = "body"
    out = []
    for b in blocks:
        if b.kind == "heading":
            title = MARKUP.sub("", b.text).strip()
            if OBJECTIVE_HEADINGS.search(title):
                section = "objectives"
            elif BACKGROUND_HEADINGS.search(title):
                section = "background"
            elif CLOSING_HEADINGS.search(title):
                section = "closing"
            elif NEED_HEADINGS.search(title):
                section = "needs"
            else:
                section = "body"
        out.append(Block(b.start, b.end, b.text, b.kind, section))
    return out


def sentences(text: str, blocks: list[Block] | None = None) -> list[Sentence]:
    """Sentences of the note's prose (headings, field labels and footnotes left out)."""
    blocks = blocks if blocks is not None else split_blocks(text)
    out: list[Sentence] = []
    in_list = False  # items after "The workshop aimed to:"
    in_need_list = False  # items after "The following needs were identified:"
    by_index: dict[int, list] = {}
    for doc, base, ranges in _parsed_groups(text, blocks):
        for i, first, last in ranges:
            by_index.setdefault(i, []).append((doc, base, first, last))
    for i, b in enumerate(blocks):
        if b.kind == "footnote":
            continue  # a footnote inside a list does not end the list
        if b.kind == "bullet":
            pass
        elif b.kind == "paragraph":
            in_list, in_need_list = lead_in(b.text)
        else:
            in_list = in_need_list = False
        for doc, base, first, last in by_index.get(i, ()):
            out.extend(_doc_sentences(text, doc, first, last, b, i, base, in_list, in_need_list))
    return out


def _parsed_groups(text: str, blocks: list[Block]):
    """(doc, offset of the doc in the text, [(block index, first token, end token)]) for the prose
    blocks, several consecutive blocks parsed as one spaCy doc of at most CHUNK_CHARS: a doc per
    block cost 4.5 KB each, 300 MB for a note of 45,000 one-word lines. Blocks are whole lines,
    so whitespace always separates two of them and each is tokenized as it would be alone. spaCy
    refuses a text over its max_length (E088), so a longer block goes in pieces, each its own doc."""
    groups: list[list[tuple[int, int, int]]] = []
    alone = False  # the last group is a piece of a long block
    for i, b in enumerate(blocks):
        if b.kind not in ("paragraph", "bullet"):
            continue
        chunks = chunk_text(b.text, CHUNK_CHARS)
        for offset, chunk in chunks:
            piece = (i, b.start + offset, b.start + offset + len(chunk))
            if groups and not alone and len(chunks) == 1 and piece[2] - groups[-1][0][1] <= CHUNK_CHARS:
                groups[-1].append(piece)
            else:
                groups.append([piece])
            alone = len(chunks) > 1
    for group in groups:
        base, end = group[0][1], group[-1][2]
        doc = nlp().make_doc(text[base:end])  # the tokens only: sentences are found per block below
        starts = [t.idx for t in doc]
        ranges = [(i, bisect.bisect_left(starts, s - base), bisect.bisect_left(starts, e - base))
                  for i, s, e in group]
        yield doc, base, ranges


def _sentence_starts(doc, first: int, last: int) -> list[int]:
    """Where spaCy's sentencizer starts sentences in doc[first:last], as if it were a doc of its
    own: after a sentence-ending mark, at the next token that is not punctuation."""
    punct_chars = nlp().get_pipe("sentencizer").punct_chars
    starts, seen_period = [first], False
    for i in range(first, last):
        token = doc[i]
        ends = token.text in punct_chars
        if seen_period and not token.is_punct and not ends:
            starts.append(i)
            seen_period = False
        elif ends:
            seen_period = True
    return starts


def _doc_sentences(text: str, doc, first_token: int, end_token: int, b: Block, i: int, base: int,
                   in_list: bool, in_need_list: bool) -> list[Sentence]:
    """The sentences of doc[first_token:end_token] (a block, or a piece of a long one); the doc
    starts at ``base`` in the text."""
    out: list[Sentence] = []
    if first_token >= end_token:
        return out
    starts = _sentence_starts(doc, first_token, end_token)
    for sent_start, sent_end in zip(starts, starts[1:] + [end_token], strict=True):
        # trim surrounding whitespace tokens so the span is exactly the sentence
        first, last = sent_start, sent_end
        while first < last and doc[first].is_space:
            first += 1
        while last > first and doc[last - 1].is_space:
            last -= 1
        if first == last:
            continue
        span = doc[first:last]
        s, e = base + span.start_char, base + span.end_char
        listed_need = b.kind == "bullet" and (in_need_list or b.section == "needs")
        out.append(Sentence(s, e, text[s:e], i, b.section, in_list and b.kind == "bullet", span,
                            in_need_list=listed_need))
    return out


def chunk_text(text: str, limit: int) -> list[tuple[int, str]]:
    """(offset, piece) pieces of ``text``, each at most ``limit`` characters, cut after the
    last sentence end (else the last whitespace) before the limit, so that no sentence is
    cut where a shorter cut was possible and offsets add up to the original text."""
    if len(text) <= limit:
        return [(0, text)]
    pieces, pos = [], 0
    while len(text) - pos > limit:
        window = text[pos:pos + limit]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "), window.rfind(".\n"))
        if cut < limit // 2:  # no sentence end in the second half: cut at whitespace instead
            cut = max(window.rfind(" "), window.rfind("\n"), window.rfind("\t"))
        cut = cut + 1 if cut >= limit // 2 else limit  # a run with no whitespace at all: cut hard
        pieces.append((pos, text[pos:pos + cut]))
        pos += cut
    pieces.append((pos, text[pos:]))
    return pieces


def clean_value(value: str) -> str:
    """A field value without markdown emphasis, runs of whitespace or trailing punctuation."""
    value = re.sub(r"[*_`]+", "", value)
    value = re.sub(r"\s+", " ", value).strip()
    return value.strip(" .;:")
