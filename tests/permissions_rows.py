"""What each row of the permission table (tests/test_permissions.py) asks: the URL of its route
and, for a POST, the data it sends; and `places`, the objects those URLs name, inside the reach
of the `world` program's people and outside it.

A route is registered once under a label; a row «label, outside» asks the same of the objects of
the other municipality's program (`places.outside`), «label» of the world program's
(`places.inside`).
"""

import datetime
import io
import uuid
from types import SimpleNamespace

from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from api.services import issue_token
from core.models import ImportJob
from expertise import services as expertise_services
from expertise.models import Assignment, Contest, ExpertiseRound, Practice, PracticeFile
from notices.invitations import invite
from notices.models import CalendarFeed, Consultation, Notification
from programs.models import Document, Participant
from reports.models import ReportFile
from roadmaps.models import RoadmapItem
from schools.models import Membership

from . import factories as f
from .scene import PDF, upload

ROUTES = {}


def route(label, name):
    """Register how a row labelled `label` reaches the route `name` (namespace included)."""

    def register(build):
        ROUTES[label] = (name, build)
        return build

    return register


def url(name, *args, query=""):
    return reverse(name, args=args) + (f"?{query}" if query else "")


def request_for(label, places):
    """(URL, POST data builder or None) of a row."""
    side = places.outside if label.endswith(", outside") else places.inside
    built = ROUTES[registered(label)][1](places, side)
    return built if isinstance(built, tuple) else (built, None)


# --- the objects ---------------------------------------------------------------------------


def _extras(world, side, *, reviewer, reviewer_organization, inviter, recipient):
    """Objects of every app around one side's program and school."""
    program, school = side.program, side.school
    side.event = f.EventFactory(program=program, title=f"Семинар {side.label}")
    side.event.invited.add(school)
    document = f.DocumentFactory(
        program=program, organization=school, status=Document.Status.SUBMITTED, version=1
    )
    side.review_document = document
    round_ = ExpertiseRound.objects.create(
        program=program, title=f"Экспертиза {side.label}", due_on=datetime.date(2023, 9, 30)
    )
    side.sheet = expertise_services.assign(
        document,
        reviewer,
        role=Assignment.Role.EXPERT,
        round=round_,
        organization=reviewer_organization,
    )
    side.practice = Practice.objects.create(
        title=f"Практика {side.label}", author_school=school, description="…", program=program
    )
    side.practice_file = PracticeFile(practice=side.practice, original_name="кейс.pdf")
    side.practice_file.file.save("кейс.pdf", io.BytesIO(PDF), save=True)
    side.contest = Contest.objects.create(program=program, title=f"Конкурс {side.label}")
    side.submission = side.contest.submissions.create(practice=side.practice)
    side.consultation = Consultation.objects.create(
        program=program,
        topic="Оценочные процедуры",
        question="Как учитывать ВПР?",
        asked_by=recipient,
        organization=school,
    )
    side.notification = Notification.objects.create(
        recipient=recipient,
        kind=Notification._meta.get_field("kind").choices[0][0],
        content_type=ContentType.objects.get_for_model(side.event),
        object_id=side.event.pk,
        title=f"Приглашение: {side.event.title}",
    )
    side.invitation = invite(
        first_name="Анна",
        last_name="Новикова",
        email=f"new-{side.label}@example.ru",
        organization=school,
        role=Membership.Role.STAFF,
        pair=None,
        invited_by=inviter,
    )
    side.participant = program.participants.get(organization=school)
    side.indicator = side.percent
    side.feed = CalendarFeed.of(recipient)
    return side


