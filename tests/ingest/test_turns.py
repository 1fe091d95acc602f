"""Speaker turns in every transcript convention we meet, time stamps kept out of labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import write_text
from vinr_qual.ingest.metadata import SourceMetadata
from vinr_qual.ingest.pipeline import ImportRequest, import_sources
from vinr_qual.ingest.readers import read_source
from vinr_qual.ingest.turns import DEFAULT_PATTERNS, TurnRules, detect_turns
from vinr_qual.project import Project

RULES = TurnRules(dict(DEFAULT_PATTERNS))


def turns_of(tmp_path: Path, text: str, rules: TurnRules = RULES) -> list[tuple[str, str, str]]:
    """(label, whole turn, spoken words) for each turn."""
    parsed = read_source(write_text(tmp_path / "t.txt", text))
    return [
        (t.label, parsed.text[t.start : t.end], parsed.text[t.content_start : t.end])
        for t in detect_turns(parsed.text, parsed.blocks, rules)
    ]


def test_i_and_ip_with_leading_time_stamps(tmp_path: Path) -> None:
    text = (
        "Intervju i Testby\n\n[00:00:05] I: Vad gör du?\n\n"
        "[00:00:09] IP: Jag samordnar arbetet mot våld.\n\n[00:01:12] I: Sedan när?\n"
    )
    assert turns_of(tmp_path, text) == [
        ("I", "[00:00:05] I: Vad gör du?", "Vad gör du?"),
        ("IP", "[00:00:09] IP: Jag samordnar arbetet mot våld.", "Jag samordnar arbetet mot våld."),
        ("I", "[00:01:12] I: Sedan när?", "Sedan när?"),
    ]


def test_time_stamp_after_the_label_is_not_part_of_the_words(tmp_path: Path) -> None:
    text = "IP: [00:12:31] Det började 2019.\n\nI: (00:13:02) Och sedan?\n\nIP: Sedan inget.\n"
    found = turns_of(tmp_path, text)
    assert [(label, words) for label, _, words in found] == [
        ("IP", "Det började 2019."),
        ("I", "Och sedan?"),
        ("IP", "Sedan inget."),
    ]


def test_intervjuare_and_numbered_respondents_with_wrapped_lines(tmp_path: Path) -> None:
    text = (
        "Intervjuare: Berätta om samverkan med\npolisen.\n\n"
        "Respondent 1: Vi har en överenskommelse, men den\nföljs inte riktigt.\n\n"
        "Respondent 2: Nej. [skratt] Inte alls.\n\n"
        "Intervjuare: Varför inte?\n"
    )
    found = turns_of(tmp_path, text)
    assert [label for label, _, _ in found] == [
        "Intervjuare",
        "Respondent 1",
        "Respondent 2",
        "Intervjuare",
    ]
    assert found[1][2] == "Vi har en överenskommelse, men den\nföljs inte riktigt."


def test_initials_need_to_recur_so_header_lines_are_not_speakers(tmp_path: Path) -> None:
    text = (
        "Datum: 2025-11-19\nPlats: Socialkontoret\n\n"
        "EH: Då kör vi.\n\nBL: Ja.\n\nEH: Din roll?\n\nBL: Samordnare. [00:02:10]\n\n"
        "EH: Hur länge?\n\nBL: Sju år.\n"
    )
    found = turns_of(tmp_path, text)
    assert {label for label, _, _ in found} == {"EH", "BL"}
    assert found[3][2] == "Samordnare. [00:02:10]"


def test_consecutive_turn_lines_without_blank_lines(tmp_path: Path) -> None:
    text = "I: Ett.\nIP: Två.\nI: Tre.\nIP: Fyra.\n"
    assert [whole for _, whole, _ in turns_of(tmp_path, text)] == [
        "I: Ett.",
        "IP: Två.",
        "I: Tre.",
        "IP: Fyra.",
    ]


def test_markdown_bold_labels(tmp_path: Path) -> None:
    text = (
        "**Intervjuare:** Hur ser ni på lägesbilden?\n\n"
        "**Respondent:** Vi har ingen.\n\n**Intervjuare:** Varför?\n"
    )
    found = turns_of(tmp_path, text)
    assert [(label, words) for label, _, words in found] == [
        ("Intervjuare", "Hur ser ni på lägesbilden?"),
        ("Respondent", "Vi har ingen."),
        ("Intervjuare", "Varför?"),
    ]


def test_a_single_known_label_is_not_a_turn(tmp_path: Path) -> None:
    text = "Intervjuare: AL\nTranskriberad av: Johanna\n\nEn text utan samtal.\n"
    assert turns_of(tmp_path, text) == []


def test_project_patterns_can_add_a_convention(tmp_path: Path) -> None:
    text = "Fråga: Vad gör ni?\n\nSvar: Inte mycket.\n\nFråga: Varför?\n\nSvar: Resurser.\n"
    assert [label for label, _, _ in turns_of(tmp_path, text)] == [
        "Fråga",
        "Svar",
        "Fråga",
        "Svar",
    ], "Fråga and Svar are usual labels (issue 10: they were missed before)"
    text = "Fr: Vad gör ni?\n\nSv: Inte mycket.\n\nFr: Varför?\n\nSv: Resurser.\n"
    assert turns_of(tmp_path, text) == [], "names repeated twice are not enough by default"
    rules = TurnRules.from_settings(json.dumps({"known": "Fr|Sv"}), None)
    assert [label for label, _, _ in turns_of(tmp_path, text, rules)] == ["Fr", "Sv", "Fr", "Sv"]


def test_speakers_get_roles_and_turns_their_speaker(tmp_path: Path, project: Project) -> None:
    source = write_text(
        tmp_path / "Granby-01.txt",
        "Intervju genomförd av: MK\n\nMK: Din roll?\n\nLS: Socialchef.\n\nMK: Och budget?\n\n"
        "LS: Projektmedel.\n\nMK: Tack.\n\nLS: Tack själv.\n",
    )
    import_sources(
        project,
        [ImportRequest(source, SourceMetadata(case="Granby", interviewee_role="socialchef"))],
    )
    speakers = {
        row["label"]: (row["role"], row["is_interviewer"])
        for row in project.db.query("SELECT label, role, is_interviewer FROM speakers")
    }
    assert speakers == {"MK": ("intervjuare", 1), "LS": ("socialchef", 0)}
    spoken = project.db.execute(
        'SELECT d.text, s.start, s."end" FROM segments s JOIN documents d ON d.id = s.document_id'
        " JOIN speakers sp ON sp.id = s.speaker_id WHERE s.kind = 'sentence' AND sp.label = 'LS'"
        " ORDER BY s.start"
    ).fetchall()
    assert [text[start:end] for text, start, end in spoken] == [
        "Socialchef.",
        "Projektmedel.",
        "Tack själv.",
    ]


def test_speaker_roles_from_metadata_for_group_interviews(tmp_path: Path, project: Project) -> None:
    source = write_text(
        tmp_path / "grupp.txt",
        "Intervjuare: Fråga ett?\n\nRespondent 1: Svar.\n\nRespondent 2: Annat svar.\n\n"
        "Intervjuare: Fråga två?\n\nRespondent 1: Ja.\n\nRespondent 2: Nej.\n",
    )
    roles = {"Respondent 1": "enhetschef IFO", "Respondent 2": "regional samordnare"}
    import_sources(project, [ImportRequest(source, SourceMetadata(speaker_roles=roles))])
    found = dict(project.db.execute("SELECT label, role FROM speakers").fetchall())
    assert found == {"Intervjuare": "intervjuare", **roles}


@pytest.mark.parametrize("kind", ["steering"])
def test_steering_documents_get_no_turns(tmp_path: Path, project: Project, kind: str) -> None:
    source = write_text(
        tmp_path / "plan.txt",
        "Mål: färre otrygga.\n\nMål: fler utbildade.\n\nMål: en lägesbild.\n",
    )
    import_sources(project, [ImportRequest(source, SourceMetadata(kind=kind))])
    assert (
        project.db.execute("SELECT count(*) FROM segments WHERE kind = 'turn'").fetchone()[0] == 0
    )


def test_bad_speaker_patterns_are_refused_and_empty_ones_ignored(tmp_path: Path) -> None:
    from vinr_qual.ingest.turns import validate_patterns

    with pytest.raises(ValueError, match="named groups"):
        validate_patterns('{"known": "(?P<names>X)"}')
    rules = TurnRules.from_settings('{"known": ""}', None)
    found = turns_of(
        tmp_path, "MK: Ett.\n\nLS: Två.\n\nMK: Tre.\n\nLS: Fyra.\n\nMK: Fem.\n\nLS: Sex.\n", rules
    )
    assert [label for label, _, _ in found] == ["MK", "LS", "MK", "LS", "MK", "LS"]
