"""Expertise, traceability and the bank in the demo.

In «Вектор на развитие» (Сургутский район) МБОУ «Русскинская СОШ» submits its medium-term
program: the first version goes back for revision after the expert and the curator, the second
passes; its anti-risk program waits for a mutual review by МБОУ «Ляминская СОШ». The school's
risk profile uses the catalogue of risk factors of Хунзахский район, and the program's roadmap
items tagged with its factors drive the traceability flags on the school page and the dashboard.
The Пермский край project gets the order's threshold for expertise («не менее чем у 80 %») and
its contest of methodical cases; the bank holds the curator school's practice that the
supported school adopted.

The documents' texts, scores and remarks are the demo's own illustrations: the seed documents
name no such reviews. Files are small .docx written once, under fixed names, so that a second
run finds them and changes nothing.
"""

import io
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from expertise.models import (
    DEFAULT_CRITERIA,
    Adoption,
    Assignment,
    Contest,
    Criterion,
    ExpertiseRound,
    PassThreshold,
    Practice,
    Score,
    Subject,
)
from programs.models import Document, DocumentVersion, Review
from roadmaps.models import RoadmapItem
from schools.models import Membership, RiskFactor, RiskLevel, RiskProfile

from .users import DemoUser, ensure_user

EXPERT = DemoUser(
    "expert",
    "Эксперт",
    "МКУ «ИМЦ»",
    "эксперт МКУ «ИМЦ» Сургутского района: проверяет документы школ по критериям",
)
PEER = DemoUser(
    "peer",
    "Сотрудник",
    "Ляминской СОШ",
    "сотрудник МБОУ «Ляминская СОШ»: взаимоэкспертиза антирисковой программы Русскинской СОШ",
)
USERS = [EXPERT, PEER]

SCHOOL = "МБОУ «Русскинская СОШ»"
PEER_SCHOOL = "МБОУ «Ляминская СОШ»"
CURATOR_SCHOOL = "МБОУ «Нижнесортымская СОШ»"
ZONE = ZoneInfo("Asia/Yekaterinburg")

# The school's profile on the catalogue of Хунзахский район: 1.3 and 2.3 high, 2.8 and 3.2
# medium, the rest low or absent.
PROFILE = {
    "1.1": RiskLevel.Level.LOW,
    "1.2": RiskLevel.Level.LOW,
    "1.3": RiskLevel.Level.HIGH,
    "2.1": RiskLevel.Level.LOW,
    "2.3": RiskLevel.Level.HIGH,
    "2.8": RiskLevel.Level.MEDIUM,
    "3.2": RiskLevel.Level.MEDIUM,
    "3.3": RiskLevel.Level.NONE,
}
# The curator school is strong where the supported school is weak.
CURATOR_PROFILE = {
    "1.3": RiskLevel.Level.LOW,
    "2.3": RiskLevel.Level.LOW,
    "2.8": RiskLevel.Level.NONE,
    "3.2": RiskLevel.Level.MEDIUM,
}
# Roadmap items of the program (by their position) and the factors they address.
ITEM_FACTORS = {
    # «Верификация факторов риска учебной неуспешности в отобранных для участия в проекте ОО»
    "Верификация факторов риска": ["1.3", "2.8"],
    # «Разработка и утверждение среднесрочных программ …»
    "Разработка и утверждение среднесрочных программ": ["1.3"],
}

