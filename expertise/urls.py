"""Expertise of documents, the bank of good practice with its contests, and the curator
pairing assistant."""

from django.urls import path

from . import bank_views, views

app_name = "expertise"

urlpatterns = [
    path("program/<int:pk>/", views.program_expertise, name="program"),
    path("program/<int:pk>/criteria/<slug:kind>/", views.criteria, name="criteria"),
    path("program/<int:pk>/pairing/", views.pairing_view, name="pairing"),
    path("program/<int:pk>/pairing/accept/", views.pairing_accept, name="pairing_accept"),
    path("program/<int:pk>/contests/new/", bank_views.contest_create, name="contest_create"),
    path("documents/<int:pk>/assign/", views.assign, name="assign"),
    path("documents/<int:pk>/changes/", views.changes, name="changes"),
    path("sheets/", views.my_sheets, name="my_sheets"),
    path("sheets/<int:pk>/", views.sheet, name="sheet"),
    path("practices/", bank_views.bank, name="bank"),
    path("practices/public/", bank_views.public_bank, name="public_bank"),
    path("practices/new/", bank_views.practice_form, name="practice_create"),
    path("practices/<int:pk>/", bank_views.practice_detail, name="practice"),
    path("practices/<int:pk>/public/", bank_views.public_practice, name="public_practice"),
    path("practices/<int:pk>/edit/", bank_views.practice_form, name="practice_edit"),
    path("practices/<int:pk>/adopt/", bank_views.adopt, name="adopt"),
    path("practices/<int:pk>/to-bank/", bank_views.include_in_bank, name="include_in_bank"),
    path("practices/files/<int:pk>/", bank_views.practice_file, name="practice_file"),
    path("contests/<int:pk>/", bank_views.contest_detail, name="contest"),
    path("contests/<int:pk>/submit/", bank_views.contest_submit, name="contest_submit"),
    path("submissions/<int:pk>/score/", bank_views.jury_score, name="jury_score"),
    path("submissions/<int:pk>/winner/", bank_views.declare_winner, name="declare_winner"),
]
