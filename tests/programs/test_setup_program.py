"""Program set-up: each screen saves good input and refuses bad input with a Russian message
beside the field, saving nothing."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.models import Agreement, Curator, CuratorPair, Module, Participant, Program, Stage
from schools.models import SchoolStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


def program_data(world, **changes):
    data = {
        "title": "Программа адресной методической помощи",
        "short_title": "Адресная помощь",
        "level": Program.Level.MUNICIPAL,
        "owner": world.authority.pk,
        "region": world.region.pk,
        "municipality": world.municipality.pk,
        "starts_on": "2024-01-01",
        "ends_on": "2024-12-31",
        "order_number": "1030",
        "order_date": "2023-12-30",
        "status": Program.Status.ACTIVE,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_coordinator_creates_a_program_they_may_then_set_up(world, as_user):
    response = as_user(world.coordinator).post(reverse("programs:create"), program_data(world))
    program = Program.objects.get(short_title="Адресная помощь")
    assert response.status_code == 302
    assert response.url == reverse("programs:setup", args=[program.pk])
    assert program in Program.objects.editable_by(world.coordinator)


def test_a_program_needs_only_a_municipality_the_region_follows_from_it(world, as_user):
    as_user(world.coordinator).post(reverse("programs:create"), program_data(world, region=None))
    assert Program.objects.get(short_title="Адресная помощь").region == world.region


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"municipality": None},
            "municipality",
            "У муниципальной программы должен быть указан муниципалитет.",
        ),
        (
            {"ends_on": "2023-06-01"},
            "ends_on",
            "Окончание программы не может быть раньше начала.",
        ),
        (
            {"level": Program.Level.REGIONAL},
            "municipality",
            "Муниципалитет указывается только у муниципальной программы.",
        ),
        ({"short_title": ""}, "short_title", "Обязательное поле."),
    ],
)
def test_a_wrong_passport_is_refused_beside_the_field(world, as_user, changes, field, message):
    before = Program.objects.count()
    response = as_user(world.coordinator).post(
        reverse("programs:create"), program_data(world, **changes)
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode()
    assert Program.objects.count() == before


def test_a_coordinator_cannot_give_the_program_to_another_municipalitys_authority(world, as_user):
    response = as_user(world.coordinator).post(
        reverse("programs:create"),
        program_data(
            world,
            owner=world.other_authority.pk,
            municipality=world.other_municipality.pk,
        ),
    )
    errors = response.context["form"].errors
    assert "owner" in errors and "municipality" in errors
    assert "Выберите корректный вариант" in errors["owner"][0]
    assert not Program.objects.filter(short_title="Адресная помощь").exists()


def test_the_passport_is_changed_on_the_setup_page(world, as_user):
    url = reverse("programs:setup", args=[world.program.pk])
    data = program_data(world, short_title="Вектор", starts_on="2023-01-01", ends_on="2023-12-31")
    response = as_user(world.coordinator).post(url, data)
    assert response.status_code == 302
    world.program.refresh_from_db()
    assert world.program.short_title == "Вектор"


def formset(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def test_modules_are_added_as_a_formset(world, as_user):
    url = reverse("programs:setup_parts", args=[world.program.pk, "modules"])
    data = formset(
        "modules",
        [{"order": "1", "title": "Есть проект"}, {"order": "2", "title": "ПрофСреда"}],
    )
    assert as_user(world.coordinator).post(url, data).status_code == 302
    assert list(world.program.modules.values_list("title", flat=True)) == [
        "Есть проект",
        "ПрофСреда",
    ]


def test_a_module_title_already_in_the_program_is_refused_beside_the_title(world, as_user):
    f.ModuleFactory(program=world.program, title="Есть проект")
    url = reverse("programs:setup_parts", args=[world.program.pk, "modules"])
    existing = world.program.modules.get()
    data = formset(
        "modules",
        [
            {"id": str(existing.pk), "order": "1", "title": "Есть проект"},
            {"order": "2", "title": "Есть проект"},
        ],
        initial=1,
    )
    response = as_user(world.coordinator).post(url, data)
    assert response.status_code == 200
    errors = response.context["formset"].forms[1].errors["title"]
    assert any("уже есть" in e for e in errors)
    assert Module.objects.filter(program=world.program).count() == 1


def test_a_module_title_taken_in_the_database_is_refused_not_a_500(world, as_user):
    taken = f.ModuleFactory(program=world.program, title="Есть проект")
    other = f.ModuleFactory(program=world.program, title="ПрофСреда")
    url = reverse("programs:setup_parts", args=[world.program.pk, "modules"])
    # Renaming the second module to the first one's title, without touching the first.
    data = formset(
        "modules",
        [{"id": str(other.pk), "order": "1", "title": "Есть проект"}],
        initial=1,
    )
    response = as_user(world.coordinator).post(url, data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["title"] == [
        "В программе уже есть модуль с таким названием."
    ]
    other.refresh_from_db()
    assert other.title == "ПрофСреда" and taken.title == "Есть проект"


def test_a_stage_that_ends_before_it_starts_is_refused(world, as_user):
    url = reverse("programs:setup_parts", args=[world.program.pk, "stages"])
    data = formset(
        "stages",
        [{"order": "1", "title": "Основной", "starts_on": "2023-09-01", "ends_on": "2023-05-01"}],
    )
    response = as_user(world.coordinator).post(url, data)
    assert response.context["formset"].forms[0].errors["ends_on"] == [
        "Окончание этапа не может быть раньше начала."
    ]
    assert not Stage.objects.exists()


def test_an_unknown_part_is_not_found(world, as_user):
    url = reverse("programs:setup_parts", args=[world.program.pk, "secrets"])
    assert as_user(world.coordinator).get(url).status_code == 404


# --- Participants ----------------------------------------------------------------------------


def test_candidates_are_filtered_by_their_status_categories_of_a_year(world, as_user):
    low = f.OrganizationFactory(municipality=world.municipality, short_name="Школа ШНОР")
    social = f.OrganizationFactory(municipality=world.municipality, short_name="Школа ШССУ")
    f.SchoolStatusFactory(school=low, year=2022, category=SchoolStatus.Category.LOW_RESULTS)
    f.SchoolStatusFactory(school=low, year=2021, category=SchoolStatus.Category.EFFECTIVE)
    f.SchoolStatusFactory(
        school=social, year=2022, category=SchoolStatus.Category.HARD_SOCIAL_CONDITIONS
    )
    url = reverse("programs:setup_participants", args=[world.program.pk])
    response = as_user(world.coordinator).get(
        url, {"year": 2022, "categories": SchoolStatus.Category.LOW_RESULTS}
    )
    assert [s.short_name for s in response.context["candidates"]] == ["Школа ШНОР"]
    # Schools of another municipality are never offered.
    everyone = as_user(world.coordinator).get(url)
    assert world.outsider_school not in everyone.context["candidates"]


def test_the_candidates_municipality_is_picked_by_search_within_the_territory(world, as_user):
    program = f.ProgramFactory(owner=world.ministry, level=Program.Level.REGIONAL)
    url = reverse("programs:setup_participants", args=[program.pk])
    search = reverse("programs:setup_participants_search", args=[program.pk])
    client = as_user(world.region_coordinator)
    page = client.get(url).content.decode()
    assert not re.search(rf'<option value="{world.other_municipality.pk}"', page)
    found = client.get(search, {"name": "municipality", "q": "мегион"}).content.decode()
    assert re.findall(r'data-pick="(\d+)"', found) == [str(world.other_municipality.pk)]
    assert f"{world.other_municipality.name} ({world.region})" in found
    chosen = client.get(url, {"municipality": world.other_municipality.pk}).content.decode()
    assert re.search(rf'<option value="{world.other_municipality.pk}"[^>]*selected', chosen)
    assert as_user(world.school).get(search, {"name": "municipality", "q": "г."}).status_code in (
        403,
        404,
    )


def test_ticked_schools_become_participants_in_the_chosen_role(world, as_user):
    school = f.OrganizationFactory(municipality=world.municipality)
    url = reverse("programs:setup_participants", args=[world.program.pk])
    response = as_user(world.coordinator).post(
        url, {"role": Participant.Role.SUPPORTED, "organizations": [school.pk], "year": 2022}
    )
    assert response.status_code == 302
    assert Participant.objects.filter(
        program=world.program, organization=school, role=Participant.Role.SUPPORTED
    ).exists()


def test_adding_all_found_schools_adds_each_once(world, as_user):
    for _ in range(3):
        school = f.OrganizationFactory(municipality=world.municipality)
        f.SchoolStatusFactory(school=school, year=2022)
    url = reverse("programs:setup_participants", args=[world.program.pk])
    data = {
        "role": Participant.Role.SUPPORTED,
        "add_all": "on",
        "year": 2022,
        "categories": SchoolStatus.Category.LOW_RESULTS,
    }
    as_user(world.coordinator).post(url, data)
    as_user(world.coordinator).post(url, data)
    assert world.program.participants.filter(role=Participant.Role.SUPPORTED).count() == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": "supported"}, "Отметьте хотя бы одну школу или добавьте все найденные."),
        ({"role": "supported", "organizations": ["OUTSIDER"]}, "Школа вне вашей территории"),
    ],
)
def test_wrong_participants_are_refused_beside_the_field(world, as_user, data, message):
    if data.get("organizations") == ["OUTSIDER"]:
        data["organizations"] = [world.outsider_school.pk]
    before = Participant.objects.count()
    url = reverse("programs:setup_participants", args=[world.program.pk])
    response = as_user(world.coordinator).post(url, data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["organizations"])
    assert Participant.objects.count() == before


def test_a_school_in_a_pair_is_not_removed_from_the_program(world, as_user):
    participant = world.program.participants.get(organization=world.supported_school)
    as_user(world.coordinator).post(reverse("programs:participant_remove", args=[participant.pk]))
    assert Participant.objects.filter(pk=participant.pk).exists()
    free = f.ParticipantFactory(
        program=world.program, organization=f.OrganizationFactory(municipality=world.municipality)
    )
    as_user(world.coordinator).post(reverse("programs:participant_remove", args=[free.pk]))
    assert not Participant.objects.filter(pk=free.pk).exists()


# --- Pairs -----------------------------------------------------------------------------------


def pair_url(world):
    return reverse("programs:setup_pairs", args=[world.program.pk])


def test_a_pair_makes_both_schools_participants(world, as_user):
    curator = f.OrganizationFactory(municipality=world.municipality)
    supported = f.OrganizationFactory(municipality=world.municipality)
    response = as_user(world.coordinator).post(
        pair_url(world),
        {"number": "2", "curator_school": curator.pk, "supported_school": supported.pk},
    )
    pair = CuratorPair.objects.get(supported_school=supported)
    assert response.url == reverse("programs:setup_pair", args=[pair.pk])
    roles = set(world.program.participants.values_list("organization", "role"))
    assert {(curator.pk, "curator"), (supported.pk, "supported")} <= roles


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("itself", "Школа не может курировать сама себя."),
        ("second curator", "У этой школы в программе уже есть школа-куратор."),
        ("outsider", "Выберите школу из списка: эта школа вне вашей территории."),
    ],
)
def test_a_wrong_pair_is_refused_beside_the_supported_school(world, as_user, case, message):
    other = f.OrganizationFactory(municipality=world.municipality)
    curator, supported = {
        "itself": (other, other),
        "second curator": (other, world.supported_school),
        "outsider": (other, world.outsider_school),
    }[case]
    before = CuratorPair.objects.count()
    response = as_user(world.coordinator).post(
        pair_url(world), {"curator_school": curator.pk, "supported_school": supported.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["supported_school"] == [message]
    assert message in response.content.decode()
    assert CuratorPair.objects.count() == before


def curators_and_agreements(curators=(), agreements=(), initial=(0, 0)):
    return {
        **formset("curators", list(curators), initial[0]),
        **formset("agreements", list(agreements), initial[1]),
    }


def test_curators_and_a_signed_agreement_are_saved_with_the_file(
    world, as_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    pair = f.CuratorPairFactory(program=world.program)
    staff = f.UserFactory(username="teacher")
    f.MembershipFactory(user=staff, organization=pair.curator_school)
    data = curators_and_agreements(
        curators=[{"organization": str(pair.curator_school.pk), "user": str(staff.pk)}],
        agreements=[
            {
                "number": "15",
                "signed_on": "2023-02-01",
                "file": SimpleUploadedFile("соглашение.pdf", b"%PDF-1.4 content"),
            }
        ],
    )
    response = as_user(world.coordinator).post(reverse("programs:setup_pair", args=[pair.pk]), data)
    assert response.status_code == 302
    assert Curator.objects.get(pair=pair).user == staff
    agreement = Agreement.objects.get(pair=pair)
    assert agreement.number == "15" and agreement.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "программа.exe",
            b"MZ\x90\x00",
            "Файл «программа.exe» не принят: допустимы только файлы "
            "PDF, DOC, DOCX, ODT, XLS, XLSX, ODS, JPG, PNG.",
        ),
        (
            "соглашение.pdf",
            b"MZ\x90\x00 not a pdf",
            "Содержимое файла «соглашение.pdf» не соответствует формату .pdf: файл повреждён "
            "или переименован.",
        ),
        (
            "большой.pdf",
            b"%PDF-" + b"0" * (1024 * 1024 + 10),
            "Файл «большой.pdf» слишком большой (1,0\xa0МБ): допустимо не больше 1 МБ.",
        ),
    ],
)
def test_a_wrong_agreement_file_is_refused_beside_the_field(
    world, as_user, settings, tmp_path, name, content, message
):
    settings.MEDIA_ROOT = tmp_path
    settings.MAX_UPLOAD_MB = 1
    data = curators_and_agreements(
        agreements=[
            {"number": "1", "signed_on": "2023-02-01", "file": SimpleUploadedFile(name, content)}
        ]
    )
    response = as_user(world.coordinator).post(
        reverse("programs:setup_pair", args=[world.pair.pk]), data
    )
    assert response.status_code == 200
    assert response.context["agreements"].forms[0].errors["file"] == [message]
    assert not Agreement.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_a_curator_needs_a_person_from_one_of_the_two_schools(world, as_user):
    stranger = f.UserFactory(username="stranger")
    f.MembershipFactory(user=stranger, organization=world.outsider_school)
    url = reverse("programs:setup_pair", args=[world.pair.pk])
    existing = Curator.objects.get(pair=world.pair)
    keep = {
        "id": str(existing.pk),
        "organization": str(world.curator_school.pk),
        "user": str(world.curator.pk),
    }
    nobody = as_user(world.coordinator).post(
        url,
        curators_and_agreements(
            curators=[keep, {"organization": str(world.supported_school.pk)}], initial=(1, 0)
        ),
    )
    assert nobody.context["curators"].forms[1].errors["full_name"] == [
        "Укажите пользователя или ФИО куратора."
    ]
    outsider = as_user(world.coordinator).post(
        url,
        curators_and_agreements(
            curators=[
                keep,
                {"organization": str(world.supported_school.pk), "user": str(stranger.pk)},
            ],
            initial=(1, 0),
        ),
    )
    assert "user" in outsider.context["curators"].forms[1].errors
    same_twice = as_user(world.coordinator).post(
        url,
        curators_and_agreements(
            curators=[
                keep,
                {"organization": str(world.curator_school.pk), "user": str(world.curator.pk)},
            ],
            initial=(1, 0),
        ),
    )
    assert same_twice.status_code == 200
    assert Curator.objects.filter(pair=world.pair).count() == 1


def test_an_agreement_signed_in_the_future_is_refused(world, as_user):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    data = curators_and_agreements(agreements=[{"number": "1", "signed_on": tomorrow.isoformat()}])
    response = as_user(world.coordinator).post(
        reverse("programs:setup_pair", args=[world.pair.pk]), data
    )
    assert response.context["agreements"].forms[0].errors["signed_on"] == [
        "Дата подписания не может быть в будущем."
    ]
    assert not Agreement.objects.exists()


def test_a_pair_with_a_roadmap_is_not_deleted(world, as_user):
    from roadmaps.models import Roadmap

    f.RoadmapFactory(program=world.program, level=Roadmap.Level.PAIR, pair=world.pair)
    as_user(world.coordinator).post(reverse("programs:pair_delete", args=[world.pair.pk]))
    assert CuratorPair.objects.filter(pk=world.pair.pk).exists()


def test_the_program_list_offers_creation_only_to_coordinators(world, as_user):
    assert as_user(world.coordinator).get(reverse("programs:list")).context["can_create"]
    assert not as_user(world.school).get(reverse("programs:list")).context["can_create"]
