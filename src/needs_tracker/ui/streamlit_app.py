"""The packaged Streamlit entry that ``needs-tracker dashboard`` runs (``static/`` beside it is
served at /app/static/, so the map draws offline). ``dashboard.py`` in a checkout does the same, and so
does ``streamlit run`` of this file directly: ``pages/`` beside it would make Streamlit run a first
visitor's page file bare (its legacy multipage folder), which ``leave_legacy_pages`` turns back into a run
of this app (the pages call it too)."""

from needs_tracker.ui.app import main
from needs_tracker.ui.warm_start import leave_legacy_pages

if __name__ == "__main__":  # streamlit runs this file as __main__; importing it draws nothing
    leave_legacy_pages()
    main()
