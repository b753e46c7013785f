"""The Redis connection both sides use and the channels by which they notify each other."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from arq.connections import ArqRedis
from redis.asyncio import ConnectionPool
from redis.exceptions import RedisError

from grading_queue.wire import dumps, loads

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0


def connect(redis_url: str, queue_name: str) -> ArqRedis:
    """A (lazily connecting) arq client for `redis_url` with JSON serialisation.

    The URL is redis-py's: `rediss://` for TLS, and query arguments such as `ssl_ca_certs=`.
    """
    pool = ConnectionPool.from_url(
        redis_url, socket_connect_timeout=CONNECT_TIMEOUT_S, socket_keepalive=True
    )
    return ArqRedis(
        pool,
        job_serializer=dumps,
        job_deserializer=loads,
        default_queue_name=queue_name,
    )


def wake_channel(queue_name: str) -> str:
    """Where clients announce a new job, so idle graders take it at once instead of polling."""
    return f"{queue_name}:wake"


def done_channel(queue_name: str) -> str:
    """Where graders announce a finished job (its id), so clients read the result at once."""
    return f"{queue_name}:done"


async def disconnect(redis: ArqRedis) -> None:
    """Close `redis` and its connection pool."""
    await redis.aclose(close_connection_pool=True)


async def listen(
    redis: ArqRedis, channel: str, on_message: Callable[[bytes | None], None], retry_s: float
) -> None:
    """Call `on_message` with each message's data on `channel`, and with None whenever the
    subscription is (again) in place: messages sent while it was not are lost. Runs until
    cancelled, subscribing again `retry_s` after a broken connection."""
    while True:
        pubsub = redis.pubsub()
        try:
            await pubsub.subscribe(channel)
            async for message in pubsub.listen():
                if message["type"] == "subscribe":
                    on_message(None)
                elif message["type"] == "message":
                    on_message(bytes(message["data"]))
        except (RedisError, OSError) as error:
            logger.warning("notices on %s interrupted (%s); listening again", channel, error)
            await asyncio.sleep(retry_s)
        finally:
            await pubsub.aclose()  # type: ignore[no-untyped-call]
