"""Roadmaps: a program's plan, or one pair's."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.access import access_rule, any_of, reach
from programs.models import CuratorPair, Program
from schools.models import Organization


class RoadmapQuerySet(models.QuerySet):
    @access_rule
    def visible_to(self, user):
        """Roadmaps of programs the user sees; a school's or a pair's roadmap only to those who
        see that school or sit in that pair."""
        r = reach(user)
        programs = Program.objects.visible_to(user)
        own = r.schools | r.curated_schools
        return self.filter(program__in=programs).filter(
            any_of(
                Q(level__in=[Roadmap.Level.PROGRAM, Roadmap.Level.MUNICIPAL]),
                r.sees_organization("organization"),
                # A pair's roadmap has no organization; it is seen with its supported school.
                r.sees_organization("pair__supported_school"),
                Q(pair__in=r.pairs) if r.pairs else None,
                Q(pair__supported_school__in=own) | Q(pair__curator_school__in=own)
                if own
                else None,
            )
        )

    @access_rule
    def editable_by(self, user):
        """Roadmaps whose items the user may add, change and reorder: coordinators of the
        program, and the curators of a pair for the pair's roadmap. Never more than the user
        sees: a coordinator of a federal program's owner does not change the roadmap of a
        school outside their territory."""
        r = reach(user)
        return self.visible_to(user).filter(
            any_of(
                Q(program__in=Program.objects.editable_by(user)),
                Q(pair__in=r.pairs) if r.pairs else None,
            )
        )

    def with_progress(self, now=None, programs=None):
        """Each roadmap with its items' completion counts (`completion_annotations`) as
        `items_total`, `items_done`, `items_late`, `items_cancelled`, … counted in the database.
        `programs`: the programs of these roadmaps, when the caller has them (saves a query)."""
        # The rule lives with the items, whose module imports this one.
        from .items import completion_annotations

        counts = completion_annotations(now, programs=programs, item="items", count="items")
        return self.annotate(**{f"items_{name}": value for name, value in counts.items()})

    def of_school(self, school):
        """Roadmaps that are the school's own: its school roadmap and its pairs' roadmaps."""
        return self.filter(
            Q(organization=school)
            | Q(pair__supported_school=school)
            | Q(pair__curator_school=school)
        )


class Roadmap(models.Model):
    """A roadmap (дорожная карта, план-график, план мероприятий) of a program, a municipality,
    a school or a pair."""

    class Level(models.TextChoices):
        PROGRAM = "program", "программа"
        MUNICIPAL = "municipal", "муниципалитет"
        SCHOOL = "school", "школа"
        PAIR = "pair", "пара"

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="roadmaps", verbose_name="программа"
    )
    level = models.CharField("уровень", max_length=16, choices=Level.choices)
    organization = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="roadmaps",
        verbose_name="организация",
        help_text="Школа — для дорожной карты школы",
    )
    pair = models.ForeignKey(
        CuratorPair,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="roadmaps",
        verbose_name="пара",
    )
    title = models.CharField("название", max_length=1000)

    objects = RoadmapQuerySet.as_manager()

    class Meta:
        verbose_name = "дорожная карта"
        verbose_name_plural = "дорожные карты"
        ordering = ["program", "level", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(level="school") | Q(organization__isnull=False),
                name="roadmap_school_has_organization",
                violation_error_message="У дорожной карты школы должна быть указана школа.",
            ),
            models.CheckConstraint(
                condition=~Q(level="pair") | Q(pair__isnull=False),
                name="roadmap_pair_has_pair",
                violation_error_message="У дорожной карты пары должна быть указана пара.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roadmaps:roadmap", args=[self.pk])

    def clean(self):
        if self.pair_id and self.program_id and self.pair.program_id != self.program_id:
            raise ValidationError({"pair": "Пара из другой программы."})
