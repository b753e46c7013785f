"""Browsing: `/daily`, `/task` and the paged `/tasks` list."""
