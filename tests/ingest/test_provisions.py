"""Goals and measures of steering documents become segments of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_text
from tests.ingest.pdf_fixtures import steering_document
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.ingest.plaintext import read_markdown
from vinr_qual.ingest.provisions import find_provisions, heading_kind, labelled_kind
from vinr_qual.project import Project


@pytest.mark.parametrize(
    ("passage", "kind"),
    [
        ("Mål 2.1 Alla våldsutsatta ska få stöd inom en vecka.", "goal"),
        ("Delmål 3: Andelen utbildad personal ska öka.", "goal"),
        ("EFFEKTMÅL 1 – Färre barn ska leva med våld.", "goal"),
        ("Mål: Samtliga förvaltningar har en kontaktperson.", "goal"),
        ("Åtgärd 4. Socialtjänsten inför rutin för frågor om våld.", "measure"),
        ("Insats 2) Utbildning för skolkuratorer.", "measure"),
        ("Aktivitet 1.3 | Kartläggning | Brottsförebyggande rådet", "measure"),
        ("Action 5: Train all staff.", "measure"),
        ("Insatser: Trygghetsvandringar i alla bostadsområden.", "measure"),
        ("Delmål: Alla skolor har en plan.", "goal"),
        ("Mål 2030 är att ingen ska utsättas.", None),
        ("Målgruppen är kvinnor som utsatts för våld.", None),
        ("Åtgärder vidtas vid behov.", None),
        ("Målet är tydligt: färre brott.", None),
    ],
)
def test_a_label_decides_the_kind(passage: str, kind: str | None) -> None:
    assert labelled_kind(passage) == kind


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("4. Mål och åtgärder", "goal"),
        ("Prioriterade insatser 2025", "measure"),
        ("Åtgärdsplan", "measure"),
        ("Övergripande mål", "goal"),
        ("Mål- och åtgärdsplan", "goal"),
        ("Målgrupp", None),
        ("2. Syfte", None),
    ],
)
def test_a_heading_about_goals_or_measures_is_recognised(heading: str, kind: str | None) -> None:
    assert heading_kind(heading) == kind


PLAN = """# Handlingsplan för Norrlida

## 2. Syfte

Planen ska

1. tydliggöra ansvaret,
2. samla arbetet.

## 3. Mål och delmål

1. Våldsutsatta får stöd inom en vecka.
2. Alla skolor har en plan för trygghet.

Texten här är en vanlig förklarande paragraf.

## 4. Åtgärder

- Socialtjänsten inför rutinmässiga frågor om våld.
- Polis och kommun tar fram en gemensam lägesbild.

## Mål 5 Kunskap i hela organisationen

Kunskapen ska öka i alla förvaltningar.

Åtgärd 5.1 Grundutbildning för nya medarbetare.

Åtgärder för att följa upp:

a) enkät vartannat år,

## Aktiviteter

Nr | Aktivitet | Ansvarig

1 | Inrätta en samordningsfunktion | Socialchef

2.1 | Utbilda personalen | Samordnare

## 6. Målgrupp

1. Kvinnor som utsatts för våld.
"""


def provisions(text: str) -> list[tuple[str, str]]:
    parsed = read_markdown(text.encode(), "plan.md")
    return [
        (kind, parsed.text[start:end])
        for start, end, kind in find_provisions(parsed.text, parsed.blocks)
    ]


def test_numbered_items_under_goal_and_measure_headings_are_provisions() -> None:
    assert provisions(PLAN) == [
        ("goal", "1. Våldsutsatta får stöd inom en vecka."),
        ("goal", "2. Alla skolor har en plan för trygghet."),
        ("measure", "- Socialtjänsten inför rutinmässiga frågor om våld."),
        ("measure", "- Polis och kommun tar fram en gemensam lägesbild."),
        (
            "goal",
            "Mål 5 Kunskap i hela organisationen\n\nKunskapen ska öka i alla förvaltningar."
            "\n\nÅtgärd 5.1 Grundutbildning för nya medarbetare.\n\nÅtgärder för att följa upp:"
            "\n\na) enkät vartannat år,",
        ),
        ("measure", "Åtgärd 5.1 Grundutbildning för nya medarbetare."),
        ("measure", "a) enkät vartannat år,"),
        ("measure", "1 | Inrätta en samordningsfunktion | Socialchef"),
        ("measure", "2.1 | Utbilda personalen | Samordnare"),
    ]


def test_a_pdf_plans_goals_and_measures_are_segments(tmp_path: Path, project: Project) -> None:
    path = steering_document(2).save(tmp_path / "Handlingsplan.pdf")
    [outcome] = import_sources(
        project, [ImportRequest(path, SourceMetadata(case="Trollhättan", kind="steering"))]
    )
    assert outcome.status == "imported", outcome.message
    text = project.db.execute("SELECT text FROM documents").fetchone()[0]
    found = project.db.execute(
        'SELECT kind, start, "end", page FROM segments'
        " WHERE kind IN ('goal', 'measure') ORDER BY start"
    ).fetchall()
    goals = [text[start:end] for kind, start, end, _ in found if kind == "goal"]
    measures = [text[start:end] for kind, start, end, _ in found if kind == "measure"]
    assert goals and len(goals) == len(measures)
    assert all(goal.startswith("Mål 1.") or goal.startswith("Mål 2.") for goal in goals)
    assert measures[0] == "Åtgärd 1 Ansvarig nämnd tar fram rutiner under 2024."
    # each goal's section holds its measure
    assert measures[0] in goals[0]
    assert {page for *_, page in found} <= {1, 2}


def test_an_interview_has_no_goal_segments(tmp_path: Path, project: Project) -> None:
    path = write_text(
        tmp_path / "intervju.txt",
        "I: Vilka mål har ni?\n\nIP: Mål 1: alla ska få stöd. Åtgärd 2. utbildning.\n",
    )
    [outcome] = import_sources(project, [ImportRequest(path)])
    assert outcome.status == "imported"
    assert project.db.execute(
        "SELECT count(*) FROM segments WHERE kind IN ('goal', 'measure')"
    ).fetchone() == (0,)


def test_word_list_items_under_a_measures_heading_are_measures(tmp_path: Path) -> None:
    import docx

    from vinr_qual.ingest.docx_reader import read_docx

    document = docx.Document()
    document.add_heading("3. Åtgärder", level=1)
    document.add_paragraph("Socialtjänsten inför frågor om våld.", style="List Bullet")
    document.add_paragraph("Skolan tar fram en plan.", style="List Number")
    document.add_paragraph("Uppföljningen sker årligen.")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    parsed = read_docx(path, str(path))
    found = [
        (kind, parsed.text[start:end])
        for start, end, kind in find_provisions(parsed.text, parsed.blocks)
    ]
    assert found == [
        ("measure", "Socialtjänsten inför frågor om våld."),
        ("measure", "Skolan tar fram en plan."),
    ]