def build_places(world, scene):
    """`scene` with what the other apps' routes name, on both sides."""
    inside, outside = scene.inside, scene.outside
    inside.label, outside.label = "Вектор", "Мегион"
    inside.pair = world.pair
    other_curator_school = f.OrganizationFactory(
        municipality=world.other_municipality, short_name="МАОУ «СОШ №5»"
    )
    outside.pair = f.CuratorPairFactory(
        program=outside.program,
        curator_school=other_curator_school,
        supported_school=world.outsider_school,
    )
    for side in (inside, outside):
        side.agreement = f.AgreementFactory(pair=side.pair)
        side.agreement.file.save("соглашение.pdf", io.BytesIO(PDF), save=True)
    # The world program's expert is the curator; the other program's, its coordinator.
    _extras(
        world,
        inside,
        reviewer=world.curator,
        reviewer_organization=world.curator_school,
        inviter=world.coordinator,
        recipient=world.school,
    )
    _extras(
        world,
        outside,
        reviewer=world.other_coordinator,
        reviewer_organization=world.other_authority,
        inviter=world.other_coordinator,
        recipient=world.outsider,
    )
    inside.contest.jury.add(world.curator)
    # A public program with a published material, and a practice in the public bank.
    public = f.ProgramFactory(owner=world.authority, short_title="Открытая программа")
    public.is_public = True
    public.save()
    f.ParticipantFactory(
        program=public, organization=world.supported_school, role=Participant.Role.SUPPORTED
    )
    material = f.DocumentFactory(
        program=public,
        organization=world.supported_school,
        title="Открытый материал",
        is_public=True,
        status=Document.Status.APPROVED,
    )
    material.file.save("programma.pdf", upload(), save=True)
    public_practice = Practice.objects.create(
        title="Открытая практика",
        author_school=world.curator_school,
        description="…",
        in_bank=True,
        is_public=True,
    )
    # Background work asked for by the coordinator: a report file and two imports.
    report_file = ReportFile.objects.create(
        kind="passport", subject_id=world.program.pk, fmt="pdf", requested_by=world.coordinator
    )
    values_job = ImportJob.objects.create(
        kind="values",
        token="perm-values",
        title="Значения",
        params={"program": world.program.pk, "point": inside.point.pk},
        rows=1,
        content=b"PK",
        requested_by=world.coordinator,
    )
    results_job = ImportJob.objects.create(
        kind="results",
        token="perm-results",
        title="Результаты",
        params={"point": inside.point.pk},
        rows=1,
        content=b"PK",
        requested_by=world.coordinator,
    )
    schools_job = ImportJob.objects.create(
        kind="schools",
        token="perm-schools",
        title="Школы",
        params={"region": world.region.pk},
        rows=1,
        content=b"PK",
        requested_by=world.region_coordinator,
    )
    _, school_token = issue_token(world.school, "Хранилище", 30)
    tokens = {name: issue_token(user, "тест", 30)[1] for name, user in world.people.items()}
    return SimpleNamespace(
        world=world,
        scene=scene,
        today=scene.today,
        factors=scene.factors,
        inside=inside,
        outside=outside,
        pair_roadmap=scene.pair_roadmap,
        public=public,
        material=material,
        public_practice=public_practice,
        report_file=report_file,
        values_job=values_job,
        results_job=results_job,
        schools_job=schools_job,
        school_token=world.school.api_tokens.get(name="Хранилище"),
        tokens=tokens,
    )


# --- form data of the rows kept from the pages' first table -----------------------------------


def _levels(places, level="low"):
    return {f"level_{factor.pk}": level for factor in places.factors}


def _entry_data(side):
    data = {"action": "draft"}
    for indicator in side.indicators:
        data[f"i{indicator.pk}-value"] = ""
        data[f"i{indicator.pk}-revision"] = 0
    data[f"i{side.percent.pk}-value"] = "20"
    data[f"i{side.percent.pk}-revision"] = side.measurement.revision
    return data


def _not_theirs(places):
    """An item of the program's roadmap that no school is responsible for."""
    if not hasattr(places, "coordinators_item"):
        places.coordinators_item = f.RoadmapItemFactory(roadmap=places.inside.roadmap)
    return places.coordinators_item


def _submitted(document):
    Document.objects.filter(pk=document.pk).update(status=Document.Status.SUBMITTED)
    document.refresh_from_db()
    return document


def _item_report(item):
    return item.get_absolute_url(), lambda: {
        "status": RoadmapItem.Status.IN_PROGRESS,
        "text": "Проведён педсовет",
        "revision": item.revision,
    }


def _item_status(item):
    return url("roadmaps:item_status", item.pk), lambda: {
        f"item{item.pk}-status": RoadmapItem.Status.IN_PROGRESS,
        f"item{item.pk}-revision": item.revision,
    }


