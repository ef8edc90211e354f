"""Region boundaries: reading and checking GeoJSON, where boundaries come from, and the checksum-verified download.

Boundary files are never part of the project. They come, in this order, from a GeoJSON the user uploads in the
session, from the file named by ``MONEV_BOUNDARIES``, or from the local cache that ``download_boundaries`` fills
from the public source described in ``data/boundaries.toml``. Every problem is reported at once as a
``GeoProblem`` (a code and its parameters); ``monev.i18n`` turns it into a sentence from the ``[geo]`` section.
Boundaries are handed out only when there is no problem at all.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import math
import os
import tempfile
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from shapely.errors import GEOSException
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from monev import fmt, i18n
from monev.access import User, require_editor
from monev.regions import Registry, load_registry

PROJECT_DIR = Path(__file__).resolve().parent.parent
SOURCE_PATH = PROJECT_DIR / "data" / "boundaries.toml"
DEFAULT_CACHE_DIR = PROJECT_DIR / "var" / "cache"
BOUNDARIES_ENV = "MONEV_BOUNDARIES"
CACHE_DIR_ENV = "MONEV_CACHE_DIR"
BASE_URL_ENV = "MONEV_BOUNDARY_BASE_URL"

# Properties that may name a feature's region, tried in this order: codes first, because a code means exactly one
# region while names come in spelling variants. KDPKAB and WADMKK are the only regency-level attributes of the
# BIG-derived originals; all their other attributes describe a single village.
IDENTIFYING_PROPERTIES = ("kode", "KDPKAB", "kode_bps", "id", "nama", "WADMKK", "name")
ORIGINAL_REGION_PROPERTIES = ("KDPKAB", "WADMKK")
_IDENTIFYING_LOWER = tuple(key.lower() for key in IDENTIFYING_PROPERTIES)
_POLYGONAL = ("Polygon", "MultiPolygon")
# A 1e-5 degree is about 1 m on the ground: far finer than these simplified outlines, and it keeps the cache small.
DOWNLOAD_DECIMALS = 5
# Values quoted in a message are cut short so that one odd feature cannot flood the page.
_SNIPPET_CHARS = 60
_MAX_QUOTED_PROPERTIES = 5
_PARSED_FILES_KEPT = 8


@dataclass(frozen=True)
class GeoProblem:
    """One reason boundaries cannot be used; feature ``index`` params count from 1, as people count."""

    code: str
    params: dict[str, object] = field(default_factory=dict)

    def message(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        """The problem as a sentence in ``lang`` (catalog key ``geo.<code>``, or its ``_one``/``_other`` forms for a
        problem that counts something)."""
        key = f"geo.{self.code}"
        count = self.params.get("count")
        if isinstance(count, int) and f"{key}_one" in i18n.catalog(i18n.supported(lang)):
            return fmt.counted(key, count, lang, **{name: value for name, value in self.params.items()
                                                   if name != "count"})
        return i18n.t(key, lang, **self.params)


@dataclass(frozen=True)
class Boundaries:
    """One outline per region: registry code -> GeoJSON geometry (Polygon or MultiPolygon, coordinates as lists)."""

    features: dict[str, dict] = field(repr=False)
    source: str

    @functools.cached_property
    def shapes(self) -> dict[str, BaseGeometry]:
        """The outlines as shapely geometries, by region code."""
        return {code: shape(geometry) for code, geometry in self.features.items()}

    @functools.cached_property
    def digest(self) -> str:
        """A digest of the outlines' content, worked out once per object: a cache key for what is drawn from them,
        which tells two uploads of the same file name apart and finds the same outlines read twice."""
        return hashlib.sha256(json.dumps(self.features, sort_keys=True).encode()).hexdigest()

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(min_lon, min_lat, max_lon, max_lat) over every shape, islands included."""
        min_lon, min_lat, max_lon, max_lat = shapely.total_bounds(list(self.shapes.values()))
        return float(min_lon), float(min_lat), float(max_lon), float(max_lat)

    def area(self, code: str) -> float:
        """Area of the region's outline in square degrees: enough to order regions by size."""
        return float(self.shapes[code].area)

    def label_point(self, code: str) -> tuple[float, float]:
        """(lon, lat) of a point inside the region's largest part, where its label can sit."""
        # Not the centroid: Bengkulu Utara's outline includes Enggano island, which pulls the centroid into the sea.
        outline = self.shapes[code]
        largest = max(getattr(outline, "geoms", (outline,)), key=lambda part: part.area)
        point = largest.point_on_surface()
        return point.x, point.y

    def feature_collection(self, registry: Registry | None = None) -> dict:
        """The normalised FeatureCollection: one feature per region with properties kode, kode_bps, nama, jenis."""
        registry = registry or load_registry()
        features = []
        for code, geometry in self.features.items():
            region = registry.get(code)
            properties = {"kode": region.code, "kode_bps": region.bps_code, "nama": region.name, "jenis": region.kind}
            features.append({"type": "Feature", "properties": properties, "geometry": geometry})
        return {"type": "FeatureCollection", "features": features}


