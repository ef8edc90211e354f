"""A deterministic synthetic country: 514 regions (Indonesia's regency and city count) × 24 months.

``write_synthetic(directory)`` writes what another province would supply as data, so the app runs on it without
a code change: a region registry folder (``regions.csv`` + ``province.toml``, for ``MONEV_REGIONS_DIR``), a coverage
file in the upload format (for ``MONEV_DEMO_DATA`` or an upload) and boundaries (for ``MONEV_BOUNDARIES``).
The same arguments always give the same bytes: the numbers come from a seeded ``random.Random``, whose sequence
Python keeps stable across versions.

Regions are cells of a grid over the archipelago's longitudes and latitudes, one grid column per synthetic
province of 20; each cell's edges wave a little, the same way on both sides of a shared edge, so neighbours meet.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
from dataclasses import dataclass
from pathlib import Path

REGION_COUNT = 514
MONTH_COUNT = 24
FIRST_PERIOD = "2023-01"
SEED = 514
REGIONS_PER_PROVINCE = 20
CITIES_PER_PROVINCE = 4  # the last ones of each province: codes 71, 72, … as Kemendagri numbers cities
CITY_CODE_START = 71
TARGET_PCT = 39

# Grid cells in degrees; the grid starts at the north-west corner of the archipelago.
CELL_LON = 1.6
CELL_LAT = 1.0
WEST_LON = 95.0
NORTH_LAT = 6.0
POINTS_PER_EDGE = 6
EDGE_WAVE_DEG = 0.06  # well below half a cell: an edge never crosses another one
COORDINATE_DECIMALS = 5

DATA_HEADER = ("Periode", "Wilayah", "Pekerja Potensial", "Peserta PU", "Peserta BPU", "Peserta Jakon",
               "Peserta PMI", "Target (%)", "Keterangan")
REGISTRY_HEADER = ("kode", "kode_bps", "nama", "jenis", "ibukota", "lat", "lon", "penduduk", "luas_km2", "alias")
_KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class SyntheticFiles:
    """Where ``write_synthetic`` put the registry folder, the coverage file and the boundaries."""

    regions_dir: Path
    data_path: Path
    boundaries_path: Path

    def environment(self) -> dict[str, str]:
        """The settings that point the app at these files instead of the Bengkulu ones."""
        return {"MONEV_REGIONS_DIR": str(self.regions_dir), "MONEV_DEMO_DATA": str(self.data_path),
                "MONEV_BOUNDARIES": str(self.boundaries_path)}


@dataclass(frozen=True)
class _Region:
    code: str
    name: str
    kind: str
    column: int
    row: int
    population: int

    @property
    def official_name(self) -> str:
        return f"{self.kind} {self.name}"

    @property
    def centre(self) -> tuple[float, float]:
        """(lon, lat) of the middle of the region's cell: its capital."""
        return WEST_LON + (self.column + 0.5) * CELL_LON, NORTH_LAT - (self.row + 0.5) * CELL_LAT


def write_synthetic(directory: Path, *, region_count: int = REGION_COUNT,
                    month_count: int = MONTH_COUNT) -> SyntheticFiles:
    """Write the registry folder, the coverage file and the boundaries of ``region_count`` regions to ``directory``."""
    regions = _regions(region_count)
    files = SyntheticFiles(regions_dir=directory / "wilayah",
                           data_path=directory / f"cakupan_sintetis_{region_count}x{month_count}.csv",
                           boundaries_path=directory / f"batas_sintetis_{region_count}.geojson")
    files.regions_dir.mkdir(parents=True, exist_ok=True)
    (files.regions_dir / "regions.csv").write_text(_registry_csv(regions), encoding="utf-8")
    (files.regions_dir / "province.toml").write_text(_province_toml(regions), encoding="utf-8")
    files.data_path.write_text(_coverage_csv(regions, month_count), encoding="utf-8")
    files.boundaries_path.write_text(_boundaries_geojson(regions), encoding="utf-8")
    return files


def periods(month_count: int = MONTH_COUNT) -> list[str]:
    """The months of the synthetic data, oldest first ('2023-01', …)."""
    year, month = (int(part) for part in FIRST_PERIOD.split("-"))
    return [f"{year + (month - 1 + i) // 12}-{(month - 1 + i) % 12 + 1:02d}" for i in range(month_count)]


