"""Boundaries: the shared files parse, faults are named precisely, sources are tried in order, downloads are verified.

The boundary files are never part of the project: these tests read them from ../shared/geo/ beside it and fail
(not skip) when they are not there. Downloads go to a loopback HTTP server in a thread; nothing leaves the machine.
"""

from __future__ import annotations

import copy
import http.server
import json
import re
import socket
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from monev import geo, i18n
from monev.regions import load_registry
from tests.users import editor

SHARED_GEO = Path(__file__).resolve().parents[2].parent / "shared" / "geo"
NORMALISED_PATH = SHARED_GEO / "bengkulu_kabkota.geojson"
SOURCE_DIR = SHARED_GEO / "source"
REGISTRY = load_registry()
LEBONG = REGISTRY.match("Lebong").code
BENGKULU_UTARA = REGISTRY.match("Bengkulu Utara").code
# Enggano island lies around lon 102.1-102.4, lat -5.2 to -5.5; the mainland ends well north of -5.2.
ENGGANO_NORTH_LAT = -5.2
BOW_TIE = {"type": "Polygon", "coordinates": [[[102.0, -3.0], [102.1, -3.1], [102.1, -3.0], [102.0, -3.1],
                                               [102.0, -3.0]]]}
TRIANGLE = {"type": "Polygon", "coordinates": [[[1.0, 1.0], [2.0, 1.0], [2.0, 2.0], [1.0, 1.0]]]}


def _shared_file(path: Path) -> bytes:
    if not path.is_file():
        pytest.fail(f"{path} not found: these tests need the boundary files in ../shared/geo/ beside the project "
                    f"(see ../shared/geo/SOURCE.md); they are deliberately not part of the repository.")
    return path.read_bytes()


def _normalised() -> dict:
    return json.loads(_shared_file(NORMALISED_PATH))


def _originals() -> dict[str, bytes]:
    """The ten published files, by the names data/boundaries.toml lists."""
    return {name: _shared_file(SOURCE_DIR / name) for name in geo.load_source().files}


def _parse(document: object) -> geo.BoundaryResult:
    return geo.parse_boundaries(json.dumps(document).encode(), "test.geojson", REGISTRY)


def _codes(result: geo.BoundaryResult) -> list[str]:
    return [problem.code for problem in result.problems]


def _only(result: geo.BoundaryResult, code: str) -> geo.GeoProblem:
    assert result.boundaries is None
    found = [problem for problem in result.problems if problem.code == code]
    assert len(found) == 1, _codes(result)
    return found[0]


def _messages(problem: geo.GeoProblem) -> list[str]:
    """The problem's text in every language (this also proves the catalogs have its key and placeholders)."""
    return [problem.message(lang) for lang in i18n.LANGUAGES]


def _without(document: dict, code: str) -> dict:
    trimmed = copy.deepcopy(document)
    trimmed["features"] = [f for f in trimmed["features"] if f["properties"]["kode"] != code]
    return trimmed


# --- the shared files ---------------------------------------------------------------------------------------------


def test_the_shared_normalised_file_outlines_every_registry_region():
    result = geo.parse_boundaries(_shared_file(NORMALISED_PATH), str(NORMALISED_PATH), REGISTRY)
    assert result.problems == ()
    assert list(result.boundaries.features) == list(REGISTRY.codes)
    assert len(result.boundaries.features) == len(REGISTRY)
    assert {g["type"] for g in result.boundaries.features.values()} <= {"Polygon", "MultiPolygon"}
    assert result.boundaries.source == str(NORMALISED_PATH)


def test_the_bounds_include_enggano_island():
    boundaries = _parse(_normalised()).boundaries
    min_lon, min_lat, max_lon, max_lat = boundaries.bounds
    assert min_lat < ENGGANO_NORTH_LAT
    enggano = min(shape(boundaries.features[BENGKULU_UTARA]).geoms, key=lambda part: part.bounds[1])
    e_min_lon, e_min_lat, e_max_lon, e_max_lat = enggano.bounds
    assert e_max_lat < ENGGANO_NORTH_LAT  # the southern part of Bengkulu Utara is the island, not the mainland
    assert min_lon <= e_min_lon and e_max_lon <= max_lon and min_lat <= e_min_lat


