"""What the API answers, field by field: the OpenAPI description is generated from these."""

from datetime import date, datetime

from ninja import Field, Schema


class Problem(Schema):
    detail: str = Field(description="Причина отказа, по-русски")


class RegionOut(Schema):
    id: int
    name: str
    code: str = Field(description="Код субъекта РФ")


class MunicipalityOut(Schema):
    id: int
    name: str
    kind: str
    region_id: int


class ProgramOut(Schema):
    id: int
    title: str
    short_title: str
    level: str = Field(description="federal, regional или municipal")
    status: str
    owner_id: int
    operator_id: int | None
    region_id: int | None
    municipality_id: int | None
    starts_on: date | None
    ends_on: date | None
    order_number: str
    order_date: date | None
    goal: str
    is_public: bool
    updated_at: datetime = Field(description="Когда запись изменилась (фильтр changed_since)")


class StatusOut(Schema):
    year: int
    category: str = Field(description="Категория идентификации: low_results, …")
    source: str


class SchoolOut(Schema):
    id: int
    name: str
    short_name: str
    region_id: int
    municipality_id: int | None
    parent_id: int | None = Field(description="Головная школа филиала")
    inn: str
    code: str
    address: str
    updated_at: datetime
    statuses: list[StatusOut]


class PairOut(Schema):
    id: int
    program_id: int
    number: str
    curator_school_id: int
    supported_school_id: int


class RoadmapOut(Schema):
    id: int
    program_id: int
    level: str
    title: str
    organization_id: int | None
    pair_id: int | None


class ExecutionOut(Schema):
    organization_id: int
    status: str
    completed_on: date | None


class ItemOut(Schema):
    id: int
    roadmap_id: int
    module: str | None = Field(None, description="Модуль, к которому относится пункт")
    number: str
    title: str
    schedule_text: str = Field(description="Срок, как он записан в документе")
    starts_on: date | None
    due_on: date | None
    status: str
    completed_on: date | None
    is_late: bool = Field(description="Просрочено по дате региона программы")
    expected_result: str
    target_id: int | None
    executions: list[ExecutionOut] = Field(description="Исполнение каждым ответственным")
    updated_at: datetime = Field(description="Когда запись изменилась (фильтр changed_since)")

    @staticmethod
    def resolve_module(item):
        return item.module.title if item.module_id else None


class AttendanceOut(Schema):
    organization_id: int
    people_count: int


class EventOut(Schema):
    id: int
    program_id: int
    item_id: int | None
    title: str
    kind: str
    level: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    organizer_id: int | None
    invited: list[int] = Field(description="Приглашённые организации")
    attendance: list[AttendanceOut]
    updated_at: datetime = Field(description="Когда запись изменилась (фильтр changed_since)")

    @staticmethod
    def resolve_invited(event):
        return [organization.pk for organization in event.invited.all()]

    @staticmethod
    def resolve_attendance(event):
        return event.attendances.all()


class IndicatorOut(Schema):
    id: int
    program_id: int
    code: str
    title: str
    unit: str
    source: str
    group: str
    direction: str
    level: str
    method: str = Field(description="entered — вводится; иначе вычисляется порталом")
    assessment: str = Field(
        description="Оценочная процедура, из результатов которой берутся значения: vpr, oge, "
        "ege, regional; пусто — значения вводятся"
    )
    subjects: list[str]
    grades: list[int]
    measure: str = Field(description="share_2, quality, success, mean_mark, mean_score или пусто")
    updated_at: datetime = Field(description="Когда запись изменилась (фильтр changed_since)")


class PointOut(Schema):
    id: int
    program_id: int
    title: str
    date: date
    kind: str
    entry_deadline: date | None
    locked: bool
    updated_at: datetime = Field(description="Когда запись изменилась (фильтр changed_since)")


class TargetOut(Schema):
    id: int
    indicator_id: int
    point_id: int | None = Field(description="Пусто у постоянного порога")
    organization_id: int | None = Field(description="Пусто у цели программы")
    value: float
    comparison: str = Field(description="ge — не менее, le — не более, eq — равно")


class ValueOut(Schema):
    id: int
    indicator_id: int
    point_id: int
    organization_id: int | None
    value: float | None
    approved_at: datetime | None
    source: str = Field(description="entered — введено на портале, results — из результатов")


class CompletionOut(Schema):
    total: int | None
    done: int | None
    in_progress: int | None
    not_done: int | None
    planned: int | None
    cancelled: int | None
    late: int | None
    share: float | None = Field(description="Доля выполненных, %")


class ModuleCompletionOut(CompletionOut):
    title: str


class CompletenessOut(Schema):
    point_id: int
    point: str
    date: date
    expected: int
    complete: int
    partial: int
    missing: int
    late: int
    share: float | None


class IndicatorPointOut(Schema):
    point_id: int
    point: str
    date: date
    average: float | None
    schools_measured: int
    target: float | None
    comparison: str | None
    schools_met: int | None


class IndicatorFiguresOut(Schema):
    indicator_id: int
    code: str
    title: str
    unit: str
    baseline: float | None
    latest: float | None
    latest_target: float | None
    latest_comparison: str | None
    schools_measured: int
    schools_met: int | None
    improved: int | None
    worsened: int | None
    points: list[IndicatorPointOut]


class EffectivenessOut(Schema):
    indicator_id: int
    code: str
    title: str
    value: float | None
    numerator: int
    denominator: int | None
    threshold: float | None
    comparison: str | None
    met: bool | None


class TerritoryOut(Schema):
    kind: str = Field(description="program, region или municipality")
    id: int | None
    name: str


class FiguresOut(Schema):
    program_id: int
    territory: TerritoryOut
    schools: int = Field(description="Школ адресной поддержки в сводке")
    roadmap: CompletionOut
    modules: list[ModuleCompletionOut]
    completeness: list[CompletenessOut]
    indicators: list[IndicatorFiguresOut]
    effectiveness: list[EffectivenessOut]
