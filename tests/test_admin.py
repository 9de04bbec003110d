"""Django's admin: every registered model opens for the superuser, lists do not query per row,
the actions change only what was selected, dates are derived from a changed deadline wording,
and nobody without staff status gets in."""

import datetime
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import checks
from django.db import connection
from django.test.client import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import ExternalIdentity
from api.services import issue_token
from core.models import ImportJob, Lock, PeriodicRun
from monitoring.models import Measurement, MonitoringPoint
from notices.models import CalendarFeed, Consultation, EmailOptOut, Invitation, Kind, Notification
from programs.models import (
    DocumentVersion,
    ExpectedResult,
    ParticipantRole,
    Review,
    Stage,
    Task,
)
from reports.models import ReportFile
from reports.tasks import prune_report_files
from roadmaps.models import Evidence, ItemReport, Roadmap, RoadmapItem
from schools.models import Organization, RiskFactor, RiskLevel, RiskProfile

from . import factories as f

pytestmark = pytest.mark.django_db

PORTAL_APPS = {
    "schools",
    "programs",
    "roadmaps",
    "monitoring",
    "notices",
    "expertise",
    "forecasts",
    "api",
}

REGISTERED = sorted(admin.site._registry.items(), key=lambda pair: pair[0]._meta.label_lower)


def url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


@pytest.fixture
def admin_client(client, superuser, settings):
    # The database backend, so that its queued task shows in the admin.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(superuser)
    return client


@pytest.fixture
def every_model(world):
    """At least one row of every registered model, on top of the world's territory, program,
    pair and people."""
    w = world
    factor = RiskFactor.objects.create(
        code="1.1", title="Низкая учебная мотивация", group="Обучающиеся"
    )
    profile = RiskProfile.objects.create(
        school=w.supported_school, assessed_on=datetime.date(2023, 3, 1), created_by=w.school
    )
    RiskLevel.objects.create(profile=profile, factor=factor, level=RiskLevel.Level.HIGH)
    f.SchoolStatusFactory(school=w.supported_school)

    Task.objects.create(program=w.program, number="1", text="Обеспечить методическую помощь")
    Stage.objects.create(program=w.program, title="Подготовительный этап")
    module = f.ModuleFactory(program=w.program, title="Управленческий модуль")
    ExpectedResult.objects.create(program=w.program, text="Снижение доли ШНОР")
    ParticipantRole.objects.create(
        program=w.program, title="Школы-кураторы", functions="Консультируют", organization=None
    )
    f.AgreementFactory(pair=w.pair)
    document = f.DocumentFactory(
        program=w.program, organization=w.supported_school, uploaded_by=w.school
    )
    DocumentVersion.objects.create(
        document=document,
        number=1,
        file="documents/versions/2023/program.pdf",
        original_name="program.pdf",
        size=1024,
        uploaded_by=w.school,
    )
    Review.objects.create(document=document, reviewer=w.curator, organization=w.curator_school)

    indicator = f.IndicatorFactory(program=w.program, title="Доля обучающихся с отметкой «2»")
    point = f.MonitoringPointFactory(program=w.program, title="Мониторинг 31.05.2023")
    target = f.TargetFactory(indicator=indicator, point=point, organization=w.supported_school)
    # Sent: the school's tally at the point (`SheetTally`) has a row.
    f.MeasurementFactory(
        indicator=indicator,
        point=point,
        organization=w.supported_school,
        entered_by=w.school,
        status=Measurement.Status.SUBMITTED,
    )

    roadmap = f.RoadmapFactory(
        program=w.program, level=Roadmap.Level.PAIR, pair=w.pair, title="Дорожная карта пары"
    )
    item = f.RoadmapItemFactory(roadmap=roadmap, module=module, target=target)
    item.responsible.add(w.supported_school)
    item.risk_factors.add(factor)
    report = ItemReport.objects.create(
        item=item,
        author=w.school,
        organization=w.supported_school,
        status=RoadmapItem.Status.IN_PROGRESS,
        text="Проведён педсовет",
    )
    Evidence.objects.create(
        report=report, file="evidence/1/protocol.pdf", original_name="protocol.pdf", size=2048
    )
    event = f.EventFactory(program=w.program, item=item, organizer=w.authority)
    event.invited.add(w.supported_school)
    f.AttendanceFactory(event=event, organization=w.supported_school)

    Notification.objects.create(
        recipient=w.school,
        kind=Kind.EVENT_INVITATION,
        content_type=ContentType.objects.get_for_model(event),
        object_id=event.pk,
        title=f"Приглашение: {event.title}",
    )
    EmailOptOut.objects.create(user=w.school, kind=Kind.DIGEST)
    CalendarFeed.of(w.school)
    issue_token(w.school, "Хранилище данных", 30)
    Invitation.objects.create(
        user=w.school, organization=w.supported_school, invited_by=w.coordinator
    )
    Consultation.objects.create(
        program=w.program,
        item=item,
        topic="Школа полного дня",
        question="Как организовать внеурочную деятельность?",
        asked_by=w.school,
        organization=w.supported_school,
    )
    _expertise_rows(w, document, factor)

    Group.objects.create(name="Методисты")
    # The second factor's devices (django-otp's admin pages).
    TOTPDevice.objects.create(user=w.coordinator, name="Приложение")
    StaticDevice.objects.create(user=w.coordinator, name="Резервные коды")
    # A link to the region's identity provider (accounts/oidc.py).
    ExternalIdentity.objects.create(user=w.school, issuer="https://idp.example", sub="4711")
    attempt = {
        "username": "school",
        "ip_address": "127.0.0.1",
        "user_agent": "pytest",
        "http_accept": "*/*",
        "path_info": "/accounts/login/",
    }
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**attempt)
    AccessFailureLog.objects.create(**attempt)
    # A background report file and the queued task that makes it.
    ReportFile.objects.create(
        kind="passport", subject_id=w.program.pk, fmt="pdf", requested_by=w.coordinator
    )
    prune_report_files.using(backend="default").enqueue()
    # A stored forecast and the school's signals, as the recomputation writes them.
    _forecast_rows(w, indicator, point)
    # A confirmed import waiting for its worker.
    ImportJob.objects.create(
        kind="values",
        token="admin-test",
        title="Значения: Май",
        params={"program": w.program.pk, "point": point.pk},
        rows=3000,
        content=b"PK",
        requested_by=w.coordinator,
    )
    # A periodic job's place in its chain and the lock of its round.
    PeriodicRun.objects.create(name="notification_round", due_at=timezone.now())
    Lock.objects.create(name="periodic:notification_round")
    return world


