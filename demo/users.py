"""The demo's users, one for each kind of person the access rules are about.

They stand for roles, not people: the documents name real officials, and the demo invents no
one, so each user's name says where they sit («Координатор Сургутского района»)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from programs.models import Curator
from schools.models import Membership


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    description: str


REGION = DemoUser(
    "region",
    "Координатор",
    "Пермского края",
    "координатор, Министерство образования и науки "
    "Пермского края: краевой проект «Адресная методическая помощь»",
)
COORDINATOR = DemoUser(
    "coordinator",
    "Координатор",
    "Сургутского района",
    "координатор, Департамент образования "
    "и молодёжной политики администрации Сургутского района: «Вектор на развитие»",
)
CURATOR = DemoUser(
    "curator",
    "Куратор",
    "Нижнесортымской СОШ",
    "куратор от МБОУ «Нижнесортымская СОШ» в паре с МБОУ «Русскинская СОШ»",
)
SCHOOL = DemoUser(
    "school",
    "Сотрудник",
    "Русскинской СОШ",
    "сотрудник МБОУ «Русскинская СОШ», школы адресной поддержки в «Векторе на развитие»",
)
OUTSIDER = DemoUser(
    "outsider",
    "Сотрудник",
    "СОШ №2 г. Мегиона",
    "сотрудник МАОУ «СОШ №2», г. Мегион: видит только программу Мегиона",
)
ADMIN = DemoUser("admin", "Администратор", "портала", "администратор: всё, и /admin/")
USERS = [REGION, COORDINATOR, CURATOR, SCHOOL, OUTSIDER, ADMIN]


def ensure_user(loader, person, password, *, superuser=False):
    """The user, created or brought up to date. The password is hashed anew only when the
    stored one does not match: a fresh hash has a fresh salt, so setting it every run would
    change the row every run."""
    user_model = get_user_model()
    label = user_model._meta.verbose_name_plural
    values = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        # Example addresses (example.ru never receives mail), so notices have somewhere to go.
        "email": f"{person.username}@example.ru",
        "is_active": True,
        "is_staff": superuser,
        "is_superuser": superuser,
    }
    user = user_model.objects.filter(username=person.username).first()
    is_new = user is None
    if is_new:
        user = user_model(username=person.username)
    changed = is_new
    for name, value in values.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed = True
    if not user.check_password(password):
        user.set_password(password)
        changed = True
    if changed:
        user.full_clean()
        user.save()
    counter = loader.created if is_new else loader.updated if changed else loader.unchanged
    counter[label] += 1
    return user


def load(loader, password, *, ministry, authority, pair, outsider_school):
    """The six users with their places of work; the curator is appointed to `pair`."""

    def member(person, organization, role):
        user = ensure_user(loader, person, password)
        loader.upsert(Membership, {"user": user, "organization": organization}, {"role": role})
        return user

    member(REGION, ministry, Membership.Role.COORDINATOR)
    member(COORDINATOR, authority, Membership.Role.COORDINATOR)
    curator = member(CURATOR, pair.curator_school, Membership.Role.STAFF)
    loader.upsert(Curator, {"pair": pair, "user": curator}, {"organization": pair.curator_school})
    member(SCHOOL, pair.supported_school, Membership.Role.STAFF)
    member(OUTSIDER, outsider_school, Membership.Role.STAFF)
    ensure_user(loader, ADMIN, password, superuser=True)
    return USERS
