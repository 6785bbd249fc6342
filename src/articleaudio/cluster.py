"""The Dask cluster a run's tasks go to: connecting to its scheduler, with one-line errors."""

from __future__ import annotations

from typing import Any

from .errors import ArticleAudioError

CONNECT_SECONDS = 10


def connect(address: str) -> Any:
    """A Dask client for the scheduler at ``address``; a one-line error when it cannot be reached or runs
    another version of Dask than this machine."""
    try:
        from distributed import Client
    except ImportError:
        raise ArticleAudioError("the Dask distributed package is not installed (pip install 'dask[distributed]')") from None
    import distributed

    # The scheduler's version first, over a bare RPC: a Client made against another version of Dask fails
    # with an error of Dask's internals (a handler's unexpected argument), and leaves a hanging client behind.
    theirs = _scheduler_version(address)
    if theirs != distributed.__version__:
        raise ArticleAudioError(f"the Dask scheduler runs distributed {theirs}; this client runs {distributed.__version__}", address)
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ArticleAudioError(f"cannot reach the Dask scheduler ({exc.__class__.__name__}: {exc})", address) from None
    try:
        client.get_versions(check=True)
    except Exception as exc:  # noqa: BLE001  # distributed raises a plain ValueError/RuntimeError on a mismatch
        client.close()
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        raise ArticleAudioError(f"the Dask scheduler or its workers run other versions than this client ({first})", address) from None
    return client


def _scheduler_version(address: str) -> str:
    """The version of distributed the scheduler at ``address`` runs; a one-line error when it cannot be reached."""
    import asyncio

    from distributed.core import rpc

    async def ask() -> Any:
        remote = rpc(address, timeout=CONNECT_SECONDS)
        try:
            return await asyncio.wait_for(remote.versions(), CONNECT_SECONDS)
        finally:
            await remote.close_rpc()

    try:
        versions = asyncio.run(ask())
    except (OSError, TimeoutError, ValueError) as exc:
        raise ArticleAudioError(f"cannot reach the Dask scheduler ({exc.__class__.__name__}: {exc})", address) from None
    packages = versions.get("packages") if isinstance(versions, dict) else None
    return str((packages or {}).get("distributed") or "unknown")
