"""The submission flow: validate, record, grade, then award in one transaction."""