@dataclass(frozen=True)
class BoundaryResult:
    """Boundaries, or None with the problems that say why: exactly one of the two is empty."""

    boundaries: Boundaries | None
    problems: tuple[GeoProblem, ...] = ()

    @property
    def ok(self) -> bool:
        """True when there are boundaries to draw."""
        return self.boundaries is not None


@dataclass(frozen=True)
class BoundarySource:
    """The public source of the boundary files, as ``data/boundaries.toml`` describes it."""

    base_url: str
    licence: str
    cache_file: str
    files: dict[str, str]  # file name -> sha256 of the file as published


class _Rejected(Exception):
    """The content cannot be read as GeoJSON at all; carries the problem that says why."""

    def __init__(self, problem: GeoProblem) -> None:
        super().__init__(problem.code)
        self.problem = problem


@functools.cache
def load_source(path: Path = SOURCE_PATH) -> BoundarySource:
    """The boundary source described in ``path`` (default: the project's data/boundaries.toml)."""
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    return BoundarySource(
        base_url=str(table["base_url"]),
        licence=str(table["licence"]),
        cache_file=str(table["cache_file"]),
        files={str(name): str(digest).lower() for name, digest in table["files"].items()},
    )


# --- reading and checking ----------------------------------------------------------------------------------------


def parse_boundaries(content: bytes, source: str, registry: Registry | None = None) -> BoundaryResult:
    """Read and check GeoJSON (a FeatureCollection or one Feature) that must outline every registry region."""
    registry = registry or load_registry()
    try:
        features = _read_features(content, source)
    except _Rejected as rejected:
        return BoundaryResult(None, (rejected.problem,))
    shapes, problems = _region_shapes(features, source, registry)
    return _assemble(shapes, problems, source, registry)


def _read_features(content: bytes, source: str) -> list[object]:
    try:
        document = json.loads(content)  # bytes: json detects UTF-8/16/32 and a byte-order mark itself
    except json.JSONDecodeError as exc:
        raise _Rejected(GeoProblem("not_json", {"source": source, "line": exc.lineno, "column": exc.colno})) from exc
    except UnicodeDecodeError as exc:
        line_start = content.rfind(b"\n", 0, exc.start) + 1
        position = {"line": content.count(b"\n", 0, exc.start) + 1, "column": exc.start - line_start + 1}
        raise _Rejected(GeoProblem("not_json", {"source": source, **position})) from exc
    if isinstance(document, dict):
        if document.get("type") == "FeatureCollection" and isinstance(document.get("features"), list):
            return document["features"]
        if document.get("type") == "Feature":
            return [document]
        if document.get("type") == "FeatureCollection":
            found = f'"features": {_snippet(document.get("features"))}'
        else:
            found = f'"type": {_snippet(document.get("type"))}'
    else:
        found = _snippet(document)
    raise _Rejected(GeoProblem("not_geojson", {"source": source, "found": found}))


def _region_shapes(features: list[object], source: str, registry: Registry,
                   decimals: int | None = None) -> tuple[dict[str, list[BaseGeometry]], list[GeoProblem]]:
    """Checked outlines by region code; a region whose features are all broken still has a (possibly empty) entry."""
    shapes: dict[str, list[BaseGeometry]] = {}
    problems: list[GeoProblem] = []
    for index, feature in enumerate(features, start=1):
        where = {"source": source, "index": index}
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(feature, dict) or not isinstance(properties or {}, dict):
            problems.append(GeoProblem("bad_feature", {**where, "found": _snippet(feature)}))
            continue
        properties = properties or {}
        code = _identify(properties, registry)
        if code is None:
            label = _quote_properties(properties)
            problems.append(GeoProblem("unknown_feature", {**where, "values": label}))
        else:
            label = registry.display_name(code)
            shapes.setdefault(code, [])
        outline, problem = _checked_outline(feature.get("geometry"), {**where, "feature": label}, decimals)
        if problem is not None:
            problems.append(problem)
        elif code is not None:
            shapes[code].append(outline)
    return shapes, problems


def _identify(properties: Mapping[str, object], registry: Registry) -> str | None:
    # Keys compared without case: files exported from spreadsheets or GIS tools write "KODE", "Nama", "NAME".
    by_key = {str(key).lower(): value for key, value in properties.items()}
    for key in _IDENTIFYING_LOWER:
        value = by_key.get(key)
        if value is None or isinstance(value, (bool, dict, list)):
            continue
        code = registry.match(value).code
        if code is not None:
            return code
    return None


