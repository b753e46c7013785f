"""Badges: two panels sized to their text, the streak and points, and every text escaped."""

from __future__ import annotations

from xml.etree import ElementTree

from api.badges import badge_message, badge_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_a_badge_shows_streak_and_points_in_panels_sized_to_fit() -> None:
    assert badge_message(1, 10) == "streak 1 day | 10 points"
    short = ElementTree.fromstring(badge_svg("ada", 0, 5))
    long = ElementTree.fromstring(badge_svg("ada", 365, 123456))
    assert int(long.attrib["width"]) > int(short.attrib["width"])
    texts = [text.text for text in long.iter(f"{SVG}text")]
    assert texts == ["codestreak", "streak 365 days | 123456 points"]
    colours = {rect.attrib.get("fill") for rect in long.iter(f"{SVG}rect")}
    assert "#e05d44" in colours  # a live streak is red, an idle one grey
    assert "#9f9f9f" in {rect.attrib.get("fill") for rect in short.iter(f"{SVG}rect")}


def test_a_name_cannot_break_out_of_the_markup() -> None:
    badge = ElementTree.fromstring(badge_svg('</title><script>x</script>"', 2, 3))
    title = badge.find(f"{SVG}title")
    assert title is not None
    assert title.text == '</title><script>x</script>" on codestreak: streak 2 days | 3 points'
    assert badge.find(f".//{SVG}script") is None
