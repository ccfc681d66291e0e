"""Talking to a Dask cluster so that it fails plainly or survives: the address checked and
the scheduler's handshake made with a deadline before a client exists, and partitions
sent as tasks that hold their own data, so the work of a worker that dies is redone.

:func:`workbench.scale.annotate_on_cluster` uses :func:`connect` and
:func:`run_partitions`; every failure is a :class:`ClusterError` of one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .corpus import Document
from .partitions import Packed, Piece, annotate_packed, pack_partition

if TYPE_CHECKING:  # pragma: no cover
    import distributed

    from .codebook import Codebook

__all__ = ["ClusterError", "connect", "run_partitions"]


class ClusterError(OSError):
    """The Dask cluster could not annotate: it cannot be reached, is no Dask scheduler, or
    its workers died; the message is one line naming the address or the partition."""


_TCP_SCHEMES = ("tcp", "tls", "ws", "wss")


def _check_address(address: str) -> None:
    """Refuse an address distributed cannot use, before any connection is tried."""
    from distributed.comm import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        if scheme in _TCP_SCHEMES:
            parse_host_port(location)
    except ValueError:
        raise ClusterError(
            f"the Dask scheduler address {address!r} has no port (or is not an address); write it as "
            "tcp://HOST:8786, as `dask scheduler` prints it"
        ) from None


async def _identity(address: str, timeout: float) -> dict:
    from distributed.comm import connect

    comm = await connect(address, timeout=timeout)
    try:
        await comm.write({"op": "identity", "reply": True})
        return await comm.read()
    finally:
        comm.abort()


def _probe(address: str, timeout: float) -> None:
    """Make sure a Dask scheduler answers at ``address`` within ``timeout`` seconds.

    The handshake runs in its own thread and event loop with a hard deadline, so a server
    that never answers, or answers with something else (distributed would read a byte
    count out of it and try to allocate exabytes), fails in one line instead of hanging.
    """
    import asyncio
    import socket
    from concurrent.futures import ThreadPoolExecutor

    from distributed.comm import parse_address, parse_host_port

    advice = "check the address (tcp://HOST:8786) and that `dask scheduler` is running there"
    scheme, location = parse_address(address)
    if scheme in _TCP_SCHEMES:  # refused at once rather than retried until the timeout
        host, port = parse_host_port(location)
        try:
            socket.create_connection((host, port), timeout=timeout).close()
        except TimeoutError:
            raise ClusterError(
                f"the Dask scheduler at {address!r} did not answer within {timeout:g} s; {advice}"
            ) from None
        except OSError as exc:
            raise ClusterError(
                f"cannot reach the Dask scheduler at {address!r} ({exc.strerror or exc}); {advice}"
            ) from None
    pool = ThreadPoolExecutor(1, thread_name_prefix="workbench-probe")
    try:
        reply = pool.submit(asyncio.run, asyncio.wait_for(_identity(address, timeout), timeout)).result(
            timeout + 5
        )
    except TimeoutError:  # asyncio's and concurrent.futures' too, since Python 3.11
        raise ClusterError(
            f"the Dask scheduler at {address!r} did not answer within {timeout:g} s; {advice}"
        ) from None
    except OSError as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address!r} ({exc}); {advice}") from None
    except Exception:  # noqa: BLE001 - whatever a stranger sends: a MemoryError, a bad frame
        reply = None
    finally:
        pool.shutdown(wait=False)
    kind = reply.get("type") if isinstance(reply, dict) else None
    if kind != "Scheduler":
        what = f"a Dask {kind}, not the scheduler" if isinstance(kind, str) else "not as a Dask scheduler"
        raise ClusterError(f"something at {address!r} answered, but {what}; {advice}")


def connect(address: str, timeout: float) -> distributed.Client:
    from distributed import Client

    if not isinstance(address, str) or not address.strip():
        raise ClusterError(
            f"`address_or_client` must be a scheduler address such as 'tcp://HOST:8786' or a "
            f"distributed.Client, not {address!r}"
        )
    _check_address(address)
    _probe(address, timeout)
    try:
        return Client(address, set_as_default=False, timeout=f"{timeout}s")
    except (OSError, TimeoutError) as exc:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address!r} ({exc}); check the address "
            "(tcp://HOST:8786) and that `dask scheduler` is running there"
        ) from None


def _compile(codebook: Codebook, annotate: Any) -> None:
    """Compile the codebook's matcher on this worker (annotating no documents compiles it and
    keeps it for the partitions that follow)."""
    annotate([], codebook=codebook, progress=False)


def _died(exc: Exception, keys: Sequence[str], chunks: Sequence[Sequence[Document]]) -> ClusterError:
    """One line for a partition the scheduler gave up on because its workers died."""
    key = getattr(exc, "task", None)
    doing = "annotating a partition"
    if key in keys:
        i = keys.index(key)
        docs = chunks[i]
        doing = (
            f"annotating partition {i + 1} of {len(keys)} (documents {docs[0].doc_id} … {docs[-1].doc_id})"
        )
    allowed = getattr(exc, "allowed_failures", None)
    setting = "distributed.scheduler.allowed-failures" + ("" if allowed is None else f" = {allowed}")
    return ClusterError(
        f"a Dask worker died while {doing} and the scheduler gave up on it ({setting}); check "
        "the worker logs for memory or crashes and run again"
    )


def run_partitions(
    client: distributed.Client, chunks: Sequence[Sequence[Document]], codebook: Codebook, annotate: Any
) -> tuple[list[Piece], list[Packed]]:
    """Annotate ``chunks`` on the cluster as tasks that hold their own data, in order.

    Each task carries its partition's payload and the codebook (a few dozen kB) in the
    task graph, not scattered: the scheduler keeps them, so the work of a worker that dies
    is done again on another. Each worker first compiles the matcher, while the client
    packs the partitions. A partition whose workers keep dying is a :class:`ClusterError`.
    Returns the pieces, and the partitions as packed (their sentences' columns).
    """
    import uuid

    import dask
    from distributed import KilledWorker

    run = uuid.uuid4().hex[:12]
    warm = [client.submit(_compile, codebook, annotate, key=f"workbench-compile-{k}-{run}", workers=[w],
                          allow_other_workers=True, pure=False)
            for k, w in enumerate(client.nthreads())]
    keys = [f"workbench-partition-{i}-{run}" for i in range(len(chunks))]
    packed, tasks = [], []
    # the payloads are in the graph on purpose (see above): no warning about a large graph
    with dask.config.set({"distributed.admin.large-graph-warning-threshold": "1 TiB"}):
        for key, chunk in zip(keys, chunks, strict=True):  # the first worker starts while the rest are packed
            packed.append(pack_partition(chunk))
            tasks.append(client.submit(annotate_packed, packed[-1].payload, codebook, annotate, key=key,
                                       pure=False))
    try:
        return [piece for pieces in client.gather(tasks) for piece in pieces], packed
    except KilledWorker as exc:
        raise _died(exc, keys, chunks) from None
    finally:
        client.cancel([*tasks, *warm])
