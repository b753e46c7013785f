"""The task designer: moderators write, validate, publish, import and export tasks."""