def test_the_ten_originals_in_one_collection_give_the_same_regions():
    features = [feature for content in _originals().values() for feature in json.loads(content)["features"]]
    result = geo.parse_boundaries(json.dumps({"type": "FeatureCollection", "features": features}).encode(),
                                  "originals.geojson", REGISTRY)
    assert result.problems == ()
    assert list(result.boundaries.features) == list(_parse(_normalised()).boundaries.features)


@pytest.mark.parametrize("code", REGISTRY.codes)
def test_the_label_point_lies_inside_its_region(code):
    boundaries = _parse(_normalised()).boundaries
    assert shape(boundaries.features[code]).contains(Point(boundaries.label_point(code)))


def test_the_label_of_bengkulu_utara_sits_on_the_mainland_not_on_enggano():
    lon, lat = _parse(_normalised()).boundaries.label_point(BENGKULU_UTARA)
    assert lat > ENGGANO_NORTH_LAT


def test_the_feature_collection_carries_registry_properties_and_parses_back_unchanged():
    boundaries = _parse(_normalised()).boundaries
    collection = boundaries.feature_collection(REGISTRY)
    for feature, region in zip(collection["features"], REGISTRY.regions, strict=True):
        assert feature["properties"] == {"kode": region.code, "kode_bps": region.bps_code, "nama": region.name,
                                         "jenis": region.kind}
    assert _parse(collection).boundaries.features == boundaries.features


def test_the_digest_is_the_same_for_the_same_outlines_read_twice():
    first, second = _parse(_normalised()).boundaries, _parse(_normalised()).boundaries
    assert first is not second
    assert first.digest == second.digest
    assert re.fullmatch(r"[0-9a-f]{64}", first.digest)  # a sha256, written out


def test_the_digest_tells_outlines_that_differ_in_one_point_apart():
    document = _normalised()
    original = _parse(document).boundaries
    moved = copy.deepcopy(document)
    ring = moved["features"][0]["geometry"]["coordinates"][0]
    ring = ring[0] if moved["features"][0]["geometry"]["type"] == "MultiPolygon" else ring
    ring[1] = [ring[1][0] + 0.001, ring[1][1]]  # one vertex a hundred metres east
    changed = _parse(moved)
    assert changed.ok, _codes(changed)
    assert changed.boundaries.digest != original.digest


def test_the_digest_is_worked_out_once_per_object():
    boundaries = _parse(_normalised()).boundaries
    assert boundaries.digest is boundaries.digest  # the same string object: not hashed again


def test_several_features_of_one_region_become_one_multipolygon():
    document = _normalised()
    utara = next(f for f in document["features"] if f["properties"]["kode"] == BENGKULU_UTARA)
    document["features"].remove(utara)
    for part in utara["geometry"]["coordinates"]:  # the mainland and Enggano as two features, found by name
        document["features"].append({"type": "Feature", "properties": {"nama": "Kabupaten Bengkulu Utara"},
                                     "geometry": {"type": "Polygon", "coordinates": part}})
    merged = _parse(document).boundaries.features[BENGKULU_UTARA]
    assert merged["type"] == "MultiPolygon"
    assert shape(merged).equals(shape(utara["geometry"]))


# --- faults -------------------------------------------------------------------------------------------------------


def test_a_collection_without_lebong_names_lebong_as_missing():
    problem = _only(_parse(_without(_normalised(), LEBONG)), "missing_region")
    assert problem.params["regions"] == "Lebong" and problem.params["count"] == 1
    assert all("Lebong" in text for text in _messages(problem))


def test_a_self_intersecting_bow_tie_is_an_invalid_geometry_of_its_region():
    document = _normalised()
    next(f for f in document["features"] if f["properties"]["kode"] == LEBONG)["geometry"] = BOW_TIE
    problem = _only(_parse(document), "invalid_geometry")
    assert problem.params["feature"] == "Lebong"
    assert "Self-intersection" in problem.params["reason"]
    assert all("Lebong" in text and "Self-intersection" in text for text in _messages(problem))


def test_a_point_is_the_wrong_geometry_type_with_its_feature_index():
    document = _normalised()
    document["features"][0]["geometry"] = {"type": "Point", "coordinates": [102.3, -3.8]}
    problem = _only(_parse(document), "wrong_geometry_type")
    assert problem.params["index"] == 1 and problem.params["type"] == "Point"
    assert all("Point" in text for text in _messages(problem))


