"""factory_boy factories for the portal's models. Defaults build valid rows; tests name only
what matters to them."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from monitoring.models import Indicator, Measurement, MonitoringPoint, Target
from programs.models import (
    Agreement,
    Curator,
    CuratorPair,
    Document,
    Module,
    Participant,
    Program,
)
from roadmaps.models import Attendance, Event, ItemExecution, Roadmap, RoadmapItem
from schools.models import Membership, Municipality, Organization, Region, SchoolStatus


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Ирина"
    last_name = "Петрова"
    password = factory.django.Password("пароль-для-тестов")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Регион {n}")
    code = factory.Sequence(lambda n: f"{n + 100}")
    timezone = "Asia/Yekaterinburg"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Район {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    municipality = factory.SubFactory(MunicipalityFactory)
    region = factory.LazyAttribute(lambda o: o.municipality.region if o.municipality else None)
    kind = Organization.Kind.SCHOOL
    short_name = factory.Sequence(lambda n: f"МБОУ «СОШ № {n}»")
    name = factory.LazyAttribute(lambda o: f"Муниципальное бюджетное учреждение {o.short_name}")


class AuthorityFactory(OrganizationFactory):
    kind = Organization.Kind.AUTHORITY
    short_name = factory.Sequence(lambda n: f"Управление образования {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.STAFF


class SchoolStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolStatus

    school = factory.SubFactory(OrganizationFactory)
    year = 2022
    category = SchoolStatus.Category.LOW_RESULTS


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    owner = factory.SubFactory(AuthorityFactory)
    municipality = factory.LazyAttribute(lambda o: o.owner.municipality)
    region = factory.LazyAttribute(lambda o: o.owner.region)
    level = Program.Level.MUNICIPAL
    title = factory.Sequence(lambda n: f"Программа адресной поддержки {n}")
    short_title = factory.Sequence(lambda n: f"Программа {n}")
    starts_on = datetime.date(2023, 1, 1)
    ends_on = datetime.date(2023, 12, 31)


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    program = factory.SubFactory(ProgramFactory)
    title = factory.Sequence(lambda n: f"Модуль {n}")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant
        # A pair already names its schools as participants (`CuratorPair.save`).
        django_get_or_create = ("program", "organization", "role")

    program = factory.SubFactory(ProgramFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Participant.Role.SUPPORTED


class CuratorPairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CuratorPair

    program = factory.SubFactory(ProgramFactory)
    curator_school = factory.SubFactory(
        OrganizationFactory, municipality=factory.SelfAttribute("..program.municipality")
    )
    supported_school = factory.SubFactory(
        OrganizationFactory, municipality=factory.SelfAttribute("..program.municipality")
    )


class CuratorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Curator

    pair = factory.SubFactory(CuratorPairFactory)
    user = factory.SubFactory(UserFactory)
    organization = factory.LazyAttribute(lambda o: o.pair.curator_school)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    pair = factory.SubFactory(CuratorPairFactory)
    number = factory.Sequence(lambda n: f"{n}")
    signed_on = datetime.date(2023, 2, 1)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    program = factory.SubFactory(ProgramFactory)
    organization = factory.SubFactory(OrganizationFactory)
    kind = Document.Kind.MEDIUM_TERM_PROGRAM
    title = "Среднесрочная программа развития"


class RoadmapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roadmap

    program = factory.SubFactory(ProgramFactory)
    level = Roadmap.Level.PROGRAM
    title = "Дорожная карта проекта"


class RoadmapItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoadmapItem

    roadmap = factory.SubFactory(RoadmapFactory)
    number = factory.Sequence(lambda n: f"{n + 1}.")
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Мероприятие {n}")
    schedule_text = "Май 2023"
    starts_on = datetime.date(2023, 5, 1)
    due_on = datetime.date(2023, 5, 31)


class ItemExecutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemExecution

    item = factory.SubFactory(RoadmapItemFactory)
    organization = factory.SubFactory(OrganizationFactory)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    program = factory.SubFactory(ProgramFactory)
    title = factory.Sequence(lambda n: f"Семинар {n}")
    kind = Event.Kind.SEMINAR
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    event = factory.SubFactory(EventFactory)
    organization = factory.SubFactory(OrganizationFactory)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"{n + 1}")
    title = factory.Sequence(lambda n: f"Доля обучающихся {n}")
    unit = Indicator.Unit.PERCENT


class MonitoringPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringPoint

    program = factory.SubFactory(ProgramFactory)
    title = factory.Sequence(lambda n: f"Точка {n}")
    date = factory.Sequence(lambda n: datetime.date(2023, 5, 31) + datetime.timedelta(days=n))


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    point = factory.SubFactory(
        MonitoringPointFactory, program=factory.SelfAttribute("..indicator.program")
    )
    value = 85


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    point = factory.SubFactory(
        MonitoringPointFactory, program=factory.SelfAttribute("..indicator.program")
    )
    organization = factory.SubFactory(OrganizationFactory)
    value = 50