MEDIUM_TERM = "Среднесрочная программа «Вектор на развитие» МБОУ «Русскинская СОШ»"
ANTI_RISK = "Антирисковая программа: недостаточная предметная и методическая компетентность"
VERSIONS = {
    MEDIUM_TERM: [
        [
            "Цель: повышение качества образовательных результатов обучающихся.",
            "Задача 1. Повысить предметную и методическую компетентность учителей.",
            "Мероприятия: курсы повышения квалификации, посещение уроков.",
        ],
        [
            "Цель: повышение качества образовательных результатов обучающихся.",
            "Задача 1. Повысить предметную и методическую компетентность учителей.",
            "Мероприятия: курсы повышения квалификации, посещение уроков, педагогические "
            "мастерские со школой-куратором.",
            "Показатель: доля учителей, прошедших КПК, не менее 80 % к декабрю 2023 года.",
        ],
    ],
    ANTI_RISK: [
        [
            "Фактор риска 1.3: недостаточная предметная и методическая компетентность.",
            "Меры: наставничество, взаимопосещение уроков, методические дни.",
        ],
    ],
}
# Sheets: (document, version, reviewer, role, round, verdict, scores, comment, decided on).
# The rounds: (title, deadline, reciprocal reviews allowed). The round of the anti-risk programs
# is the current cycle's, under way: its deadline is ten days after the cycle's day (an int is
# days from it, see demo/cycle.py).
ROUNDS = {
    "may": ("Экспертиза среднесрочных программ, май 2023", date(2023, 5, 31), False),
    "cycle": ("Взаимоэкспертиза антирисковых программ текущего цикла", 10, False),
}
V = Assignment.Verdict
SHEETS = [
    (MEDIUM_TERM, 1, "expert", Assignment.Role.EXPERT, "may", V.REVISION, [3, 2, 1, 2],
     "Не указаны показатели и целевые значения мероприятий.", date(2023, 4, 20)),
    (MEDIUM_TERM, 1, "curator", Assignment.Role.CURATOR, "may", V.REVISION, [3, 2, 1, 3],
     "Добавьте совместные мероприятия со школой-куратором.", date(2023, 4, 21)),
    (MEDIUM_TERM, 2, "expert", Assignment.Role.EXPERT, "may", V.PASSED, [3, 3, 3, 2],
     "Замечания учтены.", date(2023, 5, 25)),
    (MEDIUM_TERM, 2, "curator", Assignment.Role.CURATOR, "may", V.PASSED, [3, 3, 3, 3],
     "Соответствует.", date(2023, 5, 26)),
    (ANTI_RISK, 1, "peer", Assignment.Role.MUTUAL, "cycle", V.PENDING, None, "", None),
    (ANTI_RISK, 1, "expert", Assignment.Role.EXPERT, "cycle", V.PENDING, None, "", None),
]  # fmt: skip

PERM_THRESHOLD = (
    "Не менее чем у 80% ОО-участников Проекта концептуальные документы соответствуют "
    "параметрам экспертизы"
)
PERM_CONTEST = "Панорама методический кейсов: эффективные школьные практики"
SUBJECTS = ["математика", "русский язык", "управление школой", "воспитание"]
PRACTICE = {
    "title": "Педагогические мастерские «учитель — учителю»",
    "description": (
        "Учителя школы-куратора и школы адресной поддержки раз в месяц проводят открытые уроки "
        "и разбирают их вместе: наставничество и взаимопосещение уроков против недостаточной "
        "методической компетентности и слабого профессионального взаимодействия."
    ),
}


def _docx(paragraphs):
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", xml)
    return buffer.getvalue()


def _stored(name, paragraphs):
    """The file under its fixed name, written only when it is not there yet."""
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(_docx(paragraphs)))
    return name


def load(loader, password, *, surgut, perm, day):
    program, schools = surgut["program"], surgut["schools"]
    school, peer_school = schools[SCHOOL], schools[PEER_SCHOOL]
    curator_school = schools[CURATOR_SCHOOL]
    people = {
        "expert": _member(loader, EXPERT, password, program.operator),
        "peer": _member(loader, PEER, password, peer_school),
        "curator": Membership.objects.get(user__username="curator").user,
        "school": Membership.objects.get(user__username="school").user,
    }
    factors = {f.code: f for f in RiskFactor.objects.all()}
    _profile(loader, school, PROFILE, factors, date(2023, 1, 20))
    _profile(loader, curator_school, CURATOR_PROFILE, factors, date(2023, 1, 20))
    for item in RoadmapItem.objects.filter(roadmap__program=program):
        for start, codes in ITEM_FACTORS.items():
            if item.title.startswith(start):
                loader.set_related(item, "risk_factors", [factors[c] for c in codes])

    for kind in (Document.Kind.MEDIUM_TERM_PROGRAM, Document.Kind.ANTI_RISK_PROGRAM):
        for order, (title, score) in enumerate(DEFAULT_CRITERIA[kind], start=1):
            loader.upsert(
                Criterion,
                {"program": program, "kind": kind, "order": order},
                {"title": title, "max_score": score},
            )
    rounds = {
        key: loader.upsert(
            ExpertiseRound,
            {"program": program, "title": title},
            {
                "due_on": day + timedelta(due) if isinstance(due, int) else due,
                "allow_reciprocal": reciprocal,
            },
        )
        for key, (title, due, reciprocal) in ROUNDS.items()
    }
    documents = {
        MEDIUM_TERM: _document(
            loader, program, school, Document.Kind.MEDIUM_TERM_PROGRAM, MEDIUM_TERM, None,
            Document.Status.APPROVED, people["school"],
        ),
        ANTI_RISK: _document(
            loader, program, school, Document.Kind.ANTI_RISK_PROGRAM, ANTI_RISK, factors["1.3"],
            Document.Status.SUBMITTED, people["school"],
        ),
    }  # fmt: skip
    for title, version, who, role, round_key, verdict, points, comment, decided in SHEETS:
        _sheet(
            loader,
            documents[title],
            version,
            people[who],
            role,
            rounds[round_key],
            verdict,
            points,
            comment,
            decided,
            organization={
                "expert": program.operator,
                "curator": curator_school,
                "peer": peer_school,
            }[who],
        )

    perm_program = perm["program"]
    loader.upsert(
        PassThreshold,
        {"program": perm_program, "kind": ""},
        {"share": Decimal(80), "wording": PERM_THRESHOLD},
    )
    contest = loader.upsert(
        Contest,
        {"program": perm_program, "title": PERM_CONTEST},
        {"submissions_until": date(2023, 11, 30), "max_score": 10},
    )
    loader.set_related(contest, "jury", [Membership.objects.get(user__username="region").user])
    subjects = {name: loader.upsert(Subject, {"name": name}) for name in SUBJECTS}
    practice = loader.upsert(
        Practice,
        {"title": PRACTICE["title"], "author_school": curator_school},
        {
            "description": PRACTICE["description"],
            "program": program,
            "in_bank": True,
            "is_public": True,
            "created_at": datetime(2023, 2, 1, 10, 0, tzinfo=ZONE),
        },
    )
    loader.set_related(practice, "risk_factors", [factors["1.3"], factors["2.8"]])
    loader.set_related(practice, "subjects", [subjects["математика"], subjects["русский язык"]])
    loader.upsert(
        Adoption,
        {"practice": practice, "school": school},
        {"adopted_on": date(2023, 3, 1), "note": "В паре со школой-куратором"},
    )
    return USERS