def _empty():
    return {}


# --- the routes ----------------------------------------------------------------------------
# Pages of everyone and of one's own account.

route("home", "home")(lambda p, s: url("home"))
route("search", "search")(lambda p, s: url("search", query="q=Русскинская"))
route("sign-in page", "login")(lambda p, s: url("login"))
route("sign out", "logout")(lambda p, s: (url("logout"), _empty))
route("password change", "password_change")(lambda p, s: url("password_change"))
route("password changed", "password_change_done")(lambda p, s: url("password_change_done"))
# Sign-in through the region's identity provider is off unless configured: nobody reaches it.
route("identity provider sign-in", "accounts:oidc_start")(lambda p, s: url("accounts:oidc_start"))
route("identity provider callback", "accounts:oidc_callback")(
    lambda p, s: url("accounts:oidc_callback")
)
route("password recovery", "password_reset")(lambda p, s: url("password_reset"))
route("recovery mail sent", "password_reset_done")(lambda p, s: url("password_reset_done"))
route("recovery link, wrong", "password_reset_confirm")(
    lambda p, s: url("password_reset_confirm", "MQ", "wrong-token")
)
route("recovery done", "password_reset_complete")(lambda p, s: url("password_reset_complete"))
route("audit trail", "accounts:audit")(lambda p, s: url("accounts:audit"))
route("my sessions", "accounts:sessions")(lambda p, s: url("accounts:sessions"))
route("my data", "accounts:my_data")(lambda p, s: url("accounts:my_data"))
route("privacy notice", "accounts:privacy")(lambda p, s: url("accounts:privacy"))
route("people of the territory", "accounts:people")(lambda p, s: url("accounts:people"))
route("second factor check", "accounts:verify")(lambda p, s: url("accounts:verify"))
route("second factor enrolment", "accounts:enrol")(lambda p, s: url("accounts:enrol"))
route("security settings", "accounts:second_factor")(lambda p, s: url("accounts:second_factor"))


@route("second factor reset of the school's person", "accounts:second_factor_reset")
def _(p, s):
    return url("accounts:second_factor_reset", p.world.people["school"].pk), _empty


route("health", "health")(lambda p, s: url("health"))

# Schools.
route("school list", "school_list")(lambda p, s: url("school_list"))
route("school list, old name", "schools:list")(lambda p, s: url("schools:list"))
route("school page", "school")(lambda p, s: s.school.get_absolute_url())
route("school page, old name", "schools:organization")(
    lambda p, s: url("schools:organization", s.school.pk)
)
route("risk profile", "schools:risk_profile")(lambda p, s: s.profile.get_absolute_url())
route("risk profiles compared", "schools:risk_profile_compare")(
    lambda p, s: url("schools:risk_profile_compare", s.school.pk)
)


@route("new risk profile", "schools:risk_profile_new")
def _(p, s):
    return url("schools:risk_profile_new", s.school.pk), lambda: {
        "assessed_on": p.today.isoformat(),
        "source": "самодиагностика",
        "revision": 0,
        **_levels(p),
    }


@route("risk profile edit", "schools:risk_profile_edit")
def _(p, s):
    profile = s.profile
    return url("schools:risk_profile_edit", profile.pk), lambda: {
        "assessed_on": profile.assessed_on.isoformat(),
        "source": "уточнено",
        "revision": profile.revision,
        **_levels(p, "medium"),
    }


route("school import", "schools:import")(lambda p, s: url("schools:import"))
route("school import confirm", "schools:import_confirm")(
    lambda p, s: (url("schools:import_confirm"), lambda: {"token": "нет-такого"})
)
route("school import job of the region", "schools:import_job")(
    lambda p, s: url("schools:import_job", p.schools_job.pk)
)
route("school import template", "schools:import_template")(
    lambda p, s: url("schools:import_template")
)