def _forecast_rows(w, indicator, point):
    from django.utils import timezone

    from forecasts.models import Forecast, SchoolSignals

    Forecast.objects.create(
        program=w.program,
        indicator=indicator,
        school=w.supported_school,
        computed_at=timezone.now(),
        points_used=2,
        last_point=point,
        last_value=50,
        final_point=point,
        final_value=40,
        final_low=30,
        final_high=50,
        final_target="не менее 70 %",
        p_miss_final=0.9,
        at_risk=True,
        at_risk_since=timezone.now(),
        reasons=["снижение по двум точкам"],
    )
    SchoolSignals.objects.create(
        program=w.program, school=w.supported_school, computed_at=timezone.now(), items_total=1
    )


def _expertise_rows(w, document, factor):
    from expertise.models import (
        Adoption,
        Assignment,
        Contest,
        Criterion,
        ExpertiseRound,
        JuryScore,
        PassThreshold,
        Practice,
        PracticeFile,
        Score,
        Subject,
        Submission,
    )

    criterion = Criterion.objects.create(program=w.program, kind=document.kind, title="Полнота")
    round_ = ExpertiseRound.objects.create(program=w.program, title="Экспертиза, май")
    sheet = Assignment.objects.create(
        review=document.reviews.get(),
        round=round_,
        role=Assignment.Role.CURATOR,
        school=w.supported_school,
        organization=w.curator_school,
        version=1,
    )
    Score.objects.create(assignment=sheet, criterion=criterion, score=2)
    PassThreshold.objects.create(program=w.program, kind="", share=80)
    practice = Practice.objects.create(
        title="Квест", author_school=w.curator_school, description="…", in_bank=True
    )
    practice.risk_factors.add(factor)
    practice.subjects.add(Subject.objects.create(name="математика"))
    PracticeFile.objects.create(practice=practice, file="practices/1/a.pdf", original_name="a.pdf")
    Adoption.objects.create(
        practice=practice, school=w.supported_school, adopted_on=datetime.date(2023, 6, 1)
    )
    contest = Contest.objects.create(program=w.program, title="Панорама кейсов")
    submission = Submission.objects.create(contest=contest, practice=practice)
    JuryScore.objects.create(submission=submission, juror=w.coordinator, score=8)


