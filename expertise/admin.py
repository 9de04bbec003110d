from django.contrib import admin

from .models import (
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


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "kind", "max_score", "order"]
    list_filter = ["kind", "program"]
    search_fields = ["title"]


@admin.register(ExpertiseRound)
class ExpertiseRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "due_on", "allow_reciprocal"]
    list_filter = ["program"]
    search_fields = ["title"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["review", "role", "organization", "version", "due_on", "verdict"]
    list_filter = ["role", "verdict", "round"]
    search_fields = ["review__document__title", "organization__short_name"]
    raw_id_fields = ["review", "school", "organization"]
    inlines = [ScoreInline]


@admin.register(PassThreshold)
class PassThresholdAdmin(admin.ModelAdmin):
    list_display = ["program", "kind", "share", "wording"]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class PracticeFileInline(admin.TabularInline):
    model = PracticeFile
    extra = 0


class AdoptionInline(admin.TabularInline):
    model = Adoption
    extra = 0
    raw_id_fields = ["school"]


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["title", "author_school", "in_bank", "is_public", "created_at"]
    list_filter = ["in_bank", "is_public", "risk_factors", "subjects"]
    search_fields = ["title", "description", "author_school__short_name"]
    raw_id_fields = ["author_school"]
    filter_horizontal = ["risk_factors", "subjects"]
    inlines = [PracticeFileInline, AdoptionInline]


class SubmissionInline(admin.TabularInline):
    model = Submission
    extra = 0
    raw_id_fields = ["practice"]


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "submissions_until"]
    search_fields = ["title"]
    filter_horizontal = ["jury"]
    inlines = [SubmissionInline]


@admin.register(JuryScore)
class JuryScoreAdmin(admin.ModelAdmin):
    list_display = ["submission", "juror", "score"]


# The rows that live inside a sheet, a practice or a contest have their own lists too, so that an
# operator can search every row of the portal.
@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["assignment", "criterion", "score"]
    list_select_related = ["assignment__review__document", "criterion"]
    search_fields = ["criterion__title", "assignment__review__document__title", "remark"]
    raw_id_fields = ["assignment"]


@admin.register(PracticeFile)
class PracticeFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "practice", "uploaded_at"]
    list_select_related = ["practice"]
    search_fields = ["original_name", "practice__title"]
    raw_id_fields = ["practice"]


@admin.register(Adoption)
class AdoptionAdmin(admin.ModelAdmin):
    list_display = ["practice", "school", "adopted_on"]
    list_select_related = ["practice", "school"]
    search_fields = ["practice__title", "school__short_name"]
    raw_id_fields = ["practice", "school"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["practice", "contest"]
    list_select_related = ["practice", "contest"]
    search_fields = ["practice__title", "contest__title"]
    raw_id_fields = ["practice", "contest"]