# Programs: pages, documents, set-up.
route("program list", "programs:list")(lambda p, s: url("programs:list"))
route("program page", "programs:detail")(lambda p, s: s.program.get_absolute_url())
route("public page", "programs:public")(lambda p, s: url("programs:public", p.public.pk))
route("public page, closed program", "programs:public")(
    lambda p, s: url("programs:public", s.program.pk)
)
route("published material", "programs:public_document_file")(
    lambda p, s: url("programs:public_document_file", p.material.pk)
)
route("unpublished material", "programs:public_document_file")(
    lambda p, s: url("programs:public_document_file", s.document.pk)
)
route("document publish", "programs:document_publish")(
    lambda p, s: (url("programs:document_publish", s.document.pk), lambda: {"is_public": "on"})
)
route("document", "programs:document")(lambda p, s: s.document.get_absolute_url())
route("document file", "programs:document_file")(
    lambda p, s: url("programs:document_file", s.document.pk)
)
route("document version file", "programs:version_file")(
    lambda p, s: url("programs:version_file", s.version.pk)
)


@route("new document", "programs:document_create")
def _(p, s):
    return url("programs:document_create", s.school.pk), lambda: {
        "program": s.program.pk,
        "kind": Document.Kind.DEVELOPMENT_CONCEPT,
        "title": "Концепция развития",
        "file": upload(),
    }


@route("document new version", "programs:document_upload")
def _(p, s):
    document = s.document
    return url("programs:document_upload", document.pk), lambda: {
        "file": upload("программа-2.pdf"),
        "revision": document.revision,
    }


@route("document submit", "programs:document_submit")
def _(p, s):
    document = s.document
    return url("programs:document_submit", document.pk), lambda: {"revision": document.revision}


@route("document review", "programs:document_review")
def _(p, s):
    document = _submitted(s.document)
    return url("programs:document_review", document.pk), lambda: {
        "verdict": "approve",
        "comment": "",
        "revision": document.revision,
    }


route("new program", "programs:create")(lambda p, s: url("programs:create"))
route("program setup", "programs:setup")(lambda p, s: url("programs:setup", s.program.pk))
route("participants setup", "programs:setup_participants")(
    lambda p, s: url("programs:setup_participants", s.program.pk)
)
route("participants search", "programs:setup_participants_search")(
    lambda p, s: url(
        "programs:setup_participants_search", s.program.pk, query="name=municipality&q=р"
    )
)
route("pairs setup", "programs:setup_pairs")(lambda p, s: url("programs:setup_pairs", s.program.pk))
route("pairs search", "programs:setup_pairs_search")(
    lambda p, s: url(
        "programs:setup_pairs_search", s.program.pk, query="name=supported_school&q=СОШ"
    )
)
route("modules setup", "programs:setup_parts")(
    lambda p, s: url("programs:setup_parts", s.program.pk, "modules")
)
route("modules reorder", "programs:setup_parts_reorder")(
    lambda p, s: (
        url("programs:setup_parts_reorder", s.program.pk, "modules"),
        lambda: {"order": [s.module.pk]},
    )
)
route("module move", "programs:setup_part_move")(
    lambda p, s: (
        url("programs:setup_part_move", s.program.pk, "modules", s.module.pk),
        lambda: {"direction": "up"},
    )
)
route("participant remove", "programs:participant_remove")(
    lambda p, s: (url("programs:participant_remove", s.participant.pk), _empty)
)
route("pair setup", "programs:setup_pair")(lambda p, s: url("programs:setup_pair", s.pair.pk))
route("pair delete", "programs:pair_delete")(
    lambda p, s: (url("programs:pair_delete", s.pair.pk), _empty)
)
route("agreement file", "programs:agreement_file")(
    lambda p, s: url("programs:agreement_file", s.agreement.pk)
)

