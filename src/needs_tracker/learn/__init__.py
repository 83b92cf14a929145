"""The learned decision layer: a small scikit-learn model decides which candidate statements the
rules propose are needs, and in which category; it learns from labelled documents and from the
decisions people make in the review queue (`needs-tracker train`)."""
