"""Submitting solutions: `/submit` (modal or `.py` file) and the `Submit solution` message menu."""
