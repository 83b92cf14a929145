"""Screenshots of the dashboard in headless Chromium, to check by eye that labels stay
readable at scale (e.g. a generated store of 196 states).

    .venv/bin/python benchmarks/screenshots.py STORE [--out DIR] [--pages overview,state,gaps]

Starts ``streamlit run dashboard.py`` on STORE, opens each view, waits for Streamlit to
finish running and the charts to draw, and writes full-page PNGs to DIR.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from browser import CHROMIUM, CHROMIUM_ARGS, full_screenshot, serve, wait_idle  # noqa: E402

VIEWS = {
    "overview": "/",
    "overview-subregions": "/?ov_rows=subregions",
    "state": "/state?state=KEN",
    "gaps": "/gaps",
    "search": "/search?text=lack+border",
    "workshops": "/workshops",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--out", default=str(BENCH_DIR / "out" / "screens"))
    parser.add_argument("--views", default=",".join(VIEWS))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with serve(args.store) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for name in args.views.split(","):
            page.goto(base + VIEWS[name], wait_until="domcontentloaded")
            wait_idle(page)
            path = out / f"{name}.png"
            height = full_screenshot(page, path)
            print(f"{name}: {path} ({height} px tall)")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
