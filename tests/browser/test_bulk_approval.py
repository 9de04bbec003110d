"""The coordinator opens a point's queue from the home, picks two schools' sheets, confirms and
approves them at once; then returns one with a remark and chases the school that sent nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from monitoring.models import Indicator, Measurement
from notices.models import Kind, Notification
from programs.models import Participant
from schools.models import Membership
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_coordinator_approves_two_sheets_at_once_and_returns_one(
    world, live_server, page, sign_in
):
    today = timezone.localdate()
    point = f.MonitoringPointFactory(
        program=world.program,
        title="Второй срок мониторинга",
        date=today,
        entry_deadline=today + datetime.timedelta(days=10),
    )
    indicators = [
        f.IndicatorFactory(program=world.program, level=Indicator.Level.SCHOOL, order=n)
        for n in (1, 2)
    ]
    second = f.OrganizationFactory(
        municipality=world.municipality, short_name="МБОУ «Ляминская СОШ»"
    )
    silent = f.OrganizationFactory(
        municipality=world.municipality, short_name="МБОУ «Угутская СОШ»"
    )
    for school in (second, silent):
        f.ParticipantFactory(
            program=world.program, organization=school, role=Participant.Role.SUPPORTED
        )
    f.MembershipFactory(user=f.UserFactory(), organization=silent, role=Membership.Role.STAFF)
    for school in (world.supported_school, second):
        for indicator in indicators:
            f.MeasurementFactory(
                indicator=indicator,
                point=point,
                organization=school,
                value=40,
                status=Measurement.Status.SUBMITTED,
                submitted_at=timezone.now(),
            )

    sign_in("coordinator")
    page.locator("#home-waiting").get_by_role("link", name="Второй срок мониторинга").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Очередь проверки")
    page.get_by_label("МБОУ «Русскинская СОШ»").check()
    page.get_by_label("МБОУ «Ляминская СОШ»").check()
    page.get_by_label("Решение").select_option(label="Утвердить")
    page.get_by_role("button", name="Далее").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Утвердить значения: 2 школы")
    assert not Measurement.objects.filter(status=Measurement.Status.APPROVED).exists()
    page.get_by_role("button", name="Утвердить").click()
    expect(page.get_by_text("Значений утверждено: 4; школ: 2.")).to_be_visible()
    assert set(Measurement.objects.values_list("status", "approved_by")) == {
        (Measurement.Status.APPROVED, world.coordinator.pk)
    }

    # Approving is undone by returning, with a remark the school reads.
    page.get_by_label("МБОУ «Ляминская СОШ»").check()
    page.get_by_label("Решение").select_option(label="Вернуть на доработку")
    page.get_by_role("button", name="Далее").click()
    expect(page.get_by_text("Укажите, что исправить")).to_be_visible()
    page.get_by_label("МБОУ «Ляминская СОШ»").check()
    page.get_by_label("Решение").select_option(label="Вернуть на доработку")
    page.get_by_label("Замечание (при возврате)").fill("Приложите выгрузку ВПР")
    page.get_by_role("button", name="Далее").click()
    page.get_by_role("button", name="Вернуть на доработку").click()
    expect(page.get_by_text("Значений возвращено на доработку: 2; школ: 1.")).to_be_visible()
    assert set(
        Measurement.objects.filter(organization=second).values_list("status", "review_comment")
    ) == {(Measurement.Status.RETURNED, "Приложите выгрузку ВПР")}

    page.get_by_role("button", name="Напомнить не сдавшим").click()
    expect(page.get_by_text("Напоминание отправлено школам")).to_be_visible()
    assert Notification.objects.filter(
        kind=Kind.VALUES_REMINDER, occasion__startswith=f"{silent.pk}:"
    ).exists()
    assert page.url.endswith(reverse("monitoring:queue", args=[point.pk]))