def _regions(count: int) -> list[_Region]:
    draw = random.Random(SEED)
    regions = []
    for index in range(count):
        column, row = divmod(index, REGIONS_PER_PROVINCE)
        is_city = row >= REGIONS_PER_PROVINCE - CITIES_PER_PROVINCE
        number = CITY_CODE_START + row - (REGIONS_PER_PROVINCE - CITIES_PER_PROVINCE) if is_city else row + 1
        regions.append(_Region(
            code=f"{11 + column:02d}.{number:02d}",
            name=f"Sintetis {index + 1:03d}",
            kind="Kota" if is_city else "Kabupaten",
            column=column,
            row=row,
            population=int(draw.uniform(150_000, 900_000) if is_city else draw.uniform(40_000, 2_500_000)),
        ))
    return regions


def _registry_csv(regions: list[_Region]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REGISTRY_HEADER)
    cell_km2 = CELL_LON * CELL_LAT * _KM_PER_DEGREE ** 2
    for region in regions:
        lon, lat = region.centre
        writer.writerow((region.code, region.code.replace(".", ""), region.name, region.kind,
                         f"Ibukota {region.name}", f"{lat:.4f}", f"{lon:.4f}", region.population,
                         round(cell_km2 * math.cos(math.radians(lat))), ""))
    return buffer.getvalue()


def _province_toml(regions: list[_Region]) -> str:
    population = sum(region.population for region in regions)
    return (f'# A synthetic country of {len(regions)} regions for benchmarks (bench/synthetic.py); no real figures.\n'
            f'kode = "00"\nnama = "Nusantara Sintetis"\npenduduk = {population}\n'
            f'luas_km2 = {round(len(regions) * CELL_LON * CELL_LAT * _KM_PER_DEGREE ** 2)}\n')


def _coverage_csv(regions: list[_Region], month_count: int) -> str:
    """One row per region and month; participants grow steadily from the first month to the last."""
    draw = random.Random(SEED + 1)
    months = periods(month_count)
    rows_by_region = []
    for region in regions:
        potential = round(region.population * draw.uniform(0.30, 0.42))
        rate_last = draw.uniform(0.10, 0.80)
        rate_first = rate_last * draw.uniform(0.75, 0.92)
        shares = (draw.uniform(0.35, 0.60), draw.uniform(0.15, 0.30), draw.uniform(0.03, 0.08))  # PU, BPU, Jakon
        rows = []
        for step, period in enumerate(months):
            progress = step / max(month_count - 1, 1)
            participants = round(potential * (rate_first + (rate_last - rate_first) * progress))
            pu, bpu, jakon = (round(participants * share) for share in shares)
            pmi = participants - pu - bpu - jakon  # what is left: at least 2 % of participants
            rows.append((period, region.official_name, potential, pu, bpu, jakon, pmi, TARGET_PCT, "sintetis"))
        rows_by_region.append(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(DATA_HEADER)
    for step in range(month_count):  # month by month, as officials' files are
        writer.writerows(rows[step] for rows in rows_by_region)
    return buffer.getvalue()


def _wave(along: float, at: float) -> float:
    """Sideways shift of an edge point: a function of where the point is, so both cells of an edge agree."""
    return EDGE_WAVE_DEG * math.sin(3.7 * along + 1.3 * at)


def _edge(start: tuple[float, float], end: tuple[float, float]) -> list[tuple[float, float]]:
    """Points from ``start`` towards ``end`` (end excluded) on a straight grid line, inner points waved sideways."""
    (x0, y0), (x1, y1) = start, end
    points = [start]
    for step in range(1, POINTS_PER_EDGE):
        x, y = x0 + (x1 - x0) * step / POINTS_PER_EDGE, y0 + (y1 - y0) * step / POINTS_PER_EDGE
        points.append((x + _wave(y, x), y) if x0 == x1 else (x, y + _wave(x, y)))
    return points


def _outline(region: _Region) -> list[list[float]]:
    west = WEST_LON + region.column * CELL_LON
    north = NORTH_LAT - region.row * CELL_LAT
    east, south = west + CELL_LON, north - CELL_LAT
    corners = [(west, south), (east, south), (east, north), (west, north)]  # anticlockwise, as RFC 7946 asks
    ring = [point for side in range(4) for point in _edge(corners[side], corners[(side + 1) % 4])]
    ring.append(ring[0])
    return [[round(lon, COORDINATE_DECIMALS), round(lat, COORDINATE_DECIMALS)] for lon, lat in ring]


def _boundaries_geojson(regions: list[_Region]) -> str:
    features = [{"type": "Feature", "properties": {"kode": region.code, "nama": region.name},
                 "geometry": {"type": "Polygon", "coordinates": [_outline(region)]}} for region in regions]
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