# Roadmaps and events.
route("roadmap", "roadmaps:roadmap")(lambda p, s: s.roadmap.get_absolute_url())
route("pair roadmap", "roadmaps:roadmap")(lambda p, s: p.pair_roadmap.get_absolute_url())
route("item", "roadmaps:item")(lambda p, s: s.item.get_absolute_url())
route("item report", "roadmaps:item")(lambda p, s: _item_report(s.item))
route("item report, not theirs", "roadmaps:item")(lambda p, s: _item_report(_not_theirs(p)))
route("item status", "roadmaps:item_status")(lambda p, s: _item_status(s.item))
route("item status, not theirs", "roadmaps:item_status")(lambda p, s: _item_status(_not_theirs(p)))
route("evidence file", "roadmaps:evidence")(lambda p, s: url("roadmaps:evidence", s.evidence.pk))
route("event", "roadmaps:event")(lambda p, s: url("roadmaps:event", s.event.pk))
route("roadmaps setup", "roadmaps:setup")(lambda p, s: url("roadmaps:setup", s.program.pk))
route("roadmaps setup search", "roadmaps:setup_search")(
    lambda p, s: url("roadmaps:setup_search", s.program.pk, query="name=organization&q=СОШ")
)
route("item list", "roadmaps:items")(lambda p, s: url("roadmaps:items", s.program.pk))
route("item list search", "roadmaps:items_search")(
    lambda p, s: url("roadmaps:items_search", s.program.pk, query="name=roadmap&q=карта")
)
route("roadmap setup", "roadmaps:setup_roadmap")(
    lambda p, s: url("roadmaps:setup_roadmap", s.roadmap.pk)
)
route("roadmap reorder", "roadmaps:reorder")(
    lambda p, s: (url("roadmaps:reorder", s.roadmap.pk), lambda: {"order": [s.item.pk]})
)
route("item edit", "roadmaps:item_edit")(lambda p, s: url("roadmaps:item_edit", s.item.pk))
route("item delete", "roadmaps:item_delete")(
    lambda p, s: (url("roadmaps:item_delete", s.late_item.pk), _empty)
)
route("item move", "roadmaps:item_move")(
    lambda p, s: (url("roadmaps:item_move", s.late_item.pk), lambda: {"direction": "up"})
)
route("roadmap import", "roadmaps:import")(lambda p, s: url("roadmaps:import", s.program.pk))
route("roadmap import search", "roadmaps:import_search")(
    lambda p, s: url("roadmaps:import_search", s.program.pk, query="name=roadmap&q=карта")
)
route("roadmap import preview", "roadmaps:import_preview")(
    lambda p, s: (url("roadmaps:import_preview", s.program.pk), _empty)
)
route("roadmap import confirm", "roadmaps:import_confirm")(
    lambda p, s: (url("roadmaps:import_confirm", s.program.pk), lambda: {"token": "нет-такого"})
)
route("schedule preview", "roadmaps:schedule_preview")(
    lambda p, s: url(
        "roadmaps:schedule_preview", query=f"program={s.program.pk}&schedule_text=Май+2023"
    )
)
route("event list", "roadmaps:events")(lambda p, s: url("roadmaps:events", s.program.pk))
route("event calendar", "roadmaps:calendar")(lambda p, s: url("roadmaps:calendar", s.program.pk))
route("new event", "roadmaps:event_create")(lambda p, s: url("roadmaps:event_create", s.program.pk))
route("event search", "roadmaps:event_search")(
    lambda p, s: url("roadmaps:event_search", s.program.pk, query="name=invited&q=СОШ")
)
route("event edit", "roadmaps:event_edit")(lambda p, s: url("roadmaps:event_edit", s.event.pk))
route("event delete", "roadmaps:event_delete")(
    lambda p, s: (url("roadmaps:event_delete", s.event.pk), _empty)
)
route("event attendance", "roadmaps:attendance")(
    lambda p, s: url("roadmaps:attendance", s.event.pk)
)

# Monitoring.
route("point", "monitoring:point")(lambda p, s: s.point.get_absolute_url())
route("point queue", "monitoring:queue")(lambda p, s: url("monitoring:queue", s.point.pk))
route("data entry", "monitoring:entry")(
    lambda p, s: (url("monitoring:entry", s.point.pk, s.school.pk), lambda: _entry_data(s))
)


@route("approve value", "monitoring:review")
def _(p, s):
    m = s.measurement
    return url("monitoring:review", m.pk), lambda: {
        f"r{m.pk}-action": "approve",
        f"r{m.pk}-comment": "",
        f"r{m.pk}-revision": m.revision,
    }


