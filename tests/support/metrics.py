"""Reading Prometheus metrics in tests: one sample of an exposition, by name and labels."""

from __future__ import annotations

from prometheus_client import REGISTRY, generate_latest
from prometheus_client.parser import text_string_to_metric_families


def exposition() -> str:
    """This process's metrics as a scraper reads them (the text format)."""
    return generate_latest(REGISTRY).decode()


def sample(text: str, name: str, **labels: str) -> float:
    """The value of the sample `name` with exactly `labels` in the exposition `text`; 0 when
    absent (a labelled series appears only once something moved it)."""
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return found.value
    return 0.0


def label_values(text: str, name: str, label: str) -> set[str]:
    """Every value the label `label` takes among the samples `name` of the exposition `text`."""
    return {
        found.labels[label]
        for family in text_string_to_metric_families(text)
        for found in family.samples
        if found.name == name and label in found.labels
    }