def _member(loader, person, password, organization):
    user = ensure_user(loader, person, password)
    loader.upsert(
        Membership,
        {"user": user, "organization": organization},
        {"role": Membership.Role.STAFF},
    )
    return user


def _profile(loader, school, levels, factors, day):
    profile = loader.upsert(
        RiskProfile,
        {"school": school, "assessed_on": day},
        {"source": "анкетирование по каталогу факторов риска Хунзахского района"},
    )
    for code, level in levels.items():
        loader.upsert(RiskLevel, {"profile": profile, "factor": factors[code]}, {"level": level})


def _document(loader, program, school, kind, title, factor, status, author):
    texts = VERSIONS[title]
    document = loader.upsert(
        Document,
        {"program": program, "organization": school, "kind": kind, "title": title},
        {"risk_factor": factor, "uploaded_by": author},
    )
    for number, paragraphs in enumerate(texts, start=1):
        name = _stored(f"documents/versions/demo/{document.pk}-v{number}.docx", paragraphs)
        loader.upsert(
            DocumentVersion,
            {"document": document, "number": number},
            {
                "file": name,
                "original_name": f"{title[:60]}, версия {number}.docx",
                "size": default_storage.size(name),
                "uploaded_by": author,
                "uploaded_at": datetime(2023, 4, 1 + number * 10, 9, 0, tzinfo=ZONE),
                "comment": "Добавлены показатели и совместные мероприятия" if number > 1 else "",
            },
        )
    return loader.upsert(
        Document,
        {"pk": document.pk},
        {"version": len(texts), "file": name, "status": status},
    )


def _sheet(
    loader, document, version, user, role, round_, verdict, points, comment, decided, organization
):
    decided_at = datetime.combine(decided, datetime.min.time(), ZONE) if decided else None
    review = loader.upsert(Review, {"document": document, "reviewer": user}, {"by_checklist": True})
    assignment = loader.upsert(
        Assignment,
        {"review": review, "version": version},
        {
            "round": round_,
            "role": role,
            "school": document.organization,
            "organization": organization,
            "due_on": round_.due_on,
            "verdict": verdict,
            "comment": comment,
            "decided_at": decided_at,
            "assigned_at": datetime(2023, 4, 1, 9, 0, tzinfo=ZONE),
        },
    )
    criteria = Criterion.objects.filter(program=document.program, kind=document.kind).order_by(
        "order"
    )
    for index, criterion in enumerate(criteria):
        loader.upsert(
            Score,
            {"assignment": assignment, "criterion": criterion},
            {"score": points[index] if points else None},
        )
    if version == document.version:
        # The reviewer's Review carries the verdict on the current version, as in the portal.
        review_verdict = {
            V.PASSED: Review.Verdict.APPROVED,
            V.REVISION: Review.Verdict.NEEDS_REVISION,
            V.PENDING: Review.Verdict.PENDING,
        }[verdict]
        loader.upsert(
            Review,
            {"pk": review.pk},
            {
                "organization": organization,
                "verdict": review_verdict,
                "comment": comment,
                "decided_at": decided_at,
            },
        )
