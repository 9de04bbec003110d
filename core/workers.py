"""The RQ worker the portal's `manage.py rqworker` runs by default.

RQ's scheduler (which moves periodic runs into the queue at their time) runs inside one worker
at a time, under a lock in Redis. When that worker dies, another takes the scheduler over only at
its next maintenance, every ten minutes by RQ's default: the rehearsal of several workers
(`bench/cluster.py`) saw a periodic round come 529 s after the scheduler's worker was killed.
Maintenance every minute bounds that gap at about two minutes (the lock's own minute, then the
next maintenance); it costs a few Redis commands a minute."""

from rq import Worker as RQWorker

MAINTENANCE_SECONDS = 60


class Worker(RQWorker):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("maintenance_interval", MAINTENANCE_SECONDS)
        super().__init__(*args, **kwargs)
