"""Moderator commands under `/mod`: tasks, the challenge channel and time, achievement roles."""
