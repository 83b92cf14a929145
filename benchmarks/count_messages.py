"""How many messages one rerun of a dashboard page sends to the browser, and of which kinds.

Every element, block (columns, containers) and widget a run draws is one ForwardMsg; in the real
server each one wakes its event loop once (0.4-1 ms on a loaded machine) and is one more update
the browser decodes and reconciles. This counts them for a page's rerun after a words change
(AppTest, the real app), so a change to a page can be judged by the count before and after.

    .venv/bin/python benchmarks/count_messages.py benchmarks/out/store-100k.duckdb matching gaps overview
    .venv/bin/python benchmarks/count_messages.py STORE matching --pair KEN:export_control --list

``--pair`` draws the page with that row's evidence open (``?pair=``, as the gap finder's link
does): the count of a full run with the evidence shown. A row opened in the browser reruns only
the table's fragment; the fragment's part is printed separately (messages inside it).
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))


def _kind(msg) -> str:
    """'element:markdown', 'block:horizontal' … for a delta, the message type otherwise."""
    kind = msg.WhichOneof("type")
    if kind != "delta":
        return kind
    delta = msg.delta
    which = delta.WhichOneof("type")
    if which == "new_element":
        return "element:" + delta.new_element.WhichOneof("type")
    if which == "add_block":
        block = delta.add_block
        return "block:" + (block.WhichOneof("type") or "vertical")
    return "delta:" + str(which)


def count(store: str, pages: list[str], words: str, pair: str | None, listing: bool) -> None:
    os.environ["NEEDS_TRACKER_DB"] = str(Path(store).resolve())
    import bench_ui
    from streamlit.runtime.scriptrunner_utils import script_run_context

    sent: list = []
    original = script_run_context.ScriptRunContext.enqueue

    def recording(self, msg) -> None:
        sent.append(msg)
        original(self, msg)

    script_run_context.ScriptRunContext.enqueue = recording
    scripts = dict(bench_ui.dashboard_pages())
    for page in pages:
        params = dict(bench_ui.PAGE_PARAMS.get(page, {}))
        if pair:
            params["pair"] = pair
        at = bench_ui._new_app(bench_ui.DASHBOARD, scripts[page], params, 600)
        at.run()
        time.sleep(4)  # the store's copy in memory is built 3 s after the first page
        at.run()
        at.text_input(key="flt_text").set_value(words)
        sent.clear()
        at.run()
        if at.exception:
            print(f"{page}: exception {at.exception[0].message}")
        deltas = [m for m in sent if m.WhichOneof("type") == "delta"]
        in_fragment = sum(1 for m in deltas if m.delta.fragment_id)
        kinds = collections.Counter(_kind(m) for m in sent)
        sidebar = sum(1 for m in deltas if list(m.metadata.delta_path)[:1] == [1])
        print(f"{page}{' ?pair=' + pair if pair else ''}: {len(sent)} messages, {len(deltas)} deltas "
              f"({sidebar} in the sidebar, {in_fragment} in a fragment), "
              f"{sum(m.ByteSize() for m in sent) / 1000:.1f} kB")
        print("   " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
        if listing:
            for m in deltas:
                path = list(m.metadata.delta_path)
                print(f"      {path!s:<18} {_kind(m):<34} {m.ByteSize():>8} B")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("store")
    p.add_argument("pages", nargs="+", help="url paths: matching gaps overview …")
    p.add_argument("--words", default="border", help="typed into the words filter before the counted run")
    p.add_argument("--pair", help="ISO3:gap, drawn with that row's evidence open")
    p.add_argument("--list", action="store_true", help="list every delta with its path, kind and size")
    args = p.parse_args(argv)
    count(args.store, args.pages, args.words, args.pair, args.list)
    return 0


if __name__ == "__main__":
    sys.exit(main())
