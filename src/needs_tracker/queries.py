"""Named queries over the store, for the dashboard, the exports and the CLI.

The SQL lives in ``needs_tracker.store.reads``; this module keeps the names callers use.
"""

from __future__ import annotations

from .store.reads import (
                          HUMAN_STATUSES,
                          NEED_COLUMNS,
                          NEED_FACTS,
                          brief_pairs,
                          by_category,
                          by_state,
                          by_year,
                          by_year_summary,
                          counts,
                          filter_options,
                          gap_finder,
                          heatmap,
                          heatmap_by_group,
                          needs,
                          needs_page,
                          search_sentences,
                          state_timeline,
                          stats,
                          workshop,
                          workshops,
                          workshops_attended,
)

__all__ = ["HUMAN_STATUSES", "NEED_COLUMNS", "NEED_FACTS", "brief_pairs", "by_category", "by_state", "by_year",
           "by_year_summary", "counts", "filter_options", "gap_finder", "heatmap", "heatmap_by_group", "needs",
           "needs_page", "search_sentences", "state_timeline", "stats", "workshop", "workshops", "workshops_attended"]
