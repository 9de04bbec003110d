"""One save of a school's sheet is one history entry that names each indicator it changed and
shows each value's old → new."""

import pytest

from tests.monitoring.test_entry import entry_url, sheet_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def side(scene):
    return scene.inside


def test_a_submitted_sheet_is_one_history_entry_naming_each_indicator(side, world, as_user):
    response = as_user(world.school).post(
        entry_url(side), sheet_data(side, "submit", percent="17", count="2", yes_no="1")
    )
    assert response.status_code == 302
    page = as_user(world.coordinator).get(entry_url(side))
    entries = page.context["history"]
    newest = entries[0]
    assert newest.who == (world.school.get_full_name() or world.school.get_username())
    subjects = {change.subject for change in newest.changes}
    assert subjects == {
        "1. Доля обучающихся с отметкой «2» по ВПР",
        "2. Число педагогов, прошедших КПК",
        "3. Программа перехода в эффективный режим принята",
    }
    value_of_percent = next(
        c for c in newest.changes if c.subject.startswith("1.") and c.label == "значение"
    )
    assert (value_of_percent.old, value_of_percent.new) == ("18", "17")
    # The measurement made by the scene and the submission: two entries, not one per value.
    assert len(entries) == 2
    html = page.content.decode()
    history = html[html.index("История изменений") :]
    assert history.count("Доля обучающихся с отметкой «2» по ВПР") == 2
    assert "18 → <strong>17</strong>" in history


def test_saves_at_different_moments_stay_apart(side, world, as_user):
    client = as_user(world.school)
    client.post(entry_url(side), sheet_data(side, percent="17"))
    client.post(entry_url(side), sheet_data(side, percent="16"))
    entries = as_user(world.coordinator).get(entry_url(side)).context["history"]
    assert [[(c.old, c.new) for c in e.changes if c.label == "значение"] for e in entries[:2]] == [
        [("17", "16")],
        [("18", "17")],
    ]
