"""The PDF reader on PDFs built here, line by line, with reportlab (tests/ingest/pdf_fixtures.py).

The action plan below has a title page without the running header, a header, a footer and
"Sida N av M" on every page, hyphenation at line ends of both kinds, numbered goals and
actions under headings of three levels, a table, a footnote, a page in two columns written
row by row across both (so only the positions tell the order), a scanned page in the
middle and a paragraph that runs on over a page break.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.ingest.pdf_fixtures import (
    GUTTER,
    LEFT,
    RIGHT,
    SENTENCES,
    PdfBuilder,
    deflate_bomb_pdf,
    image_only_pdf,
    many_pages_pdf,
    steering_document,
    wrap,
    zero_page_pdf,
)
from vinr_qual.errors import ImportRefused
from vinr_qual.ingest.model import ParsedSource
from vinr_qual.ingest.pdf_reader import MAX_PAGES, read_pdf

HEADER = "Handlingsplan mot våld i nära relationer 2024–2027"
FOOTER = "Trollhättans stad · Kommunstyrelsen"
COLUMN = (RIGHT - LEFT - GUTTER) / 2

SAMVERKAN = (
    "Samverkan mellan socialtjänsten, polisen och hälso- och sjukvården är en förutsättning"
    " för ett gott stöd."
)
NATVERK = (
    "Kommunen deltar i det regionala nätverket mot våld och bjuder in till gemensamma"
    " utbildningsdagar för personal som möter våldsutsatta i sitt arbete varje vecka och i"
    " alla verksamheter."
)
FORENINGAR = (
    "Frivilligorganisationerna är viktiga parter i arbetet och får föreningsbidrag för sin"
    " verksamhet med stödsamtal."
)
REVIDERING = " ".join(
    f"Under år {year} ses planen över av kommunstyrelsen, som också beslutar om de ändringar"
    " som uppföljningen visar behövs för att målen ska nås i alla verksamheter."
    for year in range(2024, 2052)
)


def plan(word_by_word: bool = False) -> PdfBuilder:
    builder = PdfBuilder(
        header=HEADER,
        footer=FOOTER,
        page_number="Sida {page} av {pages}",
        header_from_page=2,
        word_by_word=word_by_word,
    )
    # page 1
    builder.heading("1 Inledning", 1)
    builder.paragraph(
        [
            "Trollhättans stad antog 2023 en handlingsplan för kommun-",
            "ens arbete mot våld i nära relationer. Planen gäller alla nämnder",
            "och bolag och följs upp varje år.",
        ]
    )
    builder.paragraph(
        [
            "Planen samordnas med BF-",
            "arbetet och med ANDTS-",
            "strategin för perioden 2023-",
            "2026, och den gäller särskilt förskole-",
            "och skolverksamheten.",
        ]
    )
    builder.paragraph(
        [
            "Invånarna kan söka stöd dygnet runt genom kommunens e-",
            "tjänster. Alla e-tjänster ska finnas på lätt svenska.",
        ]
    )
    builder.heading("2 Mål och åtgärder", 1)
    builder.heading("2.1 Tidig upptäckt", 2)
    builder.paragraph(["**Mål 2.1** Kommunens medarbetare ska kunna upptäcka våld tidigt."])
    builder.paragraph(["**Åtgärd 3** Socialtjänsten utbildar all personal i FREDA^1 under 2024."])
    builder.heading("Uppföljning", 3)
    builder.paragraph(["Nyckeltalen redovisas i tabellen."])
    builder.table(
        [
            ["Mål", "Indikator", "Ansvar"],
            ["2.1", "Andel utbildad personal", "Socialnämnden"],
            ["2.2", "Antal stödsamtal", "Barn- och utbildningsnämnden"],
        ],
        [60, 180, 200],
    )
    builder.footnote(1, "FREDA är Socialstyrelsens standardiserade bedömningsmetoder.")
    # page 2: two columns under a full-width heading, written row by row across both
    builder.new_page()
    builder.heading("3 Samverkan", 1)
    natverk = wrap(NATVERK, COLUMN)
    assert natverk[3][0].islower()  # the paragraph runs on into the right column
    builder.columns(
        [wrap(SAMVERKAN, COLUMN), natverk[:3]],
        [natverk[3:], wrap(FORENINGAR, COLUMN)],
        interleaved=True,
    )
    builder.paragraph(["Lokalen för stödsamtal är 45 m^2 stor och ligger centralt."])
    # page 3: a scanned page; pages 4 and 5: a paragraph over the page break
    builder.image_page()
    builder.heading("4 Uppföljning och revidering", 1)
    builder.paragraph(REVIDERING)
    assert len(builder.pages) == 5 and builder.pages[4].lines[0].text[0].islower()
    builder.paragraph("Planen gäller till och med 2027.")
    return builder


@pytest.fixture(scope="module", params=[False, True], ids=["spaces", "words-placed-one-by-one"])
def plan_pdf(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[PdfBuilder, ParsedSource]:
    """The plan as one PDF with its spaces as characters, and as one with every word
    placed on its own (no space characters: only the gaps tell where words end)."""
    builder = plan(word_by_word=request.param)
    path = builder.save(tmp_path_factory.mktemp("pdf") / "plan.pdf")
    return builder, read_pdf(path, "plan.pdf")


def blocks(parsed: ParsedSource) -> list[tuple[str, int | None, str]]:
    return [(b.kind, b.level, parsed.text[b.start : b.end]) for b in parsed.blocks]


def page_of(parsed: ParsedSource, passage: str) -> int:
    position = parsed.text.index(passage)
    assert parsed.page_starts is not None
    return sum(1 for start in parsed.page_starts if start <= position)


# ------------------------------------------------------------------------ the plan


def test_the_first_two_pages_read_exactly(plan_pdf: tuple[PdfBuilder, ParsedSource]) -> None:
    _, parsed = plan_pdf
    expected = [
        ("heading", 1, "1 Inledning"),
        (
            "paragraph",
            None,
            "Trollhättans stad antog 2023 en handlingsplan för kommunens arbete mot våld i"
            " nära relationer. Planen gäller alla nämnder och bolag och följs upp varje år.",
        ),
        (
            "paragraph",
            None,
            "Planen samordnas med BF-arbetet och med ANDTS-strategin för perioden 2023-2026,"
            " och den gäller särskilt förskole- och skolverksamheten.",
        ),
        (
            "paragraph",
            None,
            "Invånarna kan söka stöd dygnet runt genom kommunens e-tjänster. Alla e-tjänster"
            " ska finnas på lätt svenska.",
        ),
        ("heading", 1, "2 Mål och åtgärder"),
        ("heading", 2, "2.1 Tidig upptäckt"),
        ("paragraph", None, "Mål 2.1 Kommunens medarbetare ska kunna upptäcka våld tidigt."),
        ("paragraph", None, "Åtgärd 3 Socialtjänsten utbildar all personal i FREDA under 2024."),
        ("heading", 3, "Uppföljning"),
        ("paragraph", None, "Nyckeltalen redovisas i tabellen."),
        ("paragraph", None, "Mål | Indikator | Ansvar"),
        ("paragraph", None, "2.1 | Andel utbildad personal | Socialnämnden"),
        ("paragraph", None, "2.2 | Antal stödsamtal | Barn- och utbildningsnämnden"),
        ("note", None, "[Fotnot 1] FREDA är Socialstyrelsens standardiserade bedömningsmetoder."),
        ("heading", 1, "3 Samverkan"),
        ("paragraph", None, SAMVERKAN),
        ("paragraph", None, NATVERK),
        ("paragraph", None, FORENINGAR),
        ("paragraph", None, "Lokalen för stödsamtal är 45 m² stor och ligger centralt."),
        ("heading", 1, "4 Uppföljning och revidering"),
        ("paragraph", None, REVIDERING),
        ("paragraph", None, "Planen gäller till och med 2027."),
    ]
    assert blocks(parsed) == expected


def test_running_headers_footers_and_page_numbers_are_left_out(
    plan_pdf: tuple[PdfBuilder, ParsedSource],
) -> None:
    _, parsed = plan_pdf
    for furniture in ("Handlingsplan mot våld", "Trollhättans stad ·", "Kommunstyrelsen", "Sida "):
        assert furniture not in parsed.text
    assert any("running headers, footers and page numbers left out" in n for n in parsed.notes)


def test_rows_stand_one_a_line_and_make_the_table(
    plan_pdf: tuple[PdfBuilder, ParsedSource],
) -> None:
    _, parsed = plan_pdf
    assert len(parsed.tables) == 1
    start, end = parsed.tables[0]
    assert parsed.text[start:end] == (
        "Mål | Indikator | Ansvar\n"
        "2.1 | Andel utbildad personal | Socialnämnden\n"
        "2.2 | Antal stödsamtal | Barn- och utbildningsnämnden"
    )


def test_blocks_are_separated_by_blank_lines_and_text_is_normalised(
    plan_pdf: tuple[PdfBuilder, ParsedSource],
) -> None:
    _, parsed = plan_pdf
    text = parsed.text
    assert "\r" not in text and "\u00ad" not in text
    for before, after in zip(parsed.blocks, parsed.blocks[1:], strict=False):
        gap = text[before.end : after.start]
        assert gap in ("\n", "\n\n"), gap
        assert text[after.start : after.end] == text[after.start : after.end].strip()
    assert parsed.source_format == "pdf"


def test_page_starts_give_the_page_of_each_passage(
    plan_pdf: tuple[PdfBuilder, ParsedSource],
) -> None:
    builder, parsed = plan_pdf
    assert parsed.page_starts is not None
    assert len(parsed.page_starts) == 5
    assert parsed.page_starts[0] == 0
    assert parsed.page_starts == sorted(parsed.page_starts)
    assert page_of(parsed, "1 Inledning") == 1
    assert page_of(parsed, "[Fotnot 1]") == 1
    assert parsed.page_starts[1] == parsed.text.index("3 Samverkan")
    assert page_of(parsed, "Frivilligorganisationerna") == 2
    # page 3 is a scan: it has no text, and the next page's text starts where it does
    assert parsed.page_starts[2] == parsed.page_starts[3]
    assert parsed.page_starts[3] == parsed.text.index("4 Uppföljning och revidering")
    # page 5 begins in the middle of the paragraph that runs on from page 4
    first_on_five = builder.pages[4].lines[0].text
    assert parsed.text[parsed.page_starts[4] :].startswith(first_on_five)
    paragraph = next(b for b in parsed.blocks if parsed.text[b.start : b.end] == REVIDERING)
    assert paragraph.start < parsed.page_starts[3 + 1] < paragraph.end


def test_pages_without_text_are_named(plan_pdf: tuple[PdfBuilder, ParsedSource]) -> None:
    _, parsed = plan_pdf
    assert "page 3 has no text (images?)" in parsed.notes
    assert "page 2 read in two columns" in parsed.notes
    assert "1 footnote kept as notes at the foot of their page" in parsed.notes


# ----------------------------------------------------------- layout, piece by piece


def read(builder: PdfBuilder, tmp_path: Path) -> ParsedSource:
    return read_pdf(builder.save(tmp_path / "doc.pdf"), "doc.pdf")


def test_two_columns_written_column_by_column_read_the_same(tmp_path: Path) -> None:
    builder = PdfBuilder(footer=FOOTER, page_number=None)
    builder.heading("3 Samverkan", 1)
    natverk = wrap(NATVERK, COLUMN)
    builder.columns([wrap(SAMVERKAN, COLUMN), natverk[:3]], [natverk[3:], wrap(FORENINGAR, COLUMN)])
    parsed = read(builder, tmp_path)
    # one page gives no repetition to find the footer by: it stays, after the columns
    expected = ["3 Samverkan", SAMVERKAN, NATVERK, FORENINGAR, FOOTER]
    assert [text for _, _, text in blocks(parsed)] == expected


def test_a_first_line_indent_starts_a_paragraph_without_a_gap(tmp_path: Path) -> None:
    builder = PdfBuilder(page_number=None)
    first = wrap("Kommunen ska ha en samordnare för arbetet mot våld. " * 3, RIGHT - LEFT - 18)
    second = wrap(
        "Samordnaren rapporterar till socialchefen varje kvartal. " * 3, RIGHT - LEFT - 18
    )
    builder.paragraph(first, indent=18, gap=False)
    builder.paragraph(second, indent=18, gap=False)
    parsed = read(builder, tmp_path)
    assert [text for _, _, text in blocks(parsed)] == [" ".join(first), " ".join(second)]


def test_list_items_are_paragraphs_of_their_own(tmp_path: Path) -> None:
    builder = PdfBuilder(page_number=None)
    builder.paragraph(["Åtgärderna är:"], gap=False)
    builder.paragraph(["• utbildning för all personal,"], gap=False)
    builder.paragraph(["• en gemensam rutin för orosanmälan och"], gap=False)
    builder.paragraph(["• stöd till barn som bevittnat våld."], gap=False)
    parsed = read(builder, tmp_path)
    assert [text for _, _, text in blocks(parsed)] == [
        "Åtgärderna är:",
        "• utbildning för all personal,",
        "• en gemensam rutin för orosanmälan och",
        "• stöd till barn som bevittnat våld.",
    ]


def test_a_single_page_keeps_its_lone_number_as_text(tmp_path: Path) -> None:
    """Furniture is found by repetition: one page gives nothing to compare with."""
    builder = PdfBuilder(page_number="{page}")
    builder.paragraph(["En sida med text."])
    parsed = read(builder, tmp_path)
    assert [text for _, _, text in blocks(parsed)] == ["En sida med text.", "1"]


def test_a_steering_document_loses_no_word(tmp_path: Path) -> None:
    builder = steering_document(8)
    parsed = read(builder, tmp_path)
    headings = [(level, text) for kind, level, text in blocks(parsed) if kind == "heading"]
    assert headings[0] == (1, "1 Inriktning för område 1")
    assert headings[1][0] == 2 and headings[1][1].startswith("Mål 1.1 ")
    assert {level for level, _ in headings} == {1, 2}
    source = Counter(re.findall(r"\w+", " ".join(builder.source_words)))
    found = Counter(re.findall(r"\w+", parsed.text))
    assert source - found == Counter()
    extra = found - source
    assert set(extra) <= {"Fotnot"} | {str(n) for n in range(1, 20)}
    assert "Sida" not in found and "Handlingsplan" not in found
    assert parsed.page_starts is not None and len(parsed.page_starts) == 8


# ------------------------------------------- justified text, hanging lists, wrapped cells

OMRADE = (
    "Kommunen arbetar förebyggande mot våld i nära relationer och samverkar med polisen,"
    " regionen och civilsamhället i alla delar av arbetet."
)


def texts(parsed: ParsedSource) -> list[str]:
    return [text for _, _, text in blocks(parsed)]


def test_justified_lines_with_word_spaces_wider_than_a_cell_gap_read_as_text(
    tmp_path: Path,
) -> None:
    """Justified lines of few long words get word spaces of over 0.8 em; all alike in a
    line and lined up with nothing above or below, they are word spaces, not cells."""
    builder = PdfBuilder(page_number=None)
    builder.justified(
        [
            "Kommunfullmäktige antog den gemensamma handlingsplanen för trygghet och",
            "våldsförebyggande arbete. Socialtjänstlagens bestämmelser om stöd till",
            "våldsutsatta kvinnor, barn som bevittnat våld och våldsutövare gäller",
            "samverkansöverenskommelsen, brottsförebyggande, socialförvaltningen",
            "lokalpolisområdet.",
        ]
    )
    builder.justified(["Planen följs upp varje år."])
    parsed = read(builder, tmp_path)
    assert texts(parsed) == [
        "Kommunfullmäktige antog den gemensamma handlingsplanen för trygghet och"
        " våldsförebyggande arbete. Socialtjänstlagens bestämmelser om stöd till våldsutsatta"
        " kvinnor, barn som bevittnat våld och våldsutövare gäller samverkansöverenskommelsen,"
        " brottsförebyggande, socialförvaltningen lokalpolisområdet.",
        "Planen följs upp varje år.",
    ]
    assert parsed.tables == []


def test_justified_columns_read_column_by_column_with_their_hyphens_undone(
    tmp_path: Path,
) -> None:
    builder = PdfBuilder(page_number=None)
    builder.heading("2 Utgångspunkter", 1)
    left = [
        "Handlingsplanen utgår från lagen",
        "(2023:196) om kommuners ansvar för",
        "brottsförebyggande arbete, social-",
        "tjänstlagen och den nationella",
        "strategin mot våld. Lokalt bygger",
        "handlingsplanen på samverkansöver-",
        "enskommelsen mellan kommunen",
        "och lokalpolisområdet.",
    ]
    right = [
        "Kommunen gör ingen åtskillnad",
        "mellan våld som sker i det offentliga",
        "rummet och våld som sker i hemmet.",
        "Riskfaktorerna är gemensamma för",
        "områdena: normer om maskulinitet",
        "och kontroll, alkohol och droger.",
    ]
    builder.columns([left], [right], justify=True)
    parsed = read(builder, tmp_path)
    assert texts(parsed) == [
        "2 Utgångspunkter",
        "Handlingsplanen utgår från lagen (2023:196) om kommuners ansvar för"
        " brottsförebyggande arbete, socialtjänstlagen och den nationella strategin mot våld."
        " Lokalt bygger handlingsplanen på samverkansöverenskommelsen mellan kommunen och"
        " lokalpolisområdet.",
        "Kommunen gör ingen åtskillnad mellan våld som sker i det offentliga rummet och våld"
        " som sker i hemmet. Riskfaktorerna är gemensamma för områdena: normer om maskulinitet"
        " och kontroll, alkohol och droger.",
    ]
    assert parsed.tables == []
    assert "page 1 read in two columns" in parsed.notes


GOALS_WRAPPED = [
    [
        "Kommunen har en aktuell bild av våldet. En kartläggning av våld i nära relationer",
        "genomförs varje år, första gången senast den 31 oktober 2025. Kartlägg-",
        "ningen omfattar socialtjänstens ärenden och polisens statistik.",
    ],
    ["All personal har grundläggande kunskap om våld."],
    [
        "Våld upptäcks tidigt. Frågor om våld ställs rutinmässigt i samtliga nya ärenden",
        "inom ekonomiskt bistånd, missbruks- och beroendevård och äldreomsorgens",
        "biståndshandläggning senast 2026.",
    ],
    ["Den som utövar våld erbjuds behandling."],
]
GOALS_READ = [
    "1. Kommunen har en aktuell bild av våldet. En kartläggning av våld i nära relationer"
    " genomförs varje år, första gången senast den 31 oktober 2025. Kartläggningen omfattar"
    " socialtjänstens ärenden och polisens statistik.",
    "2. All personal har grundläggande kunskap om våld.",
    "3. Våld upptäcks tidigt. Frågor om våld ställs rutinmässigt i samtliga nya ärenden inom"
    " ekonomiskt bistånd, missbruks- och beroendevård och äldreomsorgens"
    " biståndshandläggning senast 2026.",
    "4. Den som utövar våld erbjuds behandling.",
]


@pytest.mark.parametrize("justify", [False, True], ids=["ragged", "justified"])
def test_a_numbered_list_with_a_hanging_indent_reads_an_item_a_paragraph(
    tmp_path: Path, justify: bool
) -> None:
    """The number set apart from the text (a tab) and the item's wrapped lines under its
    text: "1. text", one paragraph an item, not table rows."""
    builder = PdfBuilder(page_number=None)
    builder.paragraph(["Handlingsplanen har fyra mål:"])
    builder.numbered(GOALS_WRAPPED, justify=justify)
    builder.paragraph(["Målen följs upp två gånger per år."])
    parsed = read(builder, tmp_path)
    assert texts(parsed) == [
        "Handlingsplanen har fyra mål:",
        *GOALS_READ,
        "Målen följs upp två gånger per år.",
    ]
    assert parsed.tables == []


def test_list_items_with_letters_or_bullets_and_hanging_lines(tmp_path: Path) -> None:
    builder = PdfBuilder(page_number=None)
    items = [
        [
            "brottsförebyggande arbete och trygghet för alla invånare i hela kommunen och i",
            "alla bostadsområden,",
        ],
        ["hedersrelaterat våld och förtryck."],
    ]
    builder.numbered(items, labels=["a)", "b)"], justify=True)
    builder.numbered(
        [
            [
                "Vision Brovalla 2030 med mål för trygghet, delaktighet och hälsa för alla som",
                "bor och verkar i kommunen",
            ],
            ["Medborgarlöfte för kommunen och lokalpolisområdet"],
        ],
        labels=["•", "•"],
        justify=True,
    )
    parsed = read(builder, tmp_path)
    assert texts(parsed) == [
        "a) brottsförebyggande arbete och trygghet för alla invånare i hela kommunen och i"
        " alla bostadsområden,",
        "b) hedersrelaterat våld och förtryck.",
        "• Vision Brovalla 2030 med mål för trygghet, delaktighet och hälsa för alla som bor"
        " och verkar i kommunen",
        "• Medborgarlöfte för kommunen och lokalpolisområdet",
    ]


def test_a_list_item_whose_lines_go_back_to_the_margin_stays_whole(tmp_path: Path) -> None:
    builder = PdfBuilder(page_number=None)
    builder.numbered(GOALS_WRAPPED[:2], hanging=False)
    parsed = read(builder, tmp_path)
    assert texts(parsed) == GOALS_READ[:2]


def test_a_line_back_at_the_margin_after_hanging_lines_ends_the_item(tmp_path: Path) -> None:
    builder = PdfBuilder(page_number=None)
    builder.numbered(
        [
            [
                "Kommunen har en aktuell bild av våldet och kartlägger det varje år i samverkan",
                "med polisen och regionen",
            ]
        ]
    )
    builder.y += 11  # no gap before the paragraph after the list
    builder.paragraph(
        [
            "Uppföljningen görs av socialnämnden varje år och redovisas för kommunstyrelsen i",
            "samband med årsredovisningen.",
        ]
    )
    parsed = read(builder, tmp_path)
    assert texts(parsed) == [
        "1. Kommunen har en aktuell bild av våldet och kartlägger det varje år i samverkan med"
        " polisen och regionen",
        "Uppföljningen görs av socialnämnden varje år och redovisas för kommunstyrelsen i"
        " samband med årsredovisningen.",
    ]


def test_a_hanging_list_item_runs_on_over_a_page_break(tmp_path: Path) -> None:
    builder = PdfBuilder(header="Handlingsplan mot våld 2025–2027", page_number="Sida {page}")
    filler = wrap(" ".join(SENTENCES * 7), RIGHT - LEFT)[:46]
    builder.paragraph(filler)
    builder.numbered(
        [
            [
                "Den som utsätts får snabbt stöd. Den som söker stöd på grund av våld erbjuds",
                "en första kontakt inom två arbetsdagar. Strukturerade riskbedömningar med",
                "FREDA görs i samtliga ärenden.",
            ],
            ["Den som utövar våld erbjuds behandling."],
        ],
        justify=True,
    )
    assert builder.pages[1].lines[0].text.startswith("FREDA")
    parsed = read(builder, tmp_path)
    assert texts(parsed) == [
        " ".join(filler),
        "1. Den som utsätts får snabbt stöd. Den som söker stöd på grund av våld erbjuds en"
        " första kontakt inom två arbetsdagar. Strukturerade riskbedömningar med FREDA görs i"
        " samtliga ärenden.",
        "2. Den som utövar våld erbjuds behandling.",
    ]
    assert page_of(parsed, "FREDA görs") == 2


def test_table_cells_that_wrap_stay_in_their_rows(tmp_path: Path) -> None:
    """A cell wrapped onto further lines, in the first column as in the others, belongs to
    its row (the first column's wrapped line is set closer than the rows are apart)."""
    builder = PdfBuilder(page_number=None)
    builder.paragraph(["Ansvaret fördelas så här."])
    rows = [
        ["Aktör", "Ansvar"],
        ["Kommunfullmäktige", "Antar handlingsplanen"],
        ["Enheten för trygghet och våldsprevention", "Samordning, lägesbild och metodstöd"],
        [
            "Socialnämnden",
            "Stöd till våldsutsatta och barn, insatser för våldsutövare och unga i riskzon",
        ],
        ["Kultur- och fritidsnämnden", "Öppen fritidsverksamhet"],
        ["AB Sjöbergahem och Sjöberga Energi AB", "Trygghet i bostadsområden"],
    ]
    builder.table(rows, [140, 290], wrap=True)
    assert len(builder.page.lines) - 1 > 2 * len(rows)  # some cells did wrap
    builder.paragraph(["Styrgruppen sammanträder sex gånger per år."])
    parsed = read(builder, tmp_path)
    table = [" | ".join(row) for row in rows]
    assert texts(parsed) == [
        "Ansvaret fördelas så här.",
        *table,
        "Styrgruppen sammanträder sex gånger per år.",
    ]
    assert len(parsed.tables) == 1
    start, end = parsed.tables[0]
    assert parsed.text[start:end] == "\n".join(table)


def test_a_table_of_one_word_cells_is_a_table_not_justified_text(tmp_path: Path) -> None:
    builder = PdfBuilder(page_number=None)
    builder.paragraph(OMRADE)
    rows = [
        ["Verksamhet", "Kontakt"],
        ["Socialtjänsten", "Samordnaren"],
        ["Polisen", "Kommunpolisen"],
        ["Skolan", "Rektorn"],
    ]
    builder.table(rows, [150, 150])
    builder.paragraph(OMRADE)
    parsed = read(builder, tmp_path)
    assert texts(parsed) == [OMRADE, *(" | ".join(row) for row in rows), OMRADE]
    assert len(parsed.tables) == 1


def test_pages_of_justified_columns_read_word_for_word_in_order(tmp_path: Path) -> None:
    """Narrow justified columns have wide word spaces in many lines, at places that now
    and then fall in line with a word of the line above or below by chance: none of it
    may be taken for a table or keep the page from being read column by column."""
    import random

    chooser = random.Random(1)
    builder = PdfBuilder(header=HEADER, page_number="Sida {page}")
    for _ in range(6):
        paragraphs = [
            wrap(" ".join(chooser.choice(SENTENCES) for _ in range(7)), COLUMN) for _ in range(6)
        ]
        builder.columns(paragraphs[:3], paragraphs[3:], justify=True)
        builder.new_page()
    parsed = read(builder, tmp_path)
    assert parsed.text.split() == builder.source_words
    assert parsed.tables == []
    assert "pages 1, 2, 3, 4, 5, 6 read in two columns" in parsed.notes


def test_a_title_whose_last_line_is_its_years_is_one_heading(tmp_path: Path) -> None:
    builder = PdfBuilder(page_number=None)
    builder.heading(["Gemensam handlingsplan för trygghet", "2025–2027"], 1)
    builder.paragraph(" ".join([OMRADE] * 3))
    builder.heading("Inledning", 2)
    builder.paragraph(" ".join([OMRADE] * 2))
    parsed = read(builder, tmp_path)
    assert blocks(parsed) == [
        ("heading", 1, "Gemensam handlingsplan för trygghet 2025–2027"),
        ("paragraph", None, " ".join([OMRADE] * 3)),
        ("heading", 2, "Inledning"),
        ("paragraph", None, " ".join([OMRADE] * 2)),
    ]


# -------------------------------------------------------------------------- refusals


def refusal(tmp_path: Path, data: bytes, name: str = "bad.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ImportRefused) as caught:
        read_pdf(path, name)
    message = str(caught.value)
    assert message.startswith(f"{name}: ") and "\n" not in message
    return message


def test_a_scanned_pdf_is_refused(tmp_path: Path) -> None:
    message = refusal(tmp_path, image_only_pdf(2))
    assert "no text layer on any of its 2 pages, 2 with images (a scanned PDF?)" in message
    assert "OCR" in message


def test_a_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    builder = PdfBuilder()
    builder.paragraph(["Hemlig text."])
    message = refusal(tmp_path, builder.pdf_bytes(encrypt="hemligt"))
    assert "password-protected" in message


def test_a_pdf_encrypted_without_an_opening_password_is_read(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    builder = PdfBuilder(page_number=None)
    builder.paragraph(["Texten får läsas men inte ändras."])
    encryption = StandardEncryption("", ownerPassword="ägare", canModify=0)
    path = tmp_path / "owner.pdf"
    path.write_bytes(builder.pdf_bytes(encrypt=encryption))  # type: ignore[arg-type]
    parsed = read_pdf(path, "owner.pdf")
    assert parsed.text == "Texten får läsas men inte ändras."
    assert any("encrypted without a password" in note for note in parsed.notes)


def test_a_truncated_pdf_is_refused(tmp_path: Path) -> None:
    data = plan().pdf_bytes()
    message = refusal(tmp_path, data[: len(data) // 2])
    assert "truncated" in message


def test_a_damaged_pdf_is_refused(tmp_path: Path) -> None:
    message = refusal(tmp_path, b"%PDF-1.7\n" + b"\x8f\x00trasigt innehall" * 50 + b"\n%%EOF\n")
    assert "damaged" in message


def test_a_pdf_without_pages_is_refused(tmp_path: Path) -> None:
    assert "has no pages" in refusal(tmp_path, zero_page_pdf())


def test_not_a_pdf_and_an_empty_file_are_refused(tmp_path: Path) -> None:
    assert "not a PDF file" in refusal(tmp_path, "Det här är ingen PDF.".encode())
    assert "empty" in refusal(tmp_path, b"", "tom.pdf")


def test_a_pdf_with_too_many_pages_is_refused_before_reading_them(tmp_path: Path) -> None:
    start = time.perf_counter()
    message = refusal(tmp_path, many_pages_pdf(MAX_PAGES + 1))
    assert f"{MAX_PAGES + 1} pages is more than a PDF may have" in message
    assert time.perf_counter() - start < 5


def test_a_stream_that_inflates_without_end_is_refused(tmp_path: Path) -> None:
    import tracemalloc

    data = deflate_bomb_pdf(200)  # 200 MiB of spaces in about 200 kB
    tracemalloc.start()
    try:
        message = refusal(tmp_path, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "inflates to more than 64 MB (a PDF bomb?)" in message
    assert peak < 16 * 1024 * 1024


def test_a_stream_compressed_three_times_over_is_refused(tmp_path: Path) -> None:
    from tests.ingest.pdf_fixtures import raw_pdf

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 8 /Filter [/FlateDecode /FlateDecode /FlateDecode] >>",
    ]
    message = refusal(tmp_path, raw_pdf(objects, {4: b"x" * 8}))
    assert "compressed 3 times over" in message


# -------------------------------------------------------------------------- into a project


def test_a_pdf_imports_with_the_page_of_every_segment(tmp_path: Path) -> None:
    from vinr_qual.cases.documents import find_document
    from vinr_qual.cases.places import place_of
    from vinr_qual.ingest.metadata import SourceMetadata
    from vinr_qual.ingest.pipeline import ImportRequest, import_sources
    from vinr_qual.project import Project

    path = steering_document(4).save(tmp_path / "Handlingsplan.pdf")
    with Project.open(tmp_path / "projekt.sqlite", create=True) as project:
        [outcome] = import_sources(
            project, [ImportRequest(path, SourceMetadata(case="Trollhättan", kind="steering"))]
        )
        assert outcome.status == "imported", outcome.message
        document_id = find_document(project, "Handlingsplan.pdf")
        text = project.db.execute("SELECT text FROM documents").fetchone()[0]
        starts = json.loads(project.db.execute("SELECT page_starts FROM documents").fetchone()[0])
        assert len(starts) == 4 and starts[0] == 0
        pages = {
            page
            for (page,) in project.db.execute(
                "SELECT DISTINCT page FROM segments WHERE document_id = ?", [document_id]
            )
        }
        assert pages == {1, 2, 3, 4}
        headings = project.db.execute(
            "SELECT count(*) FROM segments WHERE kind = 'heading'"
        ).fetchone()[0]
        assert headings >= 4
        # a passage over the second page break is cited with both pages
        across = (starts[2] - 10, starts[2] + 10)
        assert place_of(project, document_id, *across).page_mark == "s. 2–3"
        assert place_of(project, document_id, 0, 20).marks() == "s. 1"
        assert "Sida" not in text
