"""The Discord bot: slash commands, modals, views, the daily scheduler and role grants.

A thin adapter over `core`: every rule lives there; this package turns interactions into core
calls and results into Discord messages.
"""
