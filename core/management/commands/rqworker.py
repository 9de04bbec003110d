"""`manage.py rqworker`: django-rq's worker, which first registers the periodic jobs
(`core.periodic.register`, safe in every worker at every start). Run it with
`--with-scheduler`: RQ's scheduler is what moves a periodic run into the queue at its time."""

from django_rq.management.commands.rqworker import Command as RQWorkerCommand

from core import periodic


class Command(RQWorkerCommand):
    def handle(self, *args, **options):
        periodic.register()
        return super().handle(*args, **options)
