"""QR codes of a big tracked batch encoded on every core before the batch is drawn.

A tracked batch has one link per card, so each card's QR code is encoded anew, and encoding is
most of a tracked print's time. Measured with bench/bench_cores.py (10,000 cards, 2 cores):
encoding in a pool made the print 1.65x faster; cutting the batch into page ranges rendered
apart and joined afterwards gained only 1.09x, since drawing and joining stay serial. Starting
the pool costs a few hundred milliseconds, so small batches stay in one process. And on a
machine already busy (a load average above one core short of all of them), extra processes
only compete with that work: the same bench with the load at 7 on 2 cores gained nothing.

The pool's processes start from a fork server: forking a process that runs threads (the print
queue's worker, a web server) is unsafe, and a fork server is a clean single-threaded parent.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from .qr import QrSymbol, encode

logger = logging.getLogger(__name__)

# Below this many distinct links, starting the pool costs more than it saves.
PARALLEL_FROM_LINKS = 2000


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worth_a_pool(distinct_links: int, cores: int) -> bool:
    if distinct_links < PARALLEL_FROM_LINKS or cores < 2:
        return False
    try:
        # at least one core to spare beside this process, by the last minute's load average
        return os.getloadavg()[0] <= cores - 1
    except OSError:  # load average unavailable
        return True


def encode_in_parallel(payloads: Iterable[str], always: bool = False) -> dict[str, QrSymbol]:
    """Each distinct payload's symbol, encoded by a pool of processes; {} when that would not pay.

    What is not returned is encoded as usual while drawing, so a pool that cannot start or
    breaks (no /dev/shm, a worker killed) costs speed, never the print. `always` skips the
    judgement of whether a pool pays, for measuring it.
    """
    distinct = list(dict.fromkeys(payloads))
    processes = usable_cores()
    if not (always or worth_a_pool(len(distinct), processes)):
        return {}
    logger.info("encoding %s QR codes in %s processes", len(distinct), processes)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    try:
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            symbols = pool.map(encode, distinct, chunksize=max(1, len(distinct) // (8 * processes)))
            return dict(zip(distinct, symbols))
    except (BrokenProcessPool, OSError) as error:
        logger.warning("QR codes encoded in one process: the pool failed (%s)", error)
        return {}
