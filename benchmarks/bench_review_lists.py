"""What listing decided rows costs the review pages (``?decision=``) on the 100,000-need store.

Builds (or reuses) the synthetic store, has an editor confirm and reject some needs and offers
(so the lists read their decisions from a real audit log), then times a page of 10 and the count
of each list (needs, offers, requests) for every choice, beside the needs' queue read the page
used before (``reads.review_queue``):

    .venv/bin/python benchmarks/bench_review_lists.py [--store benchmarks/out/review-100k.duckdb] [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from needs_tracker import auth, review  # noqa: E402
from needs_tracker.store import assistance_queue, connect  # noqa: E402
from needs_tracker.store import assistance_review as decide  # noqa: E402
from needs_tracker.store.vocab import ReviewChoice  # noqa: E402


def _ms(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _decide(location: str, n: int) -> None:
    """An editor confirms ``n`` needs and offers and rejects as many (once per store)."""
    with connect(location) as con:
        if con.execute("select count(*) from audit_log where action in ('confirm', 'reject')").fetchall()[0][0]:
            return
        needs = [r[0] for r in con.execute("select id from needs where status = 'extracted' order by id limit ?",
                                           [2 * n]).fetchall()]
        offers = [r[0] for r in con.execute("select id from offers where status = 'extracted' order by id limit ?",
                                            [2 * n]).fetchall()]
    editor = auth.local_editor("bench")
    for i, nid in enumerate(needs):
        (review.confirm_need if i < n else review.reject_need)(editor, nid, location=location)
    for i, oid in enumerate(offers):
        (decide.confirm_offer if i < n else decide.reject_offer)(editor, oid, location=location)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path(__file__).parent / "out" / "review-100k.duckdb")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--decisions", type=int, default=50, help="needs and offers confirmed, and as many rejected")
    args = parser.parse_args()
    if not args.store.exists():
        from generate import build_store

        args.store.parent.mkdir(parents=True, exist_ok=True)
        build_store(args.store, 5000, 100_000)
    location = str(args.store)
    _decide(location, args.decisions)
    with connect(location) as con:
        by_status = dict(con.execute("select status, count(*) from needs group by 1").fetchall())
        print(f"store: {args.store} · needs by status {by_status}")
        print("| list | needs: 10 rows | needs: count | offers: 10 rows | requests: 10 rows "
              "| offers+requests: counts |")
        print("|---|---|---|---|---|---|")
        for c in ReviewChoice:
            reads_of_c = [lambda c=c: review.review_queue(con, limit=10, choice=c),
                          lambda c=c: review.queue_size(con, choice=c),
                          lambda c=c: assistance_queue.offer_queue(con, limit=10, choice=c),
                          lambda c=c: assistance_queue.request_queue(con, limit=10, choice=c),
                          lambda c=c: assistance_queue.queue_sizes(con, choice=c)]
            print(f"| {c.value} | " + " | ".join(f"{_ms(fn, args.runs):.1f} ms" for fn in reads_of_c) + " |")

if __name__ == "__main__":
    main()
