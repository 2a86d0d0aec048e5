"""Adaptive Cards: pure functions from view objects (which cannot carry identities) to card dicts."""
