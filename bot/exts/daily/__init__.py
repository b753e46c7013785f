"""The daily challenge: posted once per server per day at the configured time, with a thread."""
