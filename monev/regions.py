"""Region registry: codes, names, aliases and capitals, read from data; matching of typed names to codes.

The registry is data (``data/regions.csv`` + ``data/province.toml``), so another province is a data change.
``MONEV_REGIONS_DIR`` points at another folder holding the same two files.
"""

from __future__ import annotations

import csv
import difflib
import functools
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
REGIONS_DIR_ENV = "MONEV_REGIONS_DIR"

# Words people put in front of a region name; they tell the kind but are not part of the name.
_KIND_PREFIXES = {
    "kabupaten": "kabupaten",
    "kab": "kabupaten",
    "pemkab": "kabupaten",
    "regency": "kabupaten",
    "kota": "kota",
    "pemkot": "kota",
    "city": "kota",
}
_CODE_PATTERN = re.compile(r"^(\d{2})\s*[.\-/ ]?\s*(\d{2})$")
_SUGGESTION_CUTOFF = 0.6


class RegistryError(ValueError):
    """The registry files themselves are inconsistent (a data error, not a user-input error)."""


@dataclass(frozen=True)
class Region:
    code: str
    bps_code: str
    name: str
    kind: str
    capital: str
    lat: float
    lon: float
    population: int
    area_km2: float
    aliases: tuple[str, ...] = ()

    @property
    def official_name(self) -> str:
        """Name with its kind, as in official documents: 'Kabupaten Kaur', 'Kota Bengkulu'."""
        return f"{self.kind} {self.name}"

    @property
    def display_name(self) -> str:
        """Short name for charts and tables; a city keeps 'Kota' so it is not mistaken for the province."""
        return self.official_name if self.kind.lower() == "kota" else self.name


@dataclass(frozen=True)
class RegionMatch:
    """Result of matching one typed value: a code, or none and perhaps a suggested region."""

    code: str | None
    suggestion: Region | None = None


def normalise_name(text: str) -> str:
    """Lower-case ASCII words separated by single spaces; punctuation becomes a space."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split())


def _split_kind(normalised: str) -> tuple[str | None, str]:
    """('kabupaten'|'kota'|None, the name without the kind prefix and without spaces)."""
    words = normalised.split()
    if len(words) > 1 and words[0] in _KIND_PREFIXES:
        return _KIND_PREFIXES[words[0]], "".join(words[1:])
    return None, "".join(words)


def canonical_code(text: str) -> str | None:
    """'17.01', '1701', '17-01', '17 01' -> '17.01'; anything else -> None."""
    found = _CODE_PATTERN.match(text.strip())
    return f"{found.group(1)}.{found.group(2)}" if found else None


@dataclass(frozen=True)
class Registry:
    province_code: str
    province_name: str
    province_population: int
    regions: tuple[Region, ...]
    # Derived from ``regions`` in __post_init__: lookups by normalised name and by code.
    _index: dict[str, Region] = field(init=False, repr=False, compare=False)
    _by_code: dict[str, Region] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, Region] = {}
        for region in self.regions:
            for spelling in (region.name, region.official_name, *region.aliases):
                _, key = _split_kind(normalise_name(spelling))
                other = index.setdefault(key, region)
                if other is not region:
                    raise RegistryError(f"'{spelling}' names both {other.code} and {region.code}")
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_by_code", {r.code: r for r in self.regions})
        if len(self._by_code) != len(self.regions):
            raise RegistryError("region codes are not unique")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.regions)

    def __len__(self) -> int:
        return len(self.regions)

    def get(self, code: str) -> Region:
        return self._by_code[code]

    def display_name(self, code: str) -> str:
        return self._by_code[code].display_name

    def match(self, value: object) -> RegionMatch:
        """Match a typed region (code or any common spelling of its name) to a registry code."""
        text = _cell_text(value)
        code = canonical_code(text)
        if code is not None:
            return RegionMatch(code if code in self._by_code else None)
        kind, key = _split_kind(normalise_name(text))
        region = self._index.get(key)
        if region is not None and (kind is None or kind == region.kind.lower()):
            return RegionMatch(region.code)
        if region is not None:  # right name, wrong kind: "Kabupaten Bengkulu" means nothing here
            return RegionMatch(None, suggestion=region)
        close = difflib.get_close_matches(key, self._index, n=1, cutoff=_SUGGESTION_CUTOFF)
        return RegionMatch(None, suggestion=self._index[close[0]] if close else None)

    def frame(self) -> pd.DataFrame:
        """The registry as a table, one row per region, in registry order."""
        return pd.DataFrame(
            {
                "region_code": [r.code for r in self.regions],
                "region_name": [r.display_name for r in self.regions],
                "kind": [r.kind for r in self.regions],
                "capital": [r.capital for r in self.regions],
                "lat": [r.lat for r in self.regions],
                "lon": [r.lon for r in self.regions],
                "population": [r.population for r in self.regions],
            }
        )


def _cell_text(value: object) -> str:
    """Text of a cell as typed; Excel turns 17.01 into a float and 1701 into an int."""
    if isinstance(value, float):
        return f"{value:.2f}" if value < 100 else f"{value:.0f}"
    return str(value).strip()


def _read_regions(path: Path) -> tuple[Region, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        raise RegistryError(f"{path} lists no region")
    return tuple(
        Region(
            code=row["kode"].strip(),
            bps_code=row["kode_bps"].strip(),
            name=row["nama"].strip(),
            kind=row["jenis"].strip(),
            capital=row["ibukota"].strip(),
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            population=int(row["penduduk"]),
            area_km2=float(row["luas_km2"]),
            aliases=tuple(a.strip() for a in (row.get("alias") or "").split("|") if a.strip()),
        )
        for row in rows
    )


def load_registry(directory: Path | None = None) -> Registry:
    """Registry from ``directory`` (default: $MONEV_REGIONS_DIR, else the project's data/)."""
    # Cached by the folder the setting names, not by the argument: a changed $MONEV_REGIONS_DIR takes effect.
    return _registry_in(Path(directory or os.environ.get(REGIONS_DIR_ENV) or DATA_DIR))


@functools.cache
def _registry_in(folder: Path) -> Registry:
    province = tomllib.loads((folder / "province.toml").read_text(encoding="utf-8"))
    return Registry(
        province_code=str(province["kode"]),
        province_name=str(province["nama"]),
        province_population=int(province["penduduk"]),
        regions=_read_regions(folder / "regions.csv"),
    )