def _quote_properties(properties: Mapping[str, object]) -> str:
    named = [(key, value) for key, value in properties.items() if str(key).lower() in _IDENTIFYING_LOWER]
    shown = named or list(properties.items())[:_MAX_QUOTED_PROPERTIES]
    return ", ".join(f"{key}={_snippet(value)}" for key, value in shown) or "{}"


def _checked_outline(geometry: object, where: dict[str, object],
                     decimals: int | None) -> tuple[BaseGeometry | None, GeoProblem | None]:
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if not isinstance(geometry, dict) or kind not in _POLYGONAL:
        found = "null" if geometry is None else str(kind) if isinstance(kind, str) else _snippet(geometry)
        return None, GeoProblem("wrong_geometry_type", {**where, "type": found})
    fault = _coordinate_fault(kind, geometry.get("coordinates"))
    if fault is not None:
        return None, GeoProblem("bad_coordinates", {**where, "value": fault})
    try:
        outline = shapely.force_2d(shape(geometry))
    except (ValueError, TypeError, GEOSException) as exc:  # e.g. a ring of fewer than 4 points
        return None, GeoProblem("invalid_geometry", {**where, "reason": str(exc)})
    if decimals is not None:
        outline = shapely.transform(outline, lambda xy: np.round(xy, decimals))
    # Checked after rounding: rounding can pinch a narrow part into a self-touching ring.
    if not outline.is_valid:
        return None, GeoProblem("invalid_geometry", {**where, "reason": explain_validity(outline)})
    return outline, None


def _coordinate_fault(kind: str, coordinates: object) -> str | None:
    """The first part of the coordinates that is not a [lon, lat] position in range, quoted; None if all are."""
    polygons = coordinates if kind == "MultiPolygon" else [coordinates]
    if not isinstance(polygons, list) or not polygons:
        return _snippet(coordinates)
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return _snippet(polygon)
        for ring in polygon:
            if not isinstance(ring, list) or not ring:
                return _snippet(ring)
            for position in ring:
                if not _is_position(position):
                    return _snippet(position)
    return None


def _is_position(position: object) -> bool:
    if not isinstance(position, list) or not 2 <= len(position) <= 3:
        return False
    if not all(isinstance(number, (int, float)) and not isinstance(number, bool) and math.isfinite(number)
               for number in position):
        return False
    return -180 <= position[0] <= 180 and -90 <= position[1] <= 90


def _assemble(shapes: dict[str, list[BaseGeometry]], problems: list[GeoProblem], source: str,
              registry: Registry) -> BoundaryResult:
    missing = [registry.display_name(code) for code in registry.codes if code not in shapes]
    if missing:
        problems = [*problems, GeoProblem("missing_region",
                                          {"source": source, "count": len(missing), "regions": ", ".join(missing)})]
    if problems:
        return BoundaryResult(None, tuple(problems))
    features = {code: _geometry(_merge(shapes[code])) for code in registry.codes}
    return BoundaryResult(Boundaries(features, source))


def _merge(parts: list[BaseGeometry]) -> BaseGeometry:
    # A union rather than a list of parts: pieces of one region that touch or overlap (village outlines, an island
    # drawn twice) would make an invalid MultiPolygon; disjoint pieces still become one.
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


def _geometry(outline: BaseGeometry) -> dict:
    return {"type": outline.geom_type, "coordinates": _as_lists(mapping(outline)["coordinates"])}


def _as_lists(value: object) -> object:
    # Plain lists, as json.loads gives them, so that boundaries from any source compare and serialise alike.
    return [_as_lists(item) for item in value] if isinstance(value, (list, tuple)) else value