route("approve sheet", "monitoring:review_sheet")(
    lambda p, s: (
        url("monitoring:review_sheet", s.point.pk, s.school.pk),
        lambda: {"action": "approve", "comment": ""},
    )
)
route("points setup", "monitoring:setup_points")(
    lambda p, s: url("monitoring:setup_points", s.program.pk)
)
route("point edit", "monitoring:point_edit")(lambda p, s: url("monitoring:point_edit", s.point.pk))
route("point delete", "monitoring:point_delete")(
    lambda p, s: (url("monitoring:point_delete", s.point.pk), _empty)
)
route("indicators setup", "monitoring:setup_indicators")(
    lambda p, s: url("monitoring:setup_indicators", s.program.pk)
)
route("standard indicators", "monitoring:standard_indicators")(
    lambda p, s: (url("monitoring:standard_indicators", s.program.pk), _empty)
)
route("indicator edit", "monitoring:indicator_edit")(
    lambda p, s: url("monitoring:indicator_edit", s.indicator.pk)
)
route("indicator delete", "monitoring:indicator_delete")(
    lambda p, s: (url("monitoring:indicator_delete", s.count.pk), _empty)
)
route("values import", "monitoring:import_values")(
    lambda p, s: url("monitoring:import_values", s.program.pk)
)
route("values import confirm", "monitoring:import_values_confirm")(
    lambda p, s: (
        url("monitoring:import_values_confirm", s.program.pk),
        lambda: {"token": "нет-такого"},
    )
)
route("values import job of the coordinator", "monitoring:import_values_job")(
    lambda p, s: url("monitoring:import_values_job", p.world.program.pk, p.values_job.pk)
)
route("values import template", "monitoring:import_values_template")(
    lambda p, s: url("monitoring:import_values_template", s.program.pk, query=f"point={s.point.pk}")
)
route("results import", "monitoring:import_results")(
    lambda p, s: url("monitoring:import_results", s.point.pk)
)
route("results import confirm", "monitoring:import_results_confirm")(
    lambda p, s: (
        url("monitoring:import_results_confirm", s.point.pk),
        lambda: {"token": "нет-такого"},
    )
)
route("results import job of the coordinator", "monitoring:import_results_job")(
    lambda p, s: url("monitoring:import_results_job", p.inside.point.pk, p.results_job.pk)
)
route("results template", "monitoring:results_template")(
    lambda p, s: url("monitoring:results_template")
)
route("remind who has not sent", "notices:remind_missing")(
    lambda p, s: (url("notices:remind_missing", s.point.pk), _empty)
)

# Expertise, the bank of practice, contests.
route("program expertise", "expertise:program")(lambda p, s: url("expertise:program", s.program.pk))
route("criteria", "expertise:criteria")(
    lambda p, s: url("expertise:criteria", s.program.pk, Document.Kind.MEDIUM_TERM_PROGRAM)
)
route("pairing assistant", "expertise:pairing")(lambda p, s: url("expertise:pairing", s.program.pk))
route("pairing accept", "expertise:pairing_accept")(
    lambda p, s: (url("expertise:pairing_accept", s.program.pk), lambda: {"school": s.school.pk})
)
route("new contest", "expertise:contest_create")(
    lambda p, s: url("expertise:contest_create", s.program.pk)
)
route("assign experts", "expertise:assign")(
    lambda p, s: url("expertise:assign", s.review_document.pk)
)
route("document changes", "expertise:changes")(
    lambda p, s: url("expertise:changes", s.review_document.pk)
)
route("my sheets", "expertise:my_sheets")(lambda p, s: url("expertise:my_sheets"))
route("expertise sheet", "expertise:sheet")(lambda p, s: url("expertise:sheet", s.sheet.pk))
route("bank", "expertise:bank")(lambda p, s: url("expertise:bank"))
route("public bank", "expertise:public_bank")(lambda p, s: url("expertise:public_bank"))
route("new practice", "expertise:practice_create")(lambda p, s: url("expertise:practice_create"))
route("practice", "expertise:practice")(lambda p, s: url("expertise:practice", s.practice.pk))
route("public practice", "expertise:public_practice")(
    lambda p, s: url("expertise:public_practice", p.public_practice.pk)
)
route("public practice, not published", "expertise:public_practice")(
    lambda p, s: url("expertise:public_practice", s.practice.pk)
)
route("practice edit", "expertise:practice_edit")(
    lambda p, s: url("expertise:practice_edit", s.practice.pk)
)
route("practice adopt", "expertise:adopt")(
    lambda p, s: (url("expertise:adopt", s.practice.pk), _empty)
)
route("practice into the bank", "expertise:include_in_bank")(
    lambda p, s: (url("expertise:include_in_bank", s.practice.pk), _empty)
)
route("practice file", "expertise:practice_file")(
    lambda p, s: url("expertise:practice_file", s.practice_file.pk)
)
route("contest", "expertise:contest")(lambda p, s: url("expertise:contest", s.contest.pk))
route("contest submit", "expertise:contest_submit")(
    lambda p, s: (url("expertise:contest_submit", s.contest.pk), _empty)
)
route("jury score", "expertise:jury_score")(
    lambda p, s: (url("expertise:jury_score", s.submission.pk), lambda: {"score": ""})
)
route("declare winner", "expertise:declare_winner")(
    lambda p, s: (url("expertise:declare_winner", s.submission.pk), _empty)
)