def test_every_model_of_the_portal_is_registered():
    registered = set(admin.site._registry)
    missing = [
        model._meta.label
        for app in PORTAL_APPS
        for model in apps.get_app_config(app).get_models()
        # simple-history's copies are reached through the history page of their model.
        if not model.__name__.startswith("Historical") and model not in registered
    ]
    assert missing == []


def test_history_is_kept_for_items_values_and_documents():
    for label in ("roadmaps.RoadmapItem", "monitoring.Measurement", "programs.Document"):
        model = next(m for m in admin.site._registry if m._meta.label == label)
        assert isinstance(admin.site._registry[model], SimpleHistoryAdmin), label


def test_the_admin_passes_django_system_checks():
    errors = checks.run_checks(tags=[checks.Tags.admin])
    assert errors == []


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=[m._meta.label_lower for m, _ in REGISTERED]
)
def test_every_admin_page_opens_for_the_superuser(
    admin_client, superuser, every_model, model, model_admin
):
    obj = model._default_manager.first()
    assert obj is not None, f"add a {model._meta.label} row to the every_model fixture"
    request = RequestFactory().get("/")
    request.user = superuser
    can_add = model_admin.has_add_permission(request)

    pages = {
        "changelist": url(model, "changelist"),
        "add": url(model, "add"),
        "change": url(model, "change", obj.pk),
        "history": url(model, "history", obj.pk),
    }
    if model_admin.search_fields:
        pages["search"] = url(model, "changelist") + "?q=Школа"
    statuses = {page: admin_client.get(address).status_code for page, address in pages.items()}

    expected = dict.fromkeys(pages, 200)
    if not can_add:  # django-axes' logs are written by sign-ins only
        expected["add"] = 403
    assert statuses == expected


def test_a_search_finds_rows_through_related_names(admin_client, world):
    response = admin_client.get(url(Organization, "changelist") + "?q=Русскинская")
    shown = list(response.context["cl"].result_list)
    assert set(shown) == {world.supported_school, world.branch}


def test_the_admin_speaks_russian(admin_client, every_model):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="ru"' in page
    for title in ("Организации", "Мероприятия дорожной карты", "Значения показателей"):
        assert title in page


def test_every_autocomplete_answers(admin_client, every_model):
    fields = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PORTAL_APPS | {"auth"}:
            continue
        fields += [(model, name) for name in model_admin.autocomplete_fields]
        for inline in model_admin.inlines:
            fields += [(inline.model, name) for name in inline.autocomplete_fields]
    assert len(fields) > 40
    for model, name in fields:
        response = admin_client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": name,
                "term": "а",
            },
        )
        assert response.status_code == 200, (model._meta.label, name)


# How to add one more row to a list, with its own related rows, so that a list page that
# fetched a related row per line would make more queries with more lines.
ONE_MORE = {
    "schools.Organization": lambda: f.OrganizationFactory(
        parent=(parent := f.OrganizationFactory()), municipality=parent.municipality
    ),
    "schools.Membership": lambda: f.MembershipFactory(),
    "schools.SchoolStatus": lambda: f.SchoolStatusFactory(),
    "programs.Program": lambda: f.ProgramFactory(),
    "programs.Module": lambda: f.ModuleFactory(),
    "programs.Participant": lambda: f.ParticipantFactory(),
    "programs.CuratorPair": lambda: f.CuratorPairFactory(),
    "programs.Curator": lambda: f.CuratorFactory(),
    "programs.Agreement": lambda: f.AgreementFactory(),
    "programs.Document": lambda: f.DocumentFactory(),
    "roadmaps.Roadmap": lambda: f.RoadmapFactory(
        level=Roadmap.Level.SCHOOL, organization=f.OrganizationFactory()
    ),
    "roadmaps.RoadmapItem": lambda: f.RoadmapItemFactory(module=f.ModuleFactory()),
    "roadmaps.ItemExecution": lambda: f.ItemExecutionFactory(),
    "roadmaps.Event": lambda: f.EventFactory(organizer=f.OrganizationFactory()),
    "roadmaps.Attendance": lambda: f.AttendanceFactory(),
    "monitoring.Indicator": lambda: f.IndicatorFactory(),
    "monitoring.MonitoringPoint": lambda: f.MonitoringPointFactory(),
    "monitoring.Target": lambda: f.TargetFactory(organization=f.OrganizationFactory()),
    "monitoring.Measurement": lambda: f.MeasurementFactory(approved_by=f.UserFactory()),
}