def _snippet(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _SNIPPET_CHARS else text[: _SNIPPET_CHARS - 1] + "…"


def _failed(problem: GeoProblem) -> BoundaryResult:
    return BoundaryResult(None, (problem,))


# --- where boundaries come from ---------------------------------------------------------------------------------


def load_boundaries(uploaded: tuple[str, bytes] | None = None, env: Mapping[str, str] = os.environ,
                    cache_dir: Path | str | None = None, registry: Registry | None = None) -> BoundaryResult:
    """Boundaries from this session's upload, else the file in $MONEV_BOUNDARIES, else the download cache."""
    registry = registry or load_registry()
    if uploaded is not None:
        name, content = uploaded
        return parse_boundaries(content, name, registry)
    configured = env.get(BOUNDARIES_ENV, "").strip()
    if configured:
        # No falling back to the cache: whoever set the variable wants that file, and should hear it is missing.
        return _load_file(Path(configured).expanduser(), registry)
    cached = cache_file_path(cache_dir, env)
    if cached.is_file():
        return _load_file(cached, registry)
    return _failed(GeoProblem("none", {"env": BOUNDARIES_ENV, "cache": str(cached)}))


def cache_file_path(cache_dir: Path | str | None = None, env: Mapping[str, str] = os.environ) -> Path:
    """Where the normalised download lives: in ``cache_dir``, else $MONEV_CACHE_DIR, else <project>/var/cache."""
    folder = Path(cache_dir or env.get(CACHE_DIR_ENV) or DEFAULT_CACHE_DIR)
    return folder / load_source().cache_file


def _load_file(path: Path, registry: Registry) -> BoundaryResult:
    try:
        status = path.stat()
        return _parse_file(str(path), status.st_mtime_ns, status.st_size, registry)
    except FileNotFoundError:
        return _failed(GeoProblem("path_missing", {"path": str(path)}))
    except OSError as exc:
        return _failed(GeoProblem("path_unreadable", {"path": str(path), "reason": exc.strerror or str(exc)}))


@functools.lru_cache(maxsize=_PARSED_FILES_KEPT)
def _parse_file(path: str, mtime_ns: int, size: int, registry: Registry) -> BoundaryResult:
    # mtime and size are in the key only so that a changed file is read again; every Streamlit rerun calls this.
    return parse_boundaries(Path(path).read_bytes(), path, registry)


# --- download ---------------------------------------------------------------------------------------------------


def download_boundaries(by: User, cache_dir: Path | str | None = None, base_url: str | None = None,
                        timeout_s: float = 20, registry: Registry | None = None,
                        env: Mapping[str, str] = os.environ) -> BoundaryResult:
    """Fetch the public source files, verify each sha256, check them, and only then write the normalised cache.

    The cache serves every session of the server, so only an editor (or the command line) may fill it."""
    require_editor(by, "download boundaries for the server")
    registry = registry or load_registry()
    source = load_source()
    base = base_url or env.get(BASE_URL_ENV) or source.base_url
    base = base if base.endswith("/") else base + "/"
    contents, problems = _fetch_verified(base, source.files, timeout_s)
    if problems:
        return BoundaryResult(None, tuple(problems))
    shapes: dict[str, list[BaseGeometry]] = {}
    for name, content in contents.items():
        try:
            features = _read_features(content, name)
        except _Rejected as rejected:
            problems.append(rejected.problem)
            continue
        file_shapes, file_problems = _region_shapes([_regency_level(f) for f in features], name, registry,
                                                    decimals=DOWNLOAD_DECIMALS)
        problems.extend(file_problems)
        for code, parts in file_shapes.items():
            shapes.setdefault(code, []).extend(parts)
    result = _assemble(shapes, problems, base, registry)
    if result.boundaries is None:
        return result
    target = cache_file_path(cache_dir, env)
    document = {"type": "FeatureCollection", "source": base, "licence": source.licence,
                "features": result.boundaries.feature_collection(registry)["features"]}
    try:
        _write_atomically(target, json.dumps(document, ensure_ascii=False, separators=(",", ":")))
    except OSError as exc:
        return _failed(GeoProblem("cache_write_failed", {"path": str(target), "reason": exc.strerror or str(exc)}))
    return BoundaryResult(dataclasses.replace(result.boundaries, source=str(target)))


def _fetch_verified(base: str, files: Mapping[str, str], timeout_s: float) -> tuple[dict[str, bytes], list[GeoProblem]]:
    contents: dict[str, bytes] = {}
    problems: list[GeoProblem] = []
    for name, expected in files.items():
        url = base + urllib.parse.quote(name)
        try:
            with urllib.request.urlopen(url, timeout=timeout_s) as response:
                content = response.read()
        except urllib.error.HTTPError as exc:
            exc.close()
            # The server answered, so the other files may well be there: report every missing one at once.
            problems.append(GeoProblem("download_failed", {"file": name, "url": url,
                                                           "reason": f"HTTP {exc.code} {exc.reason}"}))
            continue
        except (urllib.error.URLError, OSError, ValueError) as exc:
            # No answer at all (refused, timed out, bad URL): the other files would fail alike, each after a timeout.
            reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
            problems.append(GeoProblem("download_failed", {"file": name, "url": url,
                                                           "reason": getattr(reason, "strerror", None) or str(reason)}))
            break
        actual = hashlib.sha256(content).hexdigest()
        if actual != expected:
            problems.append(GeoProblem("checksum_mismatch", {"file": name, "expected": expected, "actual": actual}))
        else:
            contents[name] = content
    return contents, problems


def _regency_level(feature: object) -> object:
    """The feature with only its regency-level properties; the originals' other attributes describe one village."""
    if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
        return feature
    properties = feature.get("properties") or {}
    return {"type": "Feature", "geometry": feature.get("geometry"),
            "properties": {key: properties[key] for key in ORIGINAL_REGION_PROPERTIES if key in properties}}


def _write_atomically(path: Path, text: str) -> None:
    # A reader (another session, a rerun) sees either the old file or the whole new one, never half of it.
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp", delete=False)
    try:
        with handle:
            handle.write(text)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