def test_a_feature_named_atlantis_matches_no_region_and_its_name_is_quoted():
    document = _normalised()
    document["features"].append({"type": "Feature", "properties": {"nama": "Atlantis", "luas": 5},
                                 "geometry": TRIANGLE})
    problem = _only(_parse(document), "unknown_feature")
    assert problem.params["index"] == len(REGISTRY) + 1
    assert all("Atlantis" in text for text in _messages(problem))


def test_coordinates_out_of_range_are_quoted():
    document = _normalised()
    document["features"][2]["geometry"]["coordinates"][0][0][0] = [200.0, -3.5]
    problem = _only(_parse(document), "bad_coordinates")
    assert problem.params["value"] == "[200.0, -3.5]"
    assert all("[200.0, -3.5]" in text for text in _messages(problem))


def test_every_fault_is_reported_at_once():
    document = _without(_normalised(), LEBONG)
    document["features"][0]["geometry"] = {"type": "Point", "coordinates": [102.3, -3.8]}
    document["features"][1]["geometry"] = BOW_TIE
    document["features"].append({"type": "Feature", "properties": {"name": "Atlantis"}, "geometry": TRIANGLE})
    assert sorted(_codes(_parse(document))) == [
        "invalid_geometry", "missing_region", "unknown_feature", "wrong_geometry_type"]


def test_text_that_is_not_json_is_rejected_with_its_position():
    result = geo.parse_boundaries(b'{"type": "FeatureCollection",\n "features": [,]}', "batas.geojson", REGISTRY)
    problem = _only(result, "not_json")
    assert (problem.params["line"], problem.params["column"]) == (2, 15)
    assert all("batas.geojson" in text for text in _messages(problem))


def test_json_that_is_not_a_feature_collection_is_not_geojson():
    problem = _only(_parse({"type": "Topology", "objects": {}}), "not_geojson")
    assert all("Topology" in text for text in _messages(problem))


# --- where boundaries come from -----------------------------------------------------------------------------------


def test_a_missing_file_in_the_environment_variable_is_a_problem_naming_it(tmp_path):
    missing = tmp_path / "nowhere.geojson"
    result = geo.load_boundaries(env={geo.BOUNDARIES_ENV: str(missing)}, cache_dir=tmp_path, registry=REGISTRY)
    problem = _only(result, "path_missing")
    assert all(str(missing) in text for text in _messages(problem))


def test_no_source_at_all_says_so(tmp_path):
    result = geo.load_boundaries(env={}, cache_dir=tmp_path, registry=REGISTRY)
    problem = _only(result, "none")
    assert problem.params == {"env": geo.BOUNDARIES_ENV, "cache": str(tmp_path / geo.load_source().cache_file)}
    assert all(geo.BOUNDARIES_ENV in text for text in _messages(problem))


def test_the_environment_variable_is_read_and_its_parse_kept_until_the_file_changes(tmp_path):
    path = tmp_path / "batas.geojson"
    path.write_bytes(_shared_file(NORMALISED_PATH))
    env = {geo.BOUNDARIES_ENV: str(path)}
    first = geo.load_boundaries(env=env, registry=REGISTRY)
    assert first.ok and first.boundaries.source == str(path)
    assert geo.load_boundaries(env=env, registry=REGISTRY) is first  # a rerun does not parse again
    path.write_text(json.dumps(_without(_normalised(), LEBONG)), encoding="utf-8")
    assert _codes(geo.load_boundaries(env=env, registry=REGISTRY)) == ["missing_region"]


def test_an_upload_takes_precedence_over_the_environment_variable(tmp_path):
    configured = tmp_path / "server.geojson"
    configured.write_text(json.dumps(_without(_normalised(), LEBONG)), encoding="utf-8")
    result = geo.load_boundaries(("mine.geojson", _shared_file(NORMALISED_PATH)),
                                 env={geo.BOUNDARIES_ENV: str(configured)}, cache_dir=tmp_path, registry=REGISTRY)
    assert result.ok and result.boundaries.source == "mine.geojson"


# --- download -----------------------------------------------------------------------------------------------------