# Dashboards.
route("dashboard", "dashboards:dashboard")(lambda p, s: url("dashboards:dashboard", s.program.pk))
route("territory", "dashboards:territory")(lambda p, s: url("dashboards:territory"))
route("indicator dashboard", "dashboards:indicator_dashboard")(
    lambda p, s: url("dashboards:indicator_dashboard", s.indicator.pk)
)
route("indicator chart", "dashboards:indicator_chart")(
    lambda p, s: url("dashboards:indicator_chart", s.indicator.pk)
)
route("effectiveness", "dashboards:effectiveness")(
    lambda p, s: url("dashboards:effectiveness", s.computed.pk)
)
route("completeness", "dashboards:completeness")(
    lambda p, s: url("dashboards:completeness", s.point.pk)
)
route("expertise dashboard", "dashboards:expertise")(
    lambda p, s: url("dashboards:expertise", s.program.pk)
)

# Reports.
route("report file of the coordinator", "reports:file")(
    lambda p, s: url("reports:file", p.report_file.pk)
)
route("report file download of the coordinator", "reports:file_download")(
    lambda p, s: url("reports:file_download", p.report_file.pk)
)
route("passport", "reports:report")(lambda p, s: url("reports:report", "passport", s.program.pk))
route("monitoring note", "reports:report")(lambda p, s: url("reports:report", "note", s.point.pk))
route("school report", "reports:report")(lambda p, s: url("reports:report", "school", s.school.pk))
route("passport pdf", "reports:report_pdf")(
    lambda p, s: url("reports:report_pdf", "passport", s.program.pk)
)
route("passport xlsx", "reports:report_xlsx")(
    lambda p, s: url("reports:report_xlsx", "passport", s.program.pk)
)

# Notices, invitations, consultations, calendar feeds.
route("notices", "notices:list")(lambda p, s: url("notices:list"))
route("bell", "notices:bell")(lambda p, s: url("notices:bell"))
route("notice of the school's person", "notices:open")(
    lambda p, s: url("notices:open", s.notification.pk)
)
route("mark all read", "notices:mark_all_read")(lambda p, s: (url("notices:mark_all_read"), _empty))
route("notice settings", "notices:settings")(lambda p, s: url("notices:settings"))
route("renew feed", "notices:renew_feed")(lambda p, s: (url("notices:renew_feed"), _empty))
route("invitations", "notices:invitations")(lambda p, s: url("notices:invitations"))
route("new invitation", "notices:invitation_create")(lambda p, s: url("notices:invitation_create"))
route("invitation search", "notices:invitation_search")(
    lambda p, s: url("notices:invitation_search", query="name=organization&q=СОШ")
)
route("invitation resend", "notices:invitation_resend")(
    lambda p, s: (url("notices:invitation_resend", s.invitation.pk), _empty)
)


@route("invitation accept", "notices:accept")
def _(p, s):
    user = s.invitation.user
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return url("notices:accept", uid, default_token_generator.make_token(user))