@pytest.mark.parametrize("label", ONE_MORE)
def test_a_list_makes_as_many_queries_for_30_rows_as_for_5(admin_client, label):
    model = next(m for m in admin.site._registry if m._meta.label == label)
    address = url(model, "changelist")
    admin_client.get(address)  # caches filled on a first visit do not count

    def queries_with(rows):
        while model._default_manager.count() < rows:
            ONE_MORE[label]()
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(address)
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) >= rows
        return [query["sql"] for query in queries.captured_queries]

    few, many = queries_with(5), queries_with(30)
    assert len(many) == len(few), "\n".join(many)


def select(admin_client, model, action, rows):
    return admin_client.post(
        url(model, "changelist"),
        {"action": action, "_selected_action": [row.pk for row in rows]},
        follow=True,
    )


def test_approving_values_approves_the_selected_filled_values_only(admin_client, superuser):
    submitted = Measurement.Status.SUBMITTED
    chosen = f.MeasurementFactory(value=Decimal("71.5"), status=submitted)
    empty = f.MeasurementFactory(value=None, status=submitted)
    earlier_approver = f.UserFactory(username="methodist")
    approved_before = f.MeasurementFactory(
        status=Measurement.Status.APPROVED, approved_by=earlier_approver
    )
    not_chosen = f.MeasurementFactory(status=submitted)

    response = select(admin_client, Measurement, "approve", [chosen, empty, approved_before])

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert "Утверждено значений: 1." in messages
    assert "Не утверждены (1): Утвердить можно только заполненное значение." in messages
    chosen.refresh_from_db()
    assert chosen.status == Measurement.Status.APPROVED
    assert chosen.approved_by == superuser
    assert chosen.approved_at is not None
    assert chosen.history.first().history_user == superuser
    for untouched, status in ((empty, submitted), (not_chosen, submitted)):
        untouched.refresh_from_db()
        assert (untouched.status, untouched.approved_by) == (status, None)
    approved_before.refresh_from_db()
    assert approved_before.approved_by == earlier_approver


def test_closing_entry_locks_the_selected_points_only(admin_client):
    program = f.ProgramFactory()
    first, second, other = (f.MonitoringPointFactory(program=program) for _ in range(3))

    response = select(admin_client, MonitoringPoint, "close_entry", [first, second])

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "Приём значений закрыт, точек мониторинга: 2."
    ]
    assert list(MonitoringPoint.objects.filter(locked=True)) == [first, second]
    other.refresh_from_db()
    assert other.locked is False


