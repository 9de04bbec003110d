"""`manage.py db_worker`: django-tasks-db's worker, which first registers the periodic jobs
(`core.periodic.register`, safe in every worker at every start)."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from core import periodic


class Command(DatabaseWorkerCommand):
    def handle(self, *args, **options):
        periodic.register()
        return super().handle(*args, **options)
