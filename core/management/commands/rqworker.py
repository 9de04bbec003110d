"""`manage.py rqworker`: django-rq's worker, which first registers the periodic jobs
(`core.periodic.register`, safe in every worker at every start). Run it with
`--with-scheduler`: RQ's scheduler is what moves a periodic run into the queue at its time.
Without `--worker-class` it runs `core.workers.Worker`, which takes over the scheduler of a dead
worker within about two minutes."""

from django_rq.management.commands.rqworker import Command as RQWorkerCommand

from core import periodic

WORKER_CLASS = "core.workers.Worker"


class Command(RQWorkerCommand):
    def handle(self, *args, **options):
        options["worker_class"] = options.get("worker_class") or WORKER_CLASS
        periodic.register()
        return super().handle(*args, **options)
