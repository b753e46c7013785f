"""The learner's own things: `/profile`, `/leaderboard`, `/link` and `/export`."""
