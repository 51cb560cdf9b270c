"""Regenerate gxcrawl/data/regions.tsv and citycodes.tsv from jionlp's bundled data.

The administrative-division registry is not typed by hand: it is taken from the
dictionaries that ship inside the `jionlp` package (china_location.zip for the
province/prefecture/county tree with 6-digit codes, phone_location.zip for each
prefecture's telephone area code and postcode). jionlp is only needed to
regenerate these files, not at run time:

    pip install --no-deps jionlp && python scripts/build_regions.py
"""
import csv
import importlib.util
import io
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "gxcrawl" / "data"
LEVELS = {0: "province", 1: "prefecture", 2: "county"}


def jionlp_dictionary() -> Path:
    spec = importlib.util.find_spec("jionlp")
    if spec is None:
        raise SystemExit("jionlp is not installed: pip install --no-deps jionlp")
    return Path(spec.submodule_search_locations[0]) / "dictionary"


def read_zip_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        name = zf.namelist()[0]
        return zf.read(name).decode("utf-8")


def build_regions(dictionary: Path) -> list[dict]:
    rows, parents, seen = [], {}, set()
    for line in io.StringIO(read_zip_text(dictionary / "china_location.zip")):
        depth = len(line) - len(line.lstrip("\t"))
        if depth > 2:
            continue
        fields = line.strip().split("\t")
        if len(fields) < 3 or not fields[1].isdigit():
            continue
        name, code, short = fields[0], fields[1], fields[2]
        parents[depth] = code
        parent = parents.get(depth - 1, "") if depth else ""
        if depth == 1 and code == parent:  # municipalities repeat themselves as prefecture
            parents[1] = code
            continue
        # placeholders (市直辖行政区划, the districts of 香港/澳门 listed under the
        # region's own code) and repeated codes would make a region its own parent
        if code == parent or code in seen or name.endswith("直辖行政区划"):
            continue
        seen.add(code)
        rows.append({"code": code, "name": name, "short": short, "level": LEVELS[depth],
                     "parent_code": parent})
    return rows


def build_citycodes(dictionary: Path) -> list[dict]:
    rows = []
    for line in io.StringIO(read_zip_text(dictionary / "phone_location.zip")):
        if line.startswith("\t") or not line.strip():
            continue
        place, area_code, postcode = line.rstrip("\n").split("\t")[:3]
        province, _, city = place.partition(" ")
        # the source drops leading zeros of postcodes in 0xxxxx (河北, 内蒙古 …)
        rows.append({"province_short": province, "city_short": city or province,
                     "area_code": area_code, "postcode": postcode.strip().zfill(6)})
    return rows


def write_tsv(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    dictionary = jionlp_dictionary()
    OUT.mkdir(parents=True, exist_ok=True)
    regions = build_regions(dictionary)
    write_tsv(OUT / "regions.tsv", regions)
    codes = build_citycodes(dictionary)
    write_tsv(OUT / "citycodes.tsv", codes)
    print(f"{len(regions)} regions, {len(codes)} city codes written to {OUT}")