class _FileHandler(http.server.BaseHTTPRequestHandler):
    """Serves the bytes in ``server.files`` by name; anything else is a 404."""

    def do_GET(self) -> None:
        body = self.server.files.get(urllib.parse.unquote(self.path.lstrip("/")))
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Silent: the request log would only clutter the test output."""


@pytest.fixture
def serve(monkeypatch):
    """Start a loopback HTTP server for a dict of file name -> bytes; returns its base URL."""
    monkeypatch.setenv("no_proxy", "127.0.0.1")  # a proxy configured on the machine must not intercept loopback
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(files: dict[str, bytes]) -> str:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FileHandler)
        server.files = files
        # A short poll so that shutdown() at teardown returns at once instead of after the default 0.5 s.
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_a_download_fills_the_cache_that_a_later_load_finds(serve, tmp_path):
    base_url = serve(_originals())
    downloaded = geo.download_boundaries(editor(), base_url=base_url, registry=REGISTRY,
                                         env={geo.CACHE_DIR_ENV: str(tmp_path)})
    assert downloaded.problems == ()
    cache_file = tmp_path / geo.load_source().cache_file
    assert downloaded.boundaries.source == str(cache_file)
    assert [p.name for p in tmp_path.iterdir()] == [cache_file.name]  # no temporary file left behind

    loaded = geo.load_boundaries(env={geo.CACHE_DIR_ENV: str(tmp_path)}, registry=REGISTRY)
    assert loaded.ok and loaded.boundaries.source == str(cache_file)
    # Normalised exactly as the shared file: registry properties only, coordinates rounded to 5 decimals.
    assert loaded.boundaries.features == _parse(_normalised()).boundaries.features
    written = json.loads(cache_file.read_bytes())
    assert {key for f in written["features"] for key in f["properties"]} == {"kode", "kode_bps", "nama", "jenis"}
    assert "NAMOBJ" not in cache_file.read_text(encoding="utf-8")


def test_the_base_url_can_come_from_the_environment(serve, tmp_path):
    env = {geo.BASE_URL_ENV: serve(_originals()).rstrip("/")}
    assert geo.download_boundaries(editor(), cache_dir=tmp_path, registry=REGISTRY, env=env).ok


def test_a_corrupted_file_rejects_the_whole_download_and_writes_nothing(serve, tmp_path):
    files = _originals()
    name = next(iter(files))
    files[name] = files[name].replace(b"102.", b"103.", 1)  # still valid JSON: only the checksum can tell
    json.loads(files[name])
    result = geo.download_boundaries(editor(), cache_dir=tmp_path, base_url=serve(files), registry=REGISTRY)
    problem = _only(result, "checksum_mismatch")
    assert problem.params["file"] == name and problem.params["expected"] == geo.load_source().files[name]
    assert problem.params["actual"] != problem.params["expected"]
    assert all(name in text for text in _messages(problem))
    assert list(tmp_path.iterdir()) == []


def test_a_file_missing_on_the_server_is_named_and_nothing_is_written(serve, tmp_path):
    files = _originals()
    name = sorted(files)[-1]
    del files[name]
    problem = _only(geo.download_boundaries(editor(), cache_dir=tmp_path, base_url=serve(files), registry=REGISTRY),
                    "download_failed")
    assert problem.params["file"] == name and "404" in problem.params["reason"]
    assert list(tmp_path.iterdir()) == []


def test_an_unreachable_server_fails_quickly(tmp_path):
    with socket.socket() as probe:  # a port that was just free: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    result = geo.download_boundaries(editor(), cache_dir=tmp_path, base_url=f"http://127.0.0.1:{port}/", timeout_s=2,
                                     registry=REGISTRY)
    assert time.monotonic() - started < 5
    assert _codes(result) == ["download_failed"]  # one attempt, not ten
    assert all(f"127.0.0.1:{port}" in text for text in _messages(result.problems[0]))
    assert list(tmp_path.iterdir()) == []


# --- texts --------------------------------------------------------------------------------------------------------


def test_both_catalogs_have_the_same_geo_keys_and_placeholders():
    indonesian, english = i18n.catalog("id"), i18n.catalog("en")
    keys = {key for key in indonesian if key.startswith("geo.")}
    assert keys and keys == {key for key in english if key.startswith("geo.")}
    for key in keys:
        assert i18n.placeholders(indonesian[key]) == i18n.placeholders(english[key]), key
