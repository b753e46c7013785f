"""Turning core results into Discord embeds and lines that respect Discord's limits."""