def form_data(response):
    """What the browser would send back for an admin change form, as the page renders it."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        data.update({field.html_name: field.value() for field in inline.formset.management_form})
        forms += inline.formset.forms
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [str(part) for part in value]
            data[field.html_name] = value
    return data


@pytest.fixture
def item(world):
    roadmap = f.RoadmapFactory(program=world.program)  # the program runs in 2023
    return f.RoadmapItemFactory(
        roadmap=roadmap,
        schedule_text="Май",
        starts_on=None,
        due_on=None,
        title="Педагогический совет",
    )


def save_item(admin_client, item, **changes):
    data = form_data(admin_client.get(url(RoadmapItem, "change", item.pk)))
    data.update(changes)
    response = admin_client.post(url(RoadmapItem, "change", item.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    return item


def test_a_changed_wording_without_dates_gives_the_dates(admin_client, item):
    save_item(admin_client, item, schedule_text="Февраль – декабрь 2023")
    assert (item.starts_on, item.due_on) == (datetime.date(2023, 2, 1), datetime.date(2023, 12, 31))


def test_typed_dates_win_over_the_wording(admin_client, item):
    save_item(
        admin_client,
        item,
        schedule_text="Февраль – декабрь 2023",
        starts_on="10.03.2023",
        due_on="20.04.2023",
    )
    assert (item.starts_on, item.due_on) == (datetime.date(2023, 3, 10), datetime.date(2023, 4, 20))


def test_an_unchanged_wording_leaves_empty_dates_empty(admin_client, item):
    save_item(admin_client, item, title="Педагогический совет по итогам ВПР")
    assert item.title == "Педагогический совет по итогам ВПР"
    assert (item.starts_on, item.due_on) == (None, None)


def test_items_added_and_changed_in_the_roadmap_get_dates_from_the_wording(admin_client, item):
    roadmap = item.roadmap
    dated = f.RoadmapItemFactory(
        roadmap=roadmap, schedule_text="Май 2023", order=5, title="Семинар для кураторов"
    )
    address = url(Roadmap, "change", roadmap.pk)
    data = form_data(admin_client.get(address))
    rows = {data[f"items-{i}-id"]: i for i in range(int(data["items-TOTAL_FORMS"]))}
    data[f"items-{rows[item.pk]}-schedule_text"] = "Сентябрь – октябрь 2023"
    data[f"items-{rows[dated.pk]}-schedule_text"] = "Июнь 2023"  # its dates were typed
    new = int(data["items-TOTAL_FORMS"])
    data["items-TOTAL_FORMS"] = new + 1
    data.update(
        {
            f"items-{new}-order": "9",
            f"items-{new}-title": "Итоговая конференция",
            f"items-{new}-schedule_text": "31.05.2023",
            f"items-{new}-status": RoadmapItem.Status.PLANNED,
        }
    )

    response = admin_client.post(address, data)

    assert response.status_code == 302
    item.refresh_from_db()
    dated.refresh_from_db()
    added = roadmap.items.get(title="Итоговая конференция")
    assert (item.starts_on, item.due_on) == (datetime.date(2023, 9, 1), datetime.date(2023, 10, 31))
    assert (dated.schedule_text, dated.starts_on, dated.due_on) == (
        "Июнь 2023",
        datetime.date(2023, 5, 1),
        datetime.date(2023, 5, 31),
    )
    assert (added.starts_on, added.due_on) == (None, datetime.date(2023, 5, 31))


def test_the_user_page_shows_where_the_person_works(admin_client, world):
    response = admin_client.get(url(type(world.school), "change", world.school.pk))
    assert response.status_code == 200
    assert "МБОУ «Русскинская СОШ»" in response.content.decode()


def test_the_organization_page_lists_its_branches_read_only(admin_client, world):
    response = admin_client.get(url(Organization, "change", world.supported_school.pk))
    branches = next(
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.opts.fk_name == "parent"
    )
    assert [form.instance for form in branches.formset.forms] == [world.branch]
    assert not branches.has_change_permission
    assert not branches.has_add_permission


def test_people_without_staff_status_are_sent_to_the_admin_sign_in(as_user, world):
    for address in (reverse("admin:index"), url(Organization, "changelist")):
        response = as_user(world.coordinator).get(address)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_anonymous_visitors_are_sent_to_sign_in(as_user):
    response = as_user(None).get(url(Organization, "changelist"))
    assert response.status_code == 302
    assert "login" in response.url


def test_staff_without_superuser_cannot_enter_the_admin(world):
    from django.test import Client

    world.coordinator.is_staff = True
    world.coordinator.save()
    client = Client()
    client.force_login(world.coordinator)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_file_links_serve_stored_files_to_superusers_only(world, superuser, media_root):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.test import Client

    name = default_storage.save("agreements/2023/dogovor.pdf", ContentFile(b"%PDF-1.4 test"))
    admin_client = Client()
    admin_client.force_login(superuser)
    response = admin_client.get(f"/files/{name}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    coordinator = Client()
    coordinator.force_login(world.coordinator)
    assert coordinator.get(f"/files/{name}").status_code == 404
    assert admin_client.get("/files/../../etc/passwd").status_code == 404
    assert admin_client.get("/files/agreements/missing.pdf").status_code == 404
