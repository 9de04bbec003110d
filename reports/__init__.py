"""Reports coordinators download (сводный отчёт, аналитическая справка, паспорт программы…).

Each report has ONE definition (a module beside this one) that, given its subject and the user,
gathers the data and builds a neutral `document.Report`. A report about a program covers what the
program's dashboard covers for that user (`common.Coverage`); one about a roadmap or a school
reads through the models' access rules, as their pages do. The document has
a title, sections, and in them paragraphs, facts, tables (columns and rows, with group rows) and
charts (SVG strings). Three renderers turn that one structure into the page (`html`), the PDF
(`pdf`, WeasyPrint on the same HTML as the page) and the workbook (`xlsx`, a sheet per table), so
the three never disagree. `kinds.KINDS` lists the reports by the slug used in URLs and in
`manage.py render_report`.
"""
