"""Sweden's 290 municipalities, so that a case named after one gets its facts filled in.

`municipalities.csv` beside this module holds, per municipality, the SCB municipality code
and county (from the CC0 dataset sjbrg/swedish-geodata), the population rounded to
hundreds (about 2020) and SKR's municipality group (kommungruppsindelning 2023, codes
A1–C9), joined by code from a public list. These are the figures of those years; a
project may override any of them per case.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

SOURCE = (
    "SCB codes and counties (sjbrg/swedish-geodata, CC0); population about 2020;"
    " SKR kommungruppsindelning 2023"
)


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    official_name: str
    county: str
    population: int
    group_code: str
    group_name: str

    def attributes(self) -> dict[str, str]:
        """The case attributes this fact fills in, by their names in a project."""
        return {
            "kommunkod": self.code,
            "län": self.county,
            "folkmängd": str(self.population),
            "kommungrupp": self.group_code,
            "kommungrupp_namn": self.group_name,
        }


def _key(name: str) -> str:
    name = name.strip().lower()
    name = re.sub(r"\s+(kommun|stad)$", "", name)
    name = re.sub(r"s$", "", name) if name.endswith("s") and name[:-1] in _names() else name
    return name


@lru_cache(maxsize=1)
def _table() -> dict[str, Municipality]:
    text = (
        resources.files("vinr_qual.cases")
        .joinpath("municipalities.csv")
        .read_text(encoding="utf-8")
    )
    table: dict[str, Municipality] = {}
    for row in csv.DictReader(text.splitlines()):
        item = Municipality(
            code=row["kommunkod"],
            name=row["kommun"],
            official_name=row["kommun_officiellt"],
            county=row["län"],
            population=int(row["folkmängd"]),
            group_code=row["kommungrupp"],
            group_name=row["kommungrupp_namn"],
        )
        table[item.name.lower()] = item
        table[item.official_name.lower()] = item
    return table


@lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    return frozenset(_table())


def find_municipality(name: str) -> Municipality | None:
    """The municipality a name refers to: "Trollhättan", "Trollhättans kommun", "Malmö stad"."""
    table = _table()
    plain = name.strip().lower()
    return table.get(plain) or table.get(_key(plain))


def all_municipalities() -> list[Municipality]:
    return sorted(set(_table().values()), key=lambda item: item.code)
