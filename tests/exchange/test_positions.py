"""Positions in other tools' countings land on the same characters as ours."""

from __future__ import annotations

from vinr_qual.exchange.positions import (
    Counting,
    Ruler,
    Span,
    choose_counting,
    export_index,
    export_text,
)
from vinr_qual.ingest.normalise import normalise, normalise_mapped

NVIVO = Counting(utf16=True, crlf_as_two=True)
ATLAS = Counting(utf16=False, crlf_as_two=False)


def _utf16_position(raw: str, index: int, *, crlf_as_two: bool = True) -> int:
    """What a UTF-16 producer counts before raw[index], worked out the slow way."""
    before = raw[:index].removeprefix("\ufeff")
    if not crlf_as_two:
        before = before.replace("\r\n", "\n")
    return len(before.encode("utf-16-le")) // 2


def test_utf16_units_count_an_emoji_twice_and_land_on_the_same_characters() -> None:
    raw = "\ufeffVi började 🙂 i fjol.\r\nSamverkan 👍🏽 med polisen.\r\n"
    ruler = Ruler(raw, NVIVO)
    for word in ("i fjol", "Samverkan", "med polisen"):
        index = raw.index(word)
        position = _utf16_position(raw, index)
        assert ruler.raw_index(position) == index
        end = index + len(word)
        assert ruler.raw_index(_utf16_position(raw, end), end=True) == end


def test_a_position_inside_a_surrogate_pair_or_beyond_the_text_is_refused() -> None:
    raw = "a🙂b"
    ruler = Ruler(raw, NVIVO)
    assert ruler.raw_index(2) is None  # between the two halves of 🙂
    assert ruler.raw_index(3) == 2
    assert ruler.raw_index(5) is None and ruler.raw_index(-1) is None


def test_crlf_counted_once_as_atlas_does() -> None:
    raw = "Första raden.\r\nAndra raden.\r\nTredje."
    ruler = Ruler(raw, ATLAS)
    lf = raw.replace("\r\n", "\n")
    start = lf.index("Tredje")
    assert ruler.raw_index(start) == raw.index("Tredje")
    assert ruler.raw_index(lf.index("raden.\nTredje") + 6, end=True) == raw.index("\r\nTredje")


def test_the_counting_that_fits_the_selections_is_chosen() -> None:
    raw = "\ufeffI: Hur går det? 🙂\r\nIP: Det går bra med samverkan.\r\nI: Och polisen?\r\n"
    words = ["Hur går det", "samverkan", "polisen", "Det går bra"]
    spans = []
    for word in words:
        index = raw.index(word)
        spans.append(
            Span(_utf16_position(raw, index), _utf16_position(raw, index + len(word)), word)
        )
    counting, fitted = choose_counting(raw, spans, origin="SomeTool 2.1")
    assert counting == NVIVO and fitted
    # the producer's known counting is kept when it fits
    assert choose_counting(raw, spans, origin="NVivo 14") == (NVIVO, False)
    # code points, CRLF as one
    spans = [Span(raw.replace("\r\n", "\n").index(w) - 1, 0, w) for w in words]
    spans = [Span(s.start, s.start + len(s.name or ""), s.name) for s in spans]
    assert choose_counting(raw, spans, origin=None)[0] == Counting(utf16=False, crlf_as_two=False)


def test_plain_text_needs_no_choice() -> None:
    assert choose_counting("bara vanlig text", [Span(0, 4)], origin=None) == (Counting(), False)


def test_export_profiles_write_positions_that_read_back() -> None:
    text = "Rad ett 🙂\nRad två med ord\n"
    for crlf, bom, counting in (
        (False, False, Counting()),
        (True, True, NVIVO),
        (True, False, ATLAS),
    ):
        raw = export_text(text, crlf=crlf, bom=bom)
        ruler = Ruler(raw, counting)
        index = text.index("två")
        position = ruler.position(export_index(text, index, crlf=crlf, bom=bom))
        back = ruler.raw_index(position)
        assert back is not None
        stored, mapping = normalise_mapped(raw)
        assert stored == text
        assert (mapping[back] if mapping else back) == index


def test_the_normalised_map_follows_every_change() -> None:
    raw = "\ufeffe\u0301n rad\r\nnästa\rsista\x07 slut"
    stored, mapping = normalise_mapped(raw)
    assert stored == normalise(raw) == "én rad\nnästa\nsista slut"
    assert mapping is not None and len(mapping) == len(raw) + 1
    for word in ("rad", "nästa", "sista", "slut"):
        assert stored[mapping[raw.index(word)] :].startswith(word)
    assert mapping[-1] == len(stored)
    assert normalise_mapped("oförändrad text") == ("oförändrad text", None)
