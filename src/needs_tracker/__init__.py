"""needs-tracker: link 1540 workshop information notes to the gaps each state reported."""

__version__ = "0.1.0"
