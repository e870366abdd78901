"""The operator's view of the task queue in the admin.

django-tasks-db's own admin names each row by rebuilding its task on the configured backend, which refuses a
deferred row (run_after) when that backend cannot defer (a site moved to RQ, or the immediate backend) and fails
on a task that was renamed since it was queued: the whole list page answered 500. Here a row whose task cannot
be rebuilt is named by its stored path.
"""

from __future__ import annotations

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult


class TaskResultAdmin(DBTaskResultAdmin):
    @admin.display(description="task name")
    def task_name(self, obj: DBTaskResult) -> str:
        try:
            return str(obj.task.name)
        except Exception:  # any row the current code cannot rebuild is shown, never a 500
            return obj.task_path.rsplit(".", 1)[-1]


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
