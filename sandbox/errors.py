"""Exceptions the sandbox raises; each message says what went wrong and what to do."""

from __future__ import annotations

import aiodocker
import aiohttp

CONNECTION_FAILED = 900  # aiodocker's status for "cannot connect to the engine"


class SandboxError(Exception):
    """Base class of every sandbox failure that is not the learner's fault."""


class DockerUnavailable(SandboxError):
    """The Docker engine cannot be reached."""

    def __init__(self, url: str, reason: object) -> None:
        super().__init__(
            f"cannot reach the Docker engine at {url} ({reason}). Start the Docker engine "
            "(for example with scripts/ensure-docker.sh) or set the sandbox docker URL "
            "(DOCKER_HOST) to a running engine."
        )
        self.url = url


class ImageMissing(SandboxError):
    """The sandbox image does not exist on the engine."""

    def __init__(self, image: str) -> None:
        super().__init__(
            f"the sandbox image {image!r} is missing on the Docker engine; build it with "
            "`codestreak sandbox build-image` (add --offline without access to a registry)."
        )
        self.image = image


class SandboxBusy(SandboxError):
    """Every sandbox slot is taken and the waiting queue is full: try again shortly."""


class InvalidSubmission(ValueError):
    """The code, the inputs or the limits given to the sandbox are unacceptable."""


def is_engine_unreachable(error: BaseException) -> bool:
    """Tell whether `error` means the engine's socket or address does not answer."""
    if isinstance(error, aiodocker.DockerError):
        return error.status == CONNECTION_FAILED
    return isinstance(
        error, aiohttp.ClientConnectorError | ConnectionRefusedError | FileNotFoundError
    )
