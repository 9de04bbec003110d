"""What a program consists of: tasks, stages, modules, expected results, participants' roles."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from core.text import shorten
from schools.models import Organization

from .programs import Program

# «1.», «1.2.», «3)» before a task's text in a pasted list.
TASK_NUMBER = re.compile(r"^(?P<number>\d+(?:\.\d+)*)[.)]?\s+(?P<text>\S.*)$")


class ProgramPart(models.Model):
    """A piece of a program that is listed in a fixed order."""

    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        abstract = True
        ordering = ["program", "order", "pk"]

    # Whether two lines of one pasted list may not be the same (a module's title is unique).
    unique_lines = False

    @classmethod
    def from_line(cls, program, line):
        """The unsaved part a line of a pasted list stands for."""
        raise NotImplementedError

    @classmethod
    def append_lines(cls, program, lines):
        """Add one part per line after the program's last one, in the lines' order; returns
        them. Each part's own checks run first (`full_clean`), and if one line is refused
        nothing is added: the ValidationError says which lines, by number."""
        last = cls.objects.filter(program=program).aggregate(models.Max("order"))["order__max"]
        parts, refused, seen = [], [], set()
        for number, line in enumerate(lines, start=1):
            part = cls.from_line(program, line)
            part.order = (last or 0) + len(parts) + 1
            try:
                part.full_clean()
            except ValidationError as error:
                refused.append(f"строка {number}: {' '.join(error.messages)}")
                continue
            if cls.unique_lines and line.casefold() in seen:
                refused.append(f"строка {number}: повторяет строку выше.")
                continue
            seen.add(line.casefold())
            parts.append(part)
        if refused:
            raise ValidationError(refused)
        return cls.objects.bulk_create(parts)


class Task(ProgramPart):
    """A task (задача) of a program."""

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="tasks", verbose_name="программа"
    )
    number = models.CharField("номер", max_length=16, blank=True)
    text = models.TextField("задача")

    class Meta(ProgramPart.Meta):
        verbose_name = "задача"
        verbose_name_plural = "задачи"

    def __str__(self):
        return f"{self.number} {shorten(self.text, 80)}".strip()

    @classmethod
    def from_line(cls, program, line):
        """«1.2. Создать условия…» keeps its number apart from its text."""
        match = TASK_NUMBER.match(line)
        if match:
            return cls(program=program, number=match["number"], text=match["text"])
        return cls(program=program, text=line)


class Stage(ProgramPart):
    """A stage (этап) of a program with its dates."""

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="stages", verbose_name="программа"
    )
    title = models.CharField("этап", max_length=300)
    starts_on = models.DateField("начало", null=True, blank=True)
    ends_on = models.DateField("окончание", null=True, blank=True)
    description = models.TextField("содержание", blank=True)

    class Meta(ProgramPart.Meta):
        verbose_name = "этап"
        verbose_name_plural = "этапы"
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="stage_ends_after_start",
                violation_error_message="Окончание этапа не может быть раньше начала.",
            ),
        ]

    def __str__(self):
        return self.title


class Module(ProgramPart):
    """A module (модуль) that groups roadmap items: «Есть проект», «ПрофСреда»…"""

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="modules", verbose_name="программа"
    )
    title = models.CharField("модуль", max_length=300)
    description = models.TextField("описание", blank=True)

    unique_lines = True

    class Meta(ProgramPart.Meta):
        verbose_name = "модуль"
        verbose_name_plural = "модули"
        constraints = [
            models.UniqueConstraint(
                fields=["program", "title"],
                name="module_unique_title",
                violation_error_message="В программе уже есть модуль с таким названием.",
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def from_line(cls, program, line):
        return cls(program=program, title=line)


class ExpectedResult(ProgramPart):
    """A planned result (планируемый / ожидаемый результат) of a program, as written."""

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="expected_results", verbose_name="программа"
    )
    text = models.TextField("результат")

    class Meta(ProgramPart.Meta):
        verbose_name = "ожидаемый результат"
        verbose_name_plural = "ожидаемые результаты"

    def __str__(self):
        return shorten(self.text, 80)


class ParticipantRole(ProgramPart):
    """What a kind of participant does in a program («Школы-кураторы обеспечивают: …»), as the
    program's document assigns it, whether or not the participants are named."""

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="roles", verbose_name="программа"
    )
    title = models.CharField("участник", max_length=500)
    organization = models.ForeignKey(
        Organization,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="program_roles",
        verbose_name="организация",
        help_text="Если документ называет конкретную организацию",
    )
    functions = models.TextField("функции", help_text="По одной функции в строке")

    class Meta(ProgramPart.Meta):
        verbose_name = "роль участника"
        verbose_name_plural = "роли участников"

    def __str__(self):
        return self.title

    @property
    def function_list(self):
        return [line.strip() for line in self.functions.splitlines() if line.strip()]

    @property
    def functions_text(self):
        """The functions in one run of text, punctuated as the order lists them: a line keeps
        the ending it was written with («…в Пермском крае;», the last «…условиях».), and a
        line typed without one is ended with «;» (the last with «.»), so no separator is ever
        doubled."""
        lines = self.function_list
        return " ".join(
            line if line[-1] in ".;:,!?…" else line + (";" if n < len(lines) else ".")
            for n, line in enumerate(lines, start=1)
        )
