"""The companion website: server-rendered pages and a JSON API over `core/`."""
