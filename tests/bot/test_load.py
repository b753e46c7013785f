"""Fifty learners submit at once: every interaction is acknowledged within Discord's 3 seconds."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.bot_scene import ACK_DEADLINE_S, ECHO_RIGHT, Scene, embed_of

pytestmark = pytest.mark.asyncio(loop_scope="module")

LEARNERS = 50


@pytest.mark.usefixtures("real_sandbox")  # acknowledged in time while the sandbox is busy
async def test_fifty_concurrent_submissions_are_acknowledged_in_time(scene: Scene) -> None:
    members = [scene.learner("crowd") for _ in range(LEARNERS)]
    files = [scene.fake.make_attachment("solution.py", ECHO_RIGHT) for _ in members]
    records = await asyncio.gather(
        *(
            scene.fake.send_slash(
                scene.channel, member, "submit", {"task": "echo-twice", "file": f}
            )
            for member, f in zip(members, files, strict=True)
        )
    )
    kinds = await asyncio.gather(*(r.wait_for_ack(ACK_DEADLINE_S + 2) for r in records))
    delays = [r.ack_delay_s for r in records]
    assert all(d is not None for d in delays)
    slowest = max(d for d in delays if d is not None)
    print(f"\n{LEARNERS} concurrent /submit: max ack delay {slowest * 1000:.0f} ms")
    assert kinds == [5] * LEARNERS
    assert slowest < ACK_DEADLINE_S
    verdicts = await asyncio.gather(*(r.wait_for_response(120) for r in records))
    titles = {embed_of(v)["title"] for v in verdicts}
    assert titles == {"✅ Accepted · Echo twice"}
    scene.fake.assert_no_violations()
