"""The packaged Streamlit entry that ``needs-tracker dashboard`` runs (``static/`` beside it is
served at /app/static/, so the map draws offline). ``dashboard.py`` in a checkout does the same."""

from needs_tracker.ui.app import main

if __name__ == "__main__":  # streamlit runs this file as __main__; importing it draws nothing
    main()
