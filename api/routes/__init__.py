"""The site's routes, one module per area."""
