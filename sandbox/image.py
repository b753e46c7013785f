"""Build the sandbox image, from the official Python image or offline from Debian packages.

`codestreak sandbox build-image [--offline]` builds it from the command line.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import re
import shutil
import tarfile
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import aiodocker

from sandbox.config import SandboxConfig
from sandbox.errors import SandboxError
from sandbox.pool import connect

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
DEFAULT_TAG = SandboxConfig().image
OFFLINE_BASE_TAG = "codestreak-sandbox-base:bookworm"
DEBIAN_SUITE = "bookworm"
DEBIAN_PACKAGES = ("python3", "python3-distutils", "python3-lib2to3")
FALLBACK_MIRROR = "http://deb.debian.org/debian"
APT_SOURCES = (Path("/etc/apt/sources.list.d"), Path("/etc/apt/sources.list"))


class ImageBuildError(SandboxError):
    """Building the sandbox image failed; the message says why and what to do."""


def _source_files(paths: Iterable[Path]) -> list[Path]:
    """The apt source files among `paths` (files, or directories holding them)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in (".sources", ".list"))
        elif path.is_file():
            files.append(path)
    return files


def debian_mirror(paths: Iterable[Path] = APT_SOURCES) -> str:
    """The Debian mirror apt uses on this machine (not the security one), or the default."""
    for file in _source_files(paths):
        try:
            text = file.read_text()
        except OSError:
            continue
        urls = re.findall(r"^\s*URIs:\s*(\S+)", text, re.MULTILINE)
        urls += re.findall(r"^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)", text, re.MULTILINE)
        for url in urls:
            if url.startswith(("http://", "https://")) and "security" not in url:
                return str(url).rstrip("/")
    return FALLBACK_MIRROR


def _context(files: dict[str, Path | bytes], target: io.BufferedIOBase) -> None:
    """Write a build context tar holding `files` (name -> path on disk or content)."""
    with tarfile.open(fileobj=target, mode="w") as tar:
        for name, source in files.items():
            if isinstance(source, Path):
                tar.add(source, arcname=name)
            else:
                info = tarfile.TarInfo(name)
                info.size = len(source)
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(source))


async def _build(
    docker: aiodocker.Docker, context: io.BufferedIOBase, tag: str, **args: Any
) -> None:
    """Run one image build and raise ImageBuildError with the engine's message on failure."""
    context.seek(0)
    try:
        async for event in docker.images.build(
            fileobj=context,
            encoding="identity",
            tag=tag,
            stream=True,
            rm=True,
            forcerm=True,
            **args,
        ):
            if "error" in event:
                raise ImageBuildError(f"building {tag} failed: {event['error']}")
            if line := str(event.get("stream", "")).strip():
                logger.debug("%s", line)
    except aiodocker.DockerError as error:
        raise ImageBuildError(f"building {tag} failed: {error}") from error


async def _image_exists(docker: aiodocker.Docker, tag: str) -> bool:
    """Tell whether the engine has an image called `tag`."""
    try:
        await docker.images.inspect(tag)
    except aiodocker.DockerError as error:
        if error.status == 404:
            return False
        raise
    return True


async def _debootstrap(root: Path, mirror: str, packages: Sequence[str]) -> None:
    """Install a minimal Debian with `packages` into `root`."""
    if shutil.which("debootstrap") is None:
        raise ImageBuildError(
            "debootstrap is missing; install it (apt-get install -y debootstrap) or build "
            "without --offline"
        )
    if os.geteuid() != 0:
        raise ImageBuildError("an offline build runs debootstrap and needs root")
    process = await asyncio.create_subprocess_exec(
        "debootstrap",
        "--variant=minbase",
        f"--include={','.join(packages)}",
        DEBIAN_SUITE,
        str(root),
        mirror,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    if process.returncode != 0:
        tail = output.decode("utf-8", "replace")[-2000:]
        raise ImageBuildError(f"debootstrap failed (status {process.returncode}):\n{tail}")


async def _pack(root: Path, target: Path) -> None:
    """Pack a root file system into a tar file with the system tar (keeps devices, owners)."""
    process = await asyncio.create_subprocess_exec(
        "tar", "-C", str(root), "-cf", str(target), ".", stderr=asyncio.subprocess.PIPE
    )
    _, errors = await process.communicate()
    if process.returncode != 0:
        raise ImageBuildError(f"packing the base image failed: {errors.decode()[-2000:]}")


async def ensure_offline_base(
    docker: aiodocker.Docker,
    tag: str = OFFLINE_BASE_TAG,
    mirror: str | None = None,
    packages: Sequence[str] = DEBIAN_PACKAGES,
) -> str:
    """Make a base image from Debian packages (debootstrap, then import); skip if it exists."""
    if await _image_exists(docker, tag):
        logger.info("base image %s exists, skipping debootstrap", tag)
        return tag
    mirror = mirror or debian_mirror()
    with tempfile.TemporaryDirectory(prefix="codestreak-base-") as scratch:
        work = Path(scratch)
        logger.info("debootstrap %s from %s (about a minute)", DEBIAN_SUITE, mirror)
        await _debootstrap(work / "root", mirror, packages)
        await _pack(work / "root", work / "rootfs.tar")
        await asyncio.to_thread(shutil.rmtree, work / "root")
        dockerfile = b'FROM scratch\nADD rootfs.tar /\nCMD ["python3"]\n'
        with open(work / "context.tar", "w+b") as context:  # noqa: ASYNC230 - local scratch file
            files: dict[str, Path | bytes] = {
                "Dockerfile": dockerfile,
                "rootfs.tar": work / "rootfs.tar",
            }
            await asyncio.to_thread(_context, files, context)
            (work / "rootfs.tar").unlink()
            await _build(docker, context, tag)
    return tag


async def build_image(
    tag: str = DEFAULT_TAG,
    *,
    offline: bool = False,
    docker_url: str | None = None,
    base: str | None = None,
) -> str:
    """Build the sandbox image `tag` from sandbox/Dockerfile and return the tag.

    `offline` builds the base from Debian packages instead of pulling python:3.11-slim;
    `base` names another base image. Raises DockerUnavailable or ImageBuildError.
    """
    docker = await connect(SandboxConfig(docker_url=docker_url))
    try:
        if offline and base is None:
            base = await ensure_offline_base(docker)
        files: dict[str, Path | bytes] = {
            "Dockerfile": HERE / "Dockerfile",
            "loader.py": HERE / "loader.py",
        }
        buffer = io.BytesIO()
        _context(files, buffer)
        args: dict[str, Any] = {"buildargs": {"BASE": base}} if base else {}
        await _build(docker, buffer, tag, **args)
    finally:
        await docker.close()
    logger.info("built sandbox image %s", tag)
    return tag
