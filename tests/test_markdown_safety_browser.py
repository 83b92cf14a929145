"""A note's words through every Streamlit text element the pages use, escaped with md_escape (and
quoted / html_text), in headless Chromium: the page shows each string exactly as written and
makes nothing from it (no link, autolink, image, emphasis, LaTeX, icon, colour, heading, list).

The AppTest-level tests only see the markdown SOURCE; this one sees what remark-gfm and
Streamlit's own plugins (bare-URL autolinks, ":material/…:" icons, ":streamlit:", emoji, "->"
typography, all run on the decoded text) make of it, and that the invisible word joiner md_escape
puts inside those patterns takes no room."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

from markdown_safety_app import ELEMENTS, HOSTILE

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from browser import CHROMIUM, CHROMIUM_ARGS, serve, wait_idle  # noqa: E402

pytestmark = pytest.mark.browser
WORD_JOINER = "\u2060"
# Text that Streamlit's after-parsing plugins would turn into something (autolinks, :shortcodes:,
# typography): only such text may carry md_escape's invisible word joiner.
PLUGIN_PATTERN = re.compile(r"(?i)https?://|www\.|@|:[\w+/-]+:|(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)")
# What each case container holds: its text, the text of its markdown blocks and how many elements
# of each kind were drawn (compared with case 0, plain words, to leave out the element's own frame).
COLLECT_JS = """() => {
  const kinds = {link: 'a', image: 'img', svg: 'svg', bold: 'strong, b', italic: 'em, i',
    strike: 'del, s', latex: '.katex, math', code: 'code, pre', heading: 'h1, h2, h3, h4, h5, h6',
    list: 'ol, ul, li', quote: 'blockquote', table: 'table', rule: 'hr', span: 'span', mark: 'mark',
    icon: '[data-testid="stIconMaterial"], [data-testid="stIconEmoji"]', active: 'script, iframe, object'};
  const out = {};
  for (const box of document.querySelectorAll('[class*="st-key-"]')) {
    const key = [...box.classList].find(c => c.startsWith('st-key-')).slice(7);
    if (key.startsWith('w-')) continue;
    const counts = {};
    for (const [name, sel] of Object.entries(kinds)) counts[name] = box.querySelectorAll(sel).length;
    const texts = [...box.querySelectorAll('[data-testid="stMarkdownContainer"]'), box].map(m => m.innerText.trim());
    out[key] = {counts, texts};
  }
  // the joiner takes no room: each text that holds one is as wide as its copy without
  out.joiner_widths = [];
  for (const m of document.querySelectorAll('[data-testid="stMarkdownContainer"]')) {
    if (!m.innerText.includes('\u2060')) continue;
    const copy = m.cloneNode(true);
    const walker = document.createTreeWalker(copy, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) t.data = t.data.replaceAll('\u2060', '');
    Object.assign(copy.style, {position: 'absolute', visibility: 'hidden'});
    m.parentElement.appendChild(copy);
    const width = el => {  // the sum of its text runs' widths
      let sum = 0;
      const texts = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let t = texts.nextNode(); t; t = texts.nextNode()) {
        const r = document.createRange(); r.selectNodeContents(t);
        for (const rect of r.getClientRects()) sum += rect.width;
      }
      return sum;
    };
    out.joiner_widths.push([width(m), width(copy)]);
    copy.remove();
  }
  out.hostile_urls = document.querySelectorAll(
    '[href*="evil"]:not([href^="#"]), [src*="evil"], [src*="y.png"], img[src="x"], ' +
    '[href^="mailto"], [href^="xmpp"]').length;
  return out;
}"""


@pytest.fixture
def rendered(isolated_store):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    from playwright.sync_api import sync_playwright

    t0 = time.monotonic()
    with serve(isolated_store, script=ROOT / "tests" / "markdown_safety_app.py") as base, \
            sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(base, wait_until="domcontentloaded")
            wait_idle(page)
            page.wait_for_function(f"document.querySelectorAll('.st-key-progress-{len(HOSTILE) - 1}, "
                                   f".st-key-note_html-{len(HOSTILE) - 1}').length === 2")
            result = page.evaluate(COLLECT_JS)
        finally:
            browser.close()
    print(f"rendered {len(result) - 1} cases in {time.monotonic() - t0:.1f} s")
    return result


def _expected(element: str, raw: str) -> str:
    if element == "note_html":  # a pre-wrapped block: the note's spacing is kept
        return raw
    words = " ".join(raw.split())
    return f"“{words}” in the link is not a state's code." if element == "quoted" else words


def test_hostile_text_shows_as_written_and_makes_nothing(rendered):
    widths = rendered.pop("joiner_widths")
    assert len(widths) > 100 and all(abs(a - b) < 0.5 for a, b in widths), widths
    hostile_urls = rendered.pop("hostile_urls")
    problems = [f"{hostile_urls} link(s) or image(s) to a note's address"] if hostile_urls else []
    for element in [*ELEMENTS, "quoted", "note_html"]:
        baseline = rendered[f"{element}-0"]["counts"]
        assert _expected(element, HOSTILE[0]) in rendered[f"{element}-0"]["texts"], element
        for n, raw in enumerate(HOSTILE[1:], start=1):
            case = rendered[f"{element}-{n}"]
            made = {k: v for k, v in case["counts"].items() if v != baseline[k]}
            if made:
                problems.append(f"{element} {raw!r}: made {made}")
            shown = case["texts"]
            if element != "note_html" and PLUGIN_PATTERN.search(raw):  # the joiner is invisible
                shown = [t.replace(WORD_JOINER, "") for t in shown]
            if _expected(element, raw) not in shown:
                problems.append(f"{element} {raw!r}: shows {case['texts']!r}")
    assert problems == [], "\n".join(problems)
    assert len(rendered) == (len(ELEMENTS) + 2) * len(HOSTILE)
