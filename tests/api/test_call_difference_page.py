"""The site shows a call test's first difference as the calls with what each should give and
what it gave, under headings that say so."""

from __future__ import annotations

from api.pages import templates
from sandbox.calls import call_difference, expectations, script

STEPS = [{"args": [2, 3], "returns": 5.0}]


def test_a_call_difference_is_shown_with_call_headings() -> None:
    difference = call_difference(
        script("add", STEPS), expectations(STEPS), b'[{"repr": "-1", "value": -1}]', 1e-6
    )
    assert difference is not None
    module = templates.get_template("_difference.html").module
    html = str(module.first_difference(difference))  # type: ignore[attr-defined]
    assert "Expected results" in html
    assert "What your code gave" in html
    assert "Expected output" not in html
    assert "add(2, 3)  → 5.0" in html
    assert "add(2, 3)  → -1" in html
    assert "Call 1 (marked ») gave a different result: expected “5.0”, got “-1”." in html
    assert "Floats may differ by 1e-06." in html
