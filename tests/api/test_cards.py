"""Drawing preview cards: the right size, the same bytes for the same content, long titles cut."""

from __future__ import annotations

import io

from PIL import Image

from api.cards import HEIGHT, WIDTH, Card, Fact, card_png, render_card


def _image(body: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(body))
    image.load()
    return image


async def test_a_card_is_drawn_off_the_event_loop_and_kept_by_content() -> None:
    card = Card("Learner profile", "Ada", (Fact("120", "points"), Fact("4", "day streak")))
    first = await card_png(card)
    assert _image(first).size == (WIDTH, HEIGHT)
    render_card.cache_clear()
    assert await card_png(Card("Learner profile", "Ada", card.facts)) == first
    assert await card_png(Card("Learner profile", "Grace", card.facts)) != first


def test_any_title_and_many_tags_fit_the_card() -> None:
    long = Card(
        "Hard task", "W" * 200, (Fact("9" * 40, "points"),), tuple(f"tag-{i}" for i in range(30))
    )
    assert _image(render_card(long)).size == (WIDTH, HEIGHT)
    assert _image(render_card(Card("Learner profile", "名前 🦀 Ünïcode"))).size == (WIDTH, HEIGHT)
    wrapped = Card("Medium task", " ".join(["word"] * 40))
    assert _image(render_card(wrapped)).size == (WIDTH, HEIGHT)