route("invitation accept, wrong link", "notices:accept")(
    lambda p, s: url("notices:accept", "MQ", "wrong-token")
)
route("consultations", "notices:consultations")(
    lambda p, s: url("notices:consultations", s.program.pk)
)
route("faq", "notices:faq")(lambda p, s: url("notices:faq", s.program.pk))
route("consultation", "notices:consultation")(
    lambda p, s: url("notices:consultation", s.consultation.pk)
)
route("personal feed", "notices:feed")(lambda p, s: url("notices:feed", s.feed.token))
route("personal feed, wrong token", "notices:feed")(lambda p, s: url("notices:feed", "wrong"))
route("program feed of the school's person", "notices:program_feed")(
    lambda p, s: url("notices:program_feed", p.inside.feed.token, s.program.pk)
)

# API tokens and open data.
route("api tokens", "api:tokens")(lambda p, s: url("api:tokens"))
route("api token revoke, the school's", "api:token_revoke")(
    lambda p, s: (url("api:token_revoke", p.school_token.pk), _empty)
)
route("open data", "api:open_data")(lambda p, s: url("api:open_data"))
route("open data csv", "api:open_data_csv")(lambda p, s: url("api:open_data_csv", p.public.pk))
route("open data csv, closed program", "api:open_data_csv")(
    lambda p, s: url("api:open_data_csv", s.program.pk)
)
route("open data json", "api:open_data_json")(lambda p, s: url("api:open_data_json", p.public.pk))
route("open data meta", "api:open_data_meta")(lambda p, s: url("api:open_data_meta", p.public.pk))
route("open data structure", "api:open_data_structure")(
    lambda p, s: url("api:open_data_structure", p.public.pk)
)

# The Django admin: the rest of it is excluded from the table (its own permission system).
route("admin index", "admin:index")(lambda p, s: url("admin:index"))
route("admin sign-in page", "admin:login")(lambda p, s: url("admin:login"))
route("stored file for the admin", "admin_file")(
    lambda p, s: url("admin_file", s.document.file.name)
)

# The read API (/api/v1/): rows of these labels send each person's bearer token (`API`).
API = {
    "api root": ("api_v1:api-root", lambda p, s: url("api_v1:api-root")),
    "api description": ("api_v1:openapi-json", lambda p, s: url("api_v1:openapi-json")),
    "api docs": ("api_v1:openapi-view", lambda p, s: url("api_v1:openapi-view")),
    "api regions": ("api_v1:regions", lambda p, s: url("api_v1:regions")),
    "api municipalities": ("api_v1:municipalities", lambda p, s: url("api_v1:municipalities")),
    "api programs": ("api_v1:programs", lambda p, s: url("api_v1:programs")),
    "api program": ("api_v1:program", lambda p, s: url("api_v1:program", s.program.pk)),
    "api program figures": (
        "api_v1:program_figures",
        lambda p, s: url("api_v1:program_figures", s.program.pk),
    ),
    "api schools": ("api_v1:schools", lambda p, s: url("api_v1:schools")),
    "api pairs": ("api_v1:pairs", lambda p, s: url("api_v1:pairs")),
    "api roadmaps": ("api_v1:roadmaps", lambda p, s: url("api_v1:roadmaps")),
    "api items": ("api_v1:items", lambda p, s: url("api_v1:items")),
    "api events": ("api_v1:events", lambda p, s: url("api_v1:events")),
    "api indicators": ("api_v1:indicators", lambda p, s: url("api_v1:indicators")),
    "api points": ("api_v1:points", lambda p, s: url("api_v1:points")),
    "api targets": ("api_v1:targets", lambda p, s: url("api_v1:targets")),
    "api values": ("api_v1:values", lambda p, s: url("api_v1:values")),
}
ROUTES.update(API)


def api_token_for(label, places, name):
    """The bearer token a row sends as person `name`: theirs; none for anonymous; a made-up one
    on «bad token» rows; none on «signed in, no token» rows (the session must not do)."""
    if label.endswith(", bad token"):
        return "bad-" + uuid.uuid4().hex
    if label.endswith(", signed in, no token") or name is None:
        return None
    return places.tokens[name]


def registered(label):
    """The label a row's route is registered under: without «, outside» and the API's token
    suffixes."""
    suffixes = (", outside", ", bad token", ", signed in, no token")
    while label.endswith(suffixes):
        label = next(label.removesuffix(end) for end in suffixes if label.endswith(end))
    return label
