"""Safe text for the dashboard: a note's words, a link's values and error messages shown as
written, never read as markdown or HTML, plus the number and date formats every page uses.

(Named ``common`` because ``ui/auth.py`` imports ``md_escape`` and ``error_text`` from here.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd
import streamlit as st

from needs_tracker.errors import NeedsTrackerError
from needs_tracker.labels import DATE_UNKNOWN

# Streamlit renders every text element (titles, captions, labels, tabs, metrics, alerts) as
# markdown (remark + remark-gfm + its own plugins). What stops each kind of markup, checked in
# headless Chromium by tests/test_markdown_safety_browser.py:
# - Markdown's special characters get a backslash, so no emphasis, link, image, code, LaTeX,
#   heading, list, quote, table or ":red[…]" directive starts; "&" too, so "&amp;" shows as written.
# - Some plugins run on the DECODED text after parsing, where a backslash or a character
#   reference no longer exists: remark-gfm's autolinks ("http://…", "www.…", "a@b.c" become live
#   links), Streamlit's ":material_x:" icons, ":streamlit:" logo and emoji shortcodes, and its
#   typography ("a -> b" shows "a → b", " -- " a dash). A word joiner (U+2060: invisible, no
#   width, no line break) is put inside each such pattern ("http⁠://", "www⁠.", "⁠@", ":⁠x:",
#   "-⁠>"), so none matches and the text looks the same. Only there: copying such a string
#   carries the joiner along, every other text is copied as written. (Streamlit's rewrite of
#   ":material/" in the markdown source is stopped by the same joiner after the colon.)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~&:])")
_PLUGIN_PATTERN_START = re.compile(
    r"(?i)(?<=http)(?=://)|(?<=https)(?=://)|(?<=www)(?=\.)"  # autolinks
    r"|(?=@)"  # e-mail autolinks, "mailto:" and "xmpp:" ones too
    r"|(?<=:)(?=[\w+/-]+:)"  # :shortcode: (icons, logo, emoji)
    r"|(?:(?<=^<)|(?<=\s<))(?=->?(?:\s|$))|(?:(?<=^[-~<>])|(?<=\s[-~<>]))(?=[->=](?:\s|$))")  # typography
WORD_JOINER = "\u2060"


def md_escape(text: object) -> str:
    """Plain text (a note's words, a link's values) safe inside any Streamlit element that reads
    markdown: shown exactly as written (runs of whitespace become one space), with no emphasis,
    links, autolinks, images, icons, LaTeX, typographic replacements or HTML. Not for st.text,
    the options of a selectbox or a dataframe, which show text as it is."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    plain = _PLUGIN_PATTERN_START.sub(WORD_JOINER, " ".join(str(text).split()))
    return _MD_SPECIAL.sub(r"\\\1", plain)


def error_text(exc: NeedsTrackerError) -> str:
    """A NeedsTrackerError's message for st.error, its values escaped so markdown shows them as written."""
    return md_escape(str(exc))


def quoted(value: object, limit: int = 60) -> str:
    """A value someone typed (a link's parameter), quoted, shortened and safe in markdown."""
    text = " ".join(str(value).split())
    return "“" + md_escape(text if len(text) <= limit else text[: limit - 1] + "…") + "”"


def num(value: object) -> str:
    """A count with thousands separators (12,345)."""
    try:
        return f"{int(value):,}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "—"


def dates(values) -> list[str]:
    """ISO dates (YYYY-MM-DD) for a table column, "date unknown" where a note gave none."""
    return (pd.to_datetime(pd.Series(values), errors="coerce").dt.strftime("%Y-%m-%d")
            .fillna(DATE_UNKNOWN).tolist())


def long_date(value) -> str:
    """'19 Mar 2018', or "date unknown"."""
    return DATE_UNKNOWN if value is None or pd.isna(value) else f"{pd.Timestamp(value):%d %b %Y}"


# --- safe highlighting -------------------------------------------------------------------
# Note text shown as HTML is escaped as html.escape does, and the characters markdown reads
# as inline syntax (emphasis, code, links, LaTeX, directives, autolinks) are written as
# character references, so they show as themselves. Newlines become references too: every
# fragment is then one line opening with <div>, which markdown keeps as one raw HTML block.
_HTML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
                            **{c: f"&#{ord(c)};" for c in "\\`*_[]$~|:\n"}})


def html_text(text: object) -> str:
    """``text`` as HTML text that neither HTML nor markdown reads as anything but words."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return str(text).translate(_HTML_TEXT)


def highlight_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Escape ``text`` and wrap each (start, end) span in <mark>; nothing from the text is HTML."""
    clean = sorted({(int(s), int(e)) for s, e in spans if 0 <= int(s) < int(e) <= len(text)})
    out, pos = [], 0
    for start, end in clean:
        if start < pos:  # overlapping spans: extend the open mark instead of nesting
            start = pos
            if start >= end:
                continue
        out.append(html_text(text[pos:start]))
        out.append("<mark>" + html_text(text[start:end]) + "</mark>")
        pos = end
    out.append(html_text(text[pos:]))
    return "".join(out)


def note_html(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """A note's full text, escaped, with evidence marked, in a pre-wrapped block."""
    return ('<div style="white-space: pre-wrap; font-family: inherit; line-height: 1.5">'
            + highlight_spans(text, spans) + "</div>")


def show_html(fragment: str) -> None:
    """Render HTML built by this module from escaped text (never raw note text)."""
    st.markdown(fragment, unsafe_allow_html=True)
