"""Build pamper/search/data/postcodes.tsv.gz, the offline postcode-to-town table (see search/postcodes.py).

Run by a developer when the source package changes (it is a dev dependency; the app reads only the
shipped file): `manage.py build_postcodes`. Sources:
- countrystatecity-postal-codes (ODbL): UK postcode areas, Dutch, Belgian, German, French, Italian and
  Portuguese codes to their locality; each locality is placed with the project's place index (geonames)
  when the package gives no coordinates, and codes whose town it cannot place are left out;
- Spain: the package lists municipality (INE) codes, not postcodes, so Spanish codes resolve by Correos'
  rule: the first two digits are the province, and codes whose third digit is 0 belong to its capital
  (28013 -> Madrid); other Spanish codes are not resolved;
- Ireland: the package has no Eircodes: the routing keys of Dublin and of the main towns (IE_ROUTING_KEYS).
"""

from __future__ import annotations

import collections
import gzip
import json
from pathlib import Path
from typing import Any

import countrystatecity_postal_codes
from django.core.management.base import BaseCommand

from pamper.search import places
from pamper.search.placedata import POSTCODE_FILE as DATA_FILE

SOURCE = Path(countrystatecity_postal_codes.__file__).parent / "data" / "by-country"
FROM_PACKAGE = ("GB", "NL", "BE", "DE", "FR", "IT", "PT")
ES_PROVINCE_CAPITALS = {
    "01": "Vitoria-Gasteiz", "02": "Albacete", "03": "Alicante", "04": "Almería", "05": "Ávila", "06": "Badajoz",
    "07": "Palma", "08": "Barcelona", "09": "Burgos", "10": "Cáceres", "11": "Cádiz", "12": "Castellón de la Plana",
    "13": "Ciudad Real", "14": "Córdoba", "15": "A Coruña", "16": "Cuenca", "17": "Girona", "18": "Granada",
    "19": "Guadalajara", "20": "San Sebastián", "21": "Huelva", "22": "Huesca", "23": "Jaén", "24": "León",
    "25": "Lleida", "26": "Logroño", "27": "Lugo", "28": "Madrid", "29": "Málaga", "30": "Murcia", "31": "Pamplona",
    "32": "Ourense", "33": "Oviedo", "34": "Palencia", "35": "Las Palmas de Gran Canaria", "36": "Pontevedra",
    "37": "Salamanca", "38": "Santa Cruz de Tenerife", "39": "Santander", "40": "Segovia", "41": "Sevilla",
    "42": "Soria", "43": "Tarragona", "44": "Teruel", "45": "Toledo", "46": "Valencia", "47": "Valladolid",
    "48": "Bilbao", "49": "Zamora", "50": "Zaragoza", "51": "Ceuta", "52": "Melilla",
}
IE_ROUTING_KEYS = {
    **{f"D{n:02d}": "Dublin" for n in range(1, 25)}, "D6W": "Dublin",
    "T12": "Cork", "T23": "Cork", "H91": "Galway", "V94": "Limerick", "X91": "Waterford", "A91": "Dundalk",
    "A92": "Drogheda", "R95": "Kilkenny", "F92": "Letterkenny", "F91": "Sligo", "N37": "Athlone", "R35": "Tullamore",
    "A94": "Blackrock", "A96": "Dún Laoghaire", "K67": "Swords", "K78": "Lucan", "C15": "Navan", "W91": "Naas",
    "Y35": "Wexford", "V92": "Tralee", "E91": "Clonmel", "R93": "Carlow", "A98": "Bray", "A63": "Greystones",
    "N91": "Mullingar", "V95": "Ennis",
}
GB_RENAMES = {"Blackpool (Fylde)": "Blackpool", "Cleveland": "Middlesbrough", "Medway": "Chatham",
              "Tweeddale": "Galashiels"}


def _town_name(country: str, name: str) -> str:
    if country == "GB":
        return "London" if name.startswith("London") else GB_RENAMES.get(name, name)
    return name.title() if name.isupper() else name


def _place(country: str, name: str) -> places.Place | None:
    """The geonames town of that name in the country, trying the part before a hyphenated suffix too."""
    index = places.index()
    found = index.named(name, country)
    if not found and "-" in name:
        found = index.named(name.split("-")[0], country)
    return found[0] if found else None


class Command(BaseCommand):
    help = "Build the offline postcode-to-town file from countrystatecity-postal-codes (developers only)."

    def handle(self, *args: Any, **options: Any) -> None:
        rows: dict[tuple[str, str], tuple[str, float, float, int]] = {}
        for country in FROM_PACKAGE:
            records = json.loads((SOURCE / country / "postcodes.json").read_text("utf-8"))
            by_key: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
            points: dict[tuple[str, str], tuple[float, float]] = {}
            for record in records:
                if not record.get("localityName"):
                    continue
                key = record["code"].split("-")[0] if country == "PT" else record["code"]
                name = _town_name(country, record["localityName"])
                by_key[key][name] += 1
                if record.get("latitude") is not None:
                    points[(key, name)] = (record["latitude"], record["longitude"])
            for key, names in by_key.items():
                self._keep(rows, country, key, names, points)
        for prefix, town in ES_PROVINCE_CAPITALS.items():  # 28013: the capital's codes are 280xx
            self._keep(rows, "ES", f"{prefix}0", collections.Counter({town: 1}), {}, named=True)
        for key, town in IE_ROUTING_KEYS.items():
            self._keep(rows, "IE", key, collections.Counter({town: 1}), {}, named=True)
        lines = [f"{c}\t{k}\t{t}\t{lat:.5f}\t{lng:.5f}\t{pop}" for (c, k), (t, lat, lng, pop) in sorted(rows.items())]
        header = "# country\tkey\ttown\tlat\tlng\tpopulation (built by manage.py build_postcodes; data: ODbL)\n"
        DATA_FILE.parent.mkdir(parents=True, exist_ok=True)
        with gzip.GzipFile(DATA_FILE, "wb", mtime=0) as handle:
            handle.write((header + "\n".join(lines) + "\n").encode("utf-8"))
        per_country = collections.Counter(c for c, _ in rows)
        self.stdout.write(f"{len(rows)} codes written to {DATA_FILE}: {dict(sorted(per_country.items()))}")

    def _keep(self, rows: dict, country: str, key: str, names: collections.Counter,
              points: dict[tuple[str, str], tuple[float, float]], named: bool = False) -> None:
        """The code's town: the biggest of the localities it lists that the place index can place
        (under the name given here when `named`, else geonames' name)."""
        best = None
        for name, _ in names.most_common():
            town = _place(country, name)
            if town is None:
                continue
            lat, lng = points.get((key, name), (town.lat, town.lng))
            if best is None or town.population > best[3]:
                best = (name if named else town.name, lat, lng, town.population)
        if best is not None:
            rows[(country, key)] = best
