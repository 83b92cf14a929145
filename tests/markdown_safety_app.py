"""A Streamlit script for tests/test_markdown_safety_browser.py: hostile strings, escaped the way
the pages escape a note's words, through every text element the pages use. Each case sits in a
container keyed ``<element>-<n>`` so the browser test can find it; case 0 is plain words, the
baseline for the markup an element draws around any label."""

from __future__ import annotations

import streamlit as st

from needs_tracker.ui.common import md_escape, note_html, quoted, show_html

HOSTILE = [
    "plain words",
    "Workshop on Licensing [x](http://evil.example)",
    "see http://evil.example/path now", "HTTPS://a.b", "www.evil.example", "mailto:a@b.c", "a@b.example",
    "xmpp:a@b.example", "<http://evil.example>", "javascript:alert(1)",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b>bold</b>",
    "**bold** _it_ ~~s~~ __u__ H~2~O", "$x^2$ and $$y$$", ":red[alert] :blue-background[b] :small[s]",
    ":material/warning: :smile: :+1:", ":streamlit: :material_warning: 10:30:00", "![i](http://x/y.png)",
    "[^1] [ref][1]", "a -> b -- c <- d <-> e >= f <= g ~= h", "<- back, on ->",
    "# heading", "1. list", "- item", "+ item", "> quote", "| a | b |", "---", "`code` ```x```",
    "back\\slash \\\\ \\* \\", "&amp; &lt;b&gt; &#58; &copy;", "10:30 a.b 1.5 3*4*5 snake_case file_name.pdf",
    "العربية \u202eRTL\u202c Côte d’Ivoire Việt Nam 日本 😀",
]


def _case(element: str, text: str, key: str) -> None:
    if element == "title":
        st.title(text)  # with its anchor link, as on the pages
    elif element == "subheader":
        st.subheader(text)
    elif element == "markdown":
        st.markdown(text)
    elif element == "bold_markdown":  # how the pages put a value in bold
        st.markdown(f"**{text}**")
    elif element == "link_label":  # how links.state_link writes a link whose label is a name
        st.markdown(f"[{text}](http://localhost/state)")
    elif element == "caption":
        st.caption(text)
    elif element in ("warning", "error"):
        getattr(st, element)(text)
    elif element == "button":
        st.button(text, key=key)
    elif element == "metric_label":
        st.metric(text, 1)
    elif element == "metric_value":
        st.metric("m", text)
    elif element == "expander":
        st.expander(text)
    elif element == "tabs":
        st.tabs([text])
    elif element == "radio_option":
        st.radio("r", [text], key=key, label_visibility="collapsed")
    elif element == "segmented_option":
        st.segmented_control("s", [text], key=key, label_visibility="collapsed")
    elif element == "widget_label":
        st.text_input(text, key=key)
    elif element == "page_link":
        st.page_link("http://localhost/page", label=text)
    elif element == "progress":
        st.progress(0.5, text=text)


# One of each kind of element (st.header, st.info, st.success and st.toggle draw their text
# with the same component as st.subheader, st.warning and st.text_input's label).
ELEMENTS = ["title", "subheader", "markdown", "bold_markdown", "link_label", "caption", "warning", "error",
            "button", "metric_label", "metric_value", "expander", "tabs", "radio_option", "segmented_option",
            "widget_label", "page_link", "progress"]


def render() -> None:
    st.title("Markdown safety")
    for element in ELEMENTS:
        for n, raw in enumerate(HOSTILE):
            with st.container(key=f"{element}-{n}"):
                _case(element, md_escape(raw), key=f"w-{element}-{n}")
    for n, raw in enumerate(HOSTILE):
        with st.container(key=f"quoted-{n}"):
            st.warning(quoted(raw, limit=500) + " in the link is not a state's code.")
        with st.container(key=f"note_html-{n}"):  # html_text inside an HTML fragment
            show_html(note_html(raw, [(0, len(raw))]))


if __name__ == "__main__":
    render()
