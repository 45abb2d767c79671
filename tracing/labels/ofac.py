"""The OFAC SDN list's digital currency addresses, parsed from the official ``sdn_advanced.xml``.

Each sanctioned party (``DistinctParty``) lists its addresses as features of the
type "Digital Currency Address - <ASSET>"; its primary name is the name parts of
the primary alias's first documented name (the others spell the same name another
way, e.g. "GARANTEX EUROPE OÜ" beside "GARANTEX EUROPE OU", or in another script);
its programs and listing date are on the ``SanctionsEntry`` of its profile. The file is streamed (plain or ``.bz2``), never held whole:
the full list is about 120 MB.
"""

import bz2
import csv
import io
from dataclasses import astuple, dataclass
from pathlib import Path
from xml.parsers import expat

from tracing.errors import ImportFormatError

__all__ = ["SdnAddress", "SdnList", "parse_sdn_advanced", "read_sdn_csv", "write_sdn_csv"]

_FEATURE_PREFIX = "Digital Currency Address - "
HEADER = ("asset", "address", "sdn_fixed_ref", "sdn_primary_name", "programs", "entry_date")


@dataclass(frozen=True)
class SdnAddress:
    """One listed address: asset code, address as listed, SDN id, primary name, programs, listing date."""

    asset: str
    address: str
    sdn_fixed_ref: str
    sdn_primary_name: str
    programs: str
    entry_date: str

    def to_row(self) -> dict:
        """The row of the derived CSV."""
        return dict(zip(HEADER, astuple(self)))


@dataclass(frozen=True)
class SdnList:
    """The addresses of one issue of the list, in the file's order, and the issue's date (ISO)."""

    published: str
    addresses: list[SdnAddress]


def _iso(parts: dict[str, str]) -> str:
    """``{Year, Month, Day}`` as YYYY-MM-DD ('' without a year)."""
    if not parts.get("Year"):
        return ""
    return f"{int(parts['Year']):04d}-{int(parts.get('Month') or 1):02d}-{int(parts.get('Day') or 1):02d}"


class _Reader:
    """Expat handlers that keep only what the address list needs (no element tree: 1.8 M elements)."""

    def __init__(self):
        self.asset_of: dict[str, str] = {}
        self.published = ""
        self.parties: list[tuple[str, str, list[tuple[str, str]]]] = []
        self.entries: dict[str, tuple[str, str]] = {}
        self._text: list[str] | None = None
        self._date: dict[str, str] = {}
        self._path: list[str] = []
        self._party: tuple[str, list[str], list[tuple[str, str]]] | None = None
        self._in_primary = self._named = False
        self._feature = ""
        self._entry: tuple[str, list[str]] | None = None
        self._program = False
        self._entry_date = ""

    def start(self, tag: str, attrs: dict) -> None:
        self._path.append(tag)
        if tag == "FeatureType":
            self._feature = attrs.get("ID", "")
            self._text = []
        elif tag in ("Year", "Month", "Day", "NamePartValue", "VersionDetail", "Comment"):
            if tag == "NamePartValue" and not self._in_primary:
                return
            if tag == "VersionDetail" and not self._feature:
                return
            if tag == "Comment" and not self._program:
                return
            self._text = []
        elif tag == "DistinctParty":
            self._party = (attrs.get("FixedRef", ""), [], [])
            self._named = False
        elif tag == "Alias" and self._party is not None and attrs.get("Primary") == "true" and not self._named:
            self._in_primary = True
        elif tag == "Feature" and self._party is not None:
            self._feature = self.asset_of.get(attrs.get("FeatureTypeID", ""), "")
        elif tag == "SanctionsEntry":
            self._entry = (attrs.get("ProfileID", ""), [])
            self._entry_date = ""
        elif tag == "SanctionsMeasure":
            self._program = attrs.get("SanctionsTypeID") == "1"
        elif tag in ("DateOfIssue", "Date"):
            self._date = {}

    def data(self, text: str) -> None:
        if self._text is not None:
            self._text.append(text)

    def end(self, tag: str) -> None:
        self._path.pop()
        text = "".join(self._text).strip() if self._text is not None else ""
        self._text = None
        if tag == "FeatureType":
            if text.startswith(_FEATURE_PREFIX):
                self.asset_of[self._feature] = text[len(_FEATURE_PREFIX) :].strip()
            self._feature = ""
        elif tag in ("Year", "Month", "Day"):
            self._date[tag] = text
        elif tag == "DateOfIssue":
            self.published = _iso(self._date)
        elif tag == "Date" and self._entry is not None and self._path[-1:] == ["EntryEvent"]:
            self._entry_date = self._entry_date or _iso(self._date)
        elif tag == "NamePartValue" and self._in_primary and text:
            self._party[1].append(text)
        elif tag in ("DocumentedName", "Alias") and self._in_primary:
            self._in_primary, self._named = False, True
        elif tag == "VersionDetail" and self._feature and text:
            self._party[2].append((self._feature, text))
        elif tag == "Feature":
            self._feature = ""
        elif tag == "DistinctParty":
            ref, name, found = self._party
            if found:
                self.parties.append((ref, " ".join(name), found))
            self._party = None
        elif tag == "Comment" and self._program and text:
            self._entry[1].append(text)
        elif tag == "SanctionsMeasure":
            self._program = False
        elif tag == "SanctionsEntry":
            profile, programs = self._entry
            self.entries.setdefault(profile, (self._entry_date, ";".join(sorted(programs))))
            self._entry = None


def _open(path: Path):
    return bz2.open(path, "rb") if path.suffix == ".bz2" else path.open("rb")


def parse_sdn_advanced(path: str | Path) -> SdnList:
    """Parse ``sdn_advanced.xml`` (or ``.xml.bz2``) into its digital currency addresses.

    Raises
    ------
    ImportFormatError
        The file is not readable XML or not the advanced SDN format.
    """
    path = Path(path)
    reader = _Reader()
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 1 << 20
    parser.StartElementHandler, parser.EndElementHandler = reader.start, reader.end
    parser.CharacterDataHandler = reader.data
    try:
        with _open(path) as raw:
            parser.ParseFile(raw)
    except (OSError, EOFError, expat.ExpatError) as err:
        raise ImportFormatError(f"{path}: not a readable sdn_advanced.xml: {err}") from err
    if not reader.published or not reader.asset_of:
        raise ImportFormatError(f"{path}: no DateOfIssue or digital currency feature types: not sdn_advanced.xml")
    entries = reader.entries
    addresses = [
        SdnAddress(asset, address, ref, name, *reversed(entries.get(ref, ("", ""))))
        for ref, name, found in reader.parties
        for asset, address in found
    ]
    return SdnList(reader.published, addresses)


def write_sdn_csv(addresses: list[SdnAddress]) -> str:
    """The derived CSV text (header ``asset,address,sdn_fixed_ref,sdn_primary_name,programs,entry_date``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(astuple(a) for a in addresses)
    return out.getvalue()


def read_sdn_csv(text: str) -> list[SdnAddress]:
    """Rows of a derived CSV back into addresses."""
    return [SdnAddress(*(row[k] for k in HEADER)) for row in csv.DictReader(io.StringIO(text))]
