"""The consultation line: a new question to those who may answer, an answer to who asked."""

from .. import recipients as who
from ..models import Consultation, Kind
from .base import LOOKBACK


class ConsultationNotices:
    def consultations(self):
        """A new question — to those who may answer it; an answer — to the one who asked."""
        since = self.now - LOOKBACK
        asked = list(
            Consultation.objects.filter(
                asked_at__gte=since, answered_at__isnull=True
            ).select_related("program", "organization")
        )
        told = self.told(Kind.QUESTION_ASKED, Consultation, (q.pk for q in asked))
        asked = [q for q in asked if (q.pk, "") not in told]
        if asked:
            curators = who.curators_of((q.program_id, q.organization_id) for q in asked)
            coordinators = who.program_coordinators(q.program_id for q in asked)
            operators = who.staff_of(q.program.operator_id for q in asked if q.program.operator_id)
            candidates = {
                q.pk: curators.get((q.program_id, q.organization_id), set())
                | coordinators.get(q.program_id, set())
                | operators.get(q.program.operator_id, set())
                for q in asked
            }
            allowed = who.allowed(
                candidates,
                lambda user: Consultation.objects.answerable_by(user),
                self.people,
                by_person=True,
            )
            for q in asked:
                org = q.organization
                self.add(
                    allowed.get(q.pk, set()) - {q.asked_by_id},
                    kind=Kind.QUESTION_ASKED,
                    subject=q,
                    occasion="",
                    title=f"Вопрос: {q.topic}",
                    body=f"{org.short_name or org.name if org else 'Участник'} спрашивает на "
                    f"консультационной линии программы «{q.program}»:\n{q.question}",
                    url=q.get_absolute_url(),
                )
        answered = list(
            Consultation.objects.filter(
                answered_at__gte=since, asked_by__isnull=False
            ).select_related("program")
        )
        told = self.told(Kind.QUESTION_ANSWERED, Consultation, (q.pk for q in answered))
        answered = [q for q in answered if (q.pk, "") not in told]
        allowed = who.allowed(
            {q.pk: {q.asked_by_id} for q in answered},
            lambda user: Consultation.objects.visible_to(user),
            self.people,
            by_person=True,
        )
        for q in answered:
            self.add(
                allowed.get(q.pk, set()),
                kind=Kind.QUESTION_ANSWERED,
                subject=q,
                occasion="",
                title=f"Ответ на вопрос: {q.topic}",
                body=f"На ваш вопрос на консультационной линии программы «{q.program}» "
                f"ответили:\n{q.answer}",
                url=q.get_absolute_url(),
            )
