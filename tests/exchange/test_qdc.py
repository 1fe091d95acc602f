"""REFI-QDA codebooks: real files read leniently, our files valid against the schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.codebook.conftest import load_file
from tests.conftest import shared_path, write_text
from vinr_qual.codebook.project_codes import read_codebook
from vinr_qual.errors import VinrQualError
from vinr_qual.exchange.qdc import read_qdc, write_qdc
from vinr_qual.project import Project

XSD = "refi-qda/Codebook.xsd"

OURS = """<?xml version="1.0" encoding="UTF-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Testverktyget 2.1">
  <Codes>
    <Code guid="9a3e2b4c-1d5f-4e6a-8b7c-0d1e2f3a4b5c" name="Samordning med BF" isCodable="false" color="#E76F51">
      <Description>Hur arbetet mot våld hänger ihop med det brottsförebyggande.</Description>
      <Code guid="1b2c3d4e-5f60-4718-89ab-cdef01234567" name="Separata spår" isCodable="true" color="#F4A261">
        <Description>VINR och BF drivs var för sig.

Använd när:
Två planer, två samordnare, ingen kontakt.

Exempel:
- Vi har aldrig träffats.</Description>
      </Code>
      <Code guid="2c3d4e5f-6071-4829-9abc-def012345678" name="Integrerat" isCodable="true"/>
    </Code>
  </Codes>
  <Sets>
    <Set guid="3d4e5f60-7182-4930-abcd-ef0123456789" name="Strukturfrågor">
      <Description>Koder om struktur.</Description>
      <MemberCode guid="1b2c3d4e-5f60-4718-89ab-cdef01234567"/>
      <MemberCode guid="2c3d4e5f-6071-4829-9abc-def012345678"/>
    </Set>
  </Sets>
</CodeBook>
"""


def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(shared_path(XSD))))


def shape(path: Path) -> object:
    """Everything a .qdc says, as plain data, without the origin attribute."""
    root = etree.parse(str(path)).getroot()

    def code(element: etree._Element) -> object:
        description = element.find("{*}Description")
        return (
            element.get("guid"),
            element.get("name"),
            element.get("isCodable"),
            element.get("color"),
            description.text if description is not None else None,
            [code(child) for child in element.findall("{*}Code")],
        )

    sets = [
        (
            s.get("guid"),
            s.get("name"),
            s.findtext("{*}Description"),
            [m.get("guid") for m in s.findall("{*}MemberCode")],
        )
        for s in root.findall("{*}Sets/{*}Set")
    ]
    return [code(c) for c in root.findall("{*}Codes/{*}Code")], sets


def test_qdc_to_project_to_qdc_keeps_every_field(project: Project, tmp_path: Path) -> None:
    source = write_text(tmp_path / "in.qdc", OURS)
    assert schema().validate(etree.parse(str(source)))
    load_file(project, source)
    out = tmp_path / "out.qdc"
    write_qdc(read_codebook(project), out)
    assert shape(out) == shape(source)
    assert schema().validate(etree.parse(str(out))), schema().error_log


def test_the_yaml_codebook_exports_as_a_valid_qdc(
    project: Project, codebook_file: Path, tmp_path: Path
) -> None:
    load_file(project, codebook_file)
    out = tmp_path / "kodbok.qdc"
    write_qdc(read_codebook(project), out)
    validator = schema()
    assert validator.validate(etree.parse(str(out))), validator.error_log
    assert out.read_bytes().startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    text = out.read_text(encoding="utf-8")
    assert 'isCodable="false"' in text and "Använd när:" in text


REAL_WORLD = """\ufeff<?xml version="1.0" encoding="utf-8"?>
<CodeBook origin="NVivo 12 For Mac" xmlns="urn:QDA-XML:codebook:1:0">
  <Codes>
    <Code guid="{AB12CD34-EF56-4A78-9B0C-1D2E3F4A5B6C}" name="Hinder::Resurser" isCodable="true" color="rgb(200, 40, 40)"/>
    <Code guid="BC23DE45-F067-4B89-AC1D-2E3F4A5B6C7D" name="Hinder::Kompetens" isCodable="1" color="#abc"/>
    <Code guid="CD34EF56-0178-4C9A-BD2E-3F4A5B6C7D8E" name="Framgång" color="#11223344"/>
    <Code name="Utan guid" isCodable="false"/>
  </Codes>
  <Sets/>
</CodeBook>
"""


def test_real_world_oddities_are_read_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "nvivo.qdc"
    path.write_bytes(REAL_WORLD.encode("utf-8"))
    read = read_qdc(path)
    book = read.codebook
    assert read.origin == "NVivo 12 For Mac"
    assert [c.name for c in book.codes] == ["Hinder", "Framgång", "Utan guid"]
    folder = book.codes[0]
    assert not folder.codable
    assert [(c.name, c.id, c.color) for c in folder.children] == [
        ("Resurser", "ab12cd34-ef56-4a78-9b0c-1d2e3f4a5b6c", "#C82828"),
        ("Kompetens", "bc23de45-f067-4b89-ac1d-2e3f4a5b6c7d", "#AABBCC"),
    ]
    assert book.codes[1].color == "#112233" and book.codes[1].codable
    notes = " | ".join(read.notes)
    for expected in [
        "namespace 'urn:QDA-XML:codebook:1:0'",
        "byte-order mark",
        "no isCodable",
        "no guid",
        "empty <Sets/>",
        "'Parent::Child'",
        "without its alpha",
    ]:
        assert expected in notes, expected


def test_not_xml_is_refused_with_the_line(project: Project, tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "trasig.qdc", '<?xml version="1.0"?>\n<CodeBook>\n  <Codes>\n</CodeBook>\n'
    )
    with pytest.raises(VinrQualError, match=r"trasig\.qdc:4: not XML"):
        load_file(project, path)
    assert project.db["codes"].count == 0


def test_entity_declarations_are_refused_unexpanded(project: Project, tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="9a3e2b4c-1d5f-4e6a-8b7c-0d1e2f3a4b5c" name="&b;" isCodable="true"/>'
        "</Codes></CodeBook>"
    )
    path = write_text(tmp_path / "bomb.qdc", bomb)
    with pytest.raises(VinrQualError, match="declares entities"):
        load_file(project, path)
    assert project.db["codes"].count == 0


def test_another_root_is_not_a_codebook(tmp_path: Path) -> None:
    path = write_text(tmp_path / "projekt.qdc", '<Project xmlns="urn:QDA-XML:project:1.0"/>')
    with pytest.raises(VinrQualError, match="not a REFI-QDA codebook"):
        read_qdc(path)


def test_guidance_and_examples_of_several_lines_survive_a_qdc_round_trip(tmp_path: Path) -> None:
    from vinr_qual.codebook.model import Code, Codebook

    code = Code(
        name="Separata spår",
        id="1b2c3d4e-5f60-4718-89ab-cdef01234567",
        definition="Två planer.\nExempel: ett ord i löptexten, ingen rubrik.",
        use_when="När A.",
        not_when="När B.",
        examples=["Vi har aldrig träffats.", "En rad\noch en till."],
    )
    path = tmp_path / "k.qdc"
    write_qdc(Codebook(codes=[code]), path)
    assert read_qdc(path).codebook.codes == [code]
