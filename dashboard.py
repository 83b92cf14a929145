"""Streamlit entry point: `streamlit run dashboard.py`. Pages live in needs_tracker.ui."""

from needs_tracker.ui.app import main

main()
