"""Whom an item may name as responsible is said once (`Program.organizations_taking_part`,
`roadmaps.setup_forms.program_organizations`): the items list filters by exactly the
organizations the item form offers and the roadmap import matches, the operator included."""

import pytest

from roadmaps.filters import ItemFilter
from roadmaps.importer.matching import matchable_organizations
from roadmaps.models import Roadmap, RoadmapItem
from roadmaps.setup_forms import RoadmapItemForm
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmap(world):
    world.program.operator = f.OrganizationFactory(
        municipality=world.municipality, short_name="Центр непрерывного образования"
    )
    world.program.save()
    return f.RoadmapFactory(program=world.program, level=Roadmap.Level.PROGRAM)


def test_the_items_list_filters_by_whom_the_item_form_offers(world, roadmap):
    form = RoadmapItemForm(roadmap=roadmap, user=world.coordinator)
    offered = set(form.fields["responsible"].queryset)
    listed = (
        ItemFilter(
            {},
            queryset=RoadmapItem.objects.all(),
            program=world.program,
            roadmaps=Roadmap.objects.filter(program=world.program),
            user=world.coordinator,
        )
        .filters["responsible"]
        .queryset
    )
    assert set(listed) == offered
    assert world.program.operator in offered
    assert {world.supported_school, world.curator_school, world.authority} <= offered


def test_the_import_without_a_person_matches_the_program_s_own_organizations(world, roadmap):
    assert set(matchable_organizations(world.program)) == {
        world.supported_school,
        world.curator_school,
        world.authority,
        world.program.operator,
    }
