"""Reading and validating a member data set (the YAML format of ``seed_data.yml``).

Validation collects every problem in the file, each naming the entry and the field, so an
administrator can fix the file in one go. Nothing here touches the database; ``importer``
writes a validated data set.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from bot.db.models import ContactKind, MemberKind, MilestoneStatus, TransferStatus
from bot.names import normalize

SUPPORTED_VERSION = 1
WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")

T = TypeVar("T")


@dataclass(frozen=True)
class DataError:
    """One problem in a data file: which entry, which field, what is wrong."""

    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        where = self.entry if not self.field else f"{self.entry}, Feld '{self.field}'"
        return f"{where}: {self.message}"


class DatasetError(ValueError):
    """The data set is invalid; ``errors`` lists every problem found."""

    def __init__(self, errors: list[DataError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass(frozen=True)
class HoursData:
    weekday: int
    opens: dt.time
    closes: dt.time


@dataclass(frozen=True)
class ContactData:
    key: str
    kind: ContactKind
    name: str
    phone: str | None = None
    email: str | None = None
    portal_url: str | None = None
    example: bool = False
    hours: tuple[HoursData, ...] = ()


def lookup_names(key: str, name: str, aliases: tuple[str, ...]) -> dict[str, str]:
    """Every name an entry is found by, normalised, mapped to its written form."""
    names: dict[str, str] = {}
    for written in (name, *aliases, key):
        names.setdefault(normalize(written), written)
    names.pop("", None)
    return names


@dataclass(frozen=True)
class CatalogueEntry:
    """A service or a milestone: key, German name, position in its list, other names."""

    key: str
    name: str
    position: int
    aliases: tuple[str, ...] = ()

    def lookup_names(self) -> dict[str, str]:
        return lookup_names(self.key, self.name, self.aliases)


@dataclass(frozen=True)
class TransferData:
    service: str
    status: TransferStatus
    since: dt.date | None = None
    example: bool = False


@dataclass(frozen=True)
class ServicesSpec:
    """Either every catalogue service except some, or an explicit list of transfers."""

    all_except: frozenset[str] | None = None
    status: TransferStatus = TransferStatus.UEBERNOMMEN
    since: dt.date | None = None
    example: bool = False
    transfers: tuple[TransferData, ...] = ()

    def resolve(self, catalogue: list[str]) -> list[TransferData]:
        """The transfers this spec stands for, given the catalogue's service keys in order."""
        if self.all_except is None:
            return list(self.transfers)
        return [
            TransferData(key, self.status, self.since, self.example)
            for key in catalogue
            if key not in self.all_except
        ]

    def service_keys(self) -> set[str]:
        if self.all_except is not None:
            return set(self.all_except)
        return {transfer.service for transfer in self.transfers}


@dataclass(frozen=True)
class MilestoneData:
    milestone: str
    status: MilestoneStatus
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    done_on: dt.date | None = None
    example: bool = False


@dataclass(frozen=True)
class MemberData:
    key: str
    name: str
    kind: MemberKind
    joined_on: dt.date | None = None
    joined_before: dt.date | None = None
    contract_signed_on: dt.date | None = None
    example: bool = False
    aliases: tuple[str, ...] = ()
    customer_team: str | None = None
    services: ServicesSpec | None = None
    milestones: tuple[MilestoneData, ...] | None = None

    def lookup_names(self) -> dict[str, str]:
        return lookup_names(self.key, self.name, self.aliases)


@dataclass(frozen=True)
class Dataset:
    contacts: tuple[ContactData, ...] = ()
    services: tuple[CatalogueEntry, ...] = ()
    milestones: tuple[CatalogueEntry, ...] = ()
    members: tuple[MemberData, ...] = ()


@dataclass
class _Entry:
    """Reads the fields of one mapping in the file and records what is wrong with them."""

    label: str
    data: dict[str, Any]
    errors: list[DataError]
    allowed: frozenset[str] = frozenset()
    _seen: set[str] = field(default_factory=set)

    def error(self, field_name: str, message: str) -> None:
        self.errors.append(DataError(self.label, field_name, message))

    def get(
        self,
        name: str,
        convert: Callable[[Any], T],
        *,
        required: bool = False,
        default: T | None = None,
    ) -> T | None:
        self._seen.add(name)
        value = self.data.get(name)
        if value is None:
            if required:
                self.error(name, "fehlt")
            return default
        try:
            return convert(value)
        except (TypeError, ValueError) as exc:
            self.error(name, str(exc))
            return default

    def check_unknown_fields(self) -> None:
        for name in sorted(set(self.data) - self._seen - self.allowed):
            self.error(str(name), "unbekanntes Feld")


def load_dataset(path: Path) -> Dataset:
    """Read and validate the data set in ``path``; raise ``DatasetError`` if anything is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError([DataError(str(path), "", f"Datei nicht lesbar ({exc})")]) from exc
    return parse_dataset(text, source=str(path))


def parse_dataset(text: str, *, source: str = "<Text>") -> Dataset:
    """Validate the YAML ``text`` of a data set."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DatasetError([DataError(source, "", f"kein gültiges YAML ({exc})")]) from exc
    if not isinstance(raw, dict):
        raise DatasetError([DataError(source, "", "die Datei muss eine YAML-Zuordnung sein")])

    errors: list[DataError] = []
    root = _Entry(source, raw, errors)
    version = root.get("version", _integer, default=SUPPORTED_VERSION)
    if version != SUPPORTED_VERSION:
        root.error("version", f"nur Version {SUPPORTED_VERSION} wird unterstützt")

    contacts = tuple(_parse_list(root, "contacts", _parse_contact))
    services = tuple(_parse_list(root, "services", _parse_catalogue_entry))
    milestones = tuple(_parse_list(root, "milestones", _parse_catalogue_entry))
    members = tuple(_parse_list(root, "members", _parse_member))
    root.check_unknown_fields()

    for section, entries in (
        ("contacts", contacts),
        ("services", services),
        ("milestones", milestones),
        ("members", members),
    ):
        for key in _duplicates(entry.key for entry in entries):
            errors.append(DataError(section, "key", f"Schlüssel '{key}' kommt mehrfach vor"))

    if errors:
        raise DatasetError(errors)
    return Dataset(contacts, services, milestones, members)


def _parse_list(
    root: _Entry, section: str, parse: Callable[[_Entry, int], T | None]
) -> Iterator[T]:
    items: list[Any] = root.get(section, _sequence) or []
    for index, item in enumerate(items):
        label = f"{section}[{index + 1}]"
        if not isinstance(item, dict):
            root.errors.append(DataError(label, "", "muss eine Zuordnung (Feld: Wert) sein"))
            continue
        if isinstance(item.get("key"), str):
            label = f"{label} ({item['key']})"
        entry = _Entry(label, item, root.errors)
        parsed = parse(entry, index)
        entry.check_unknown_fields()
        if parsed is not None:
            yield parsed


def _parse_contact(entry: _Entry, _index: int) -> ContactData | None:
    key = entry.get("key", _key, required=True)
    kind = entry.get("kind", _choice(ContactKind), required=True)
    name = entry.get("name", _text, required=True)
    email = entry.get("email", _email)
    phone = entry.get("phone", _text)
    portal_url = entry.get("portal_url", _url)
    example = entry.get("example", _flag, default=False)
    hours: list[Any] = entry.get("hours", _sequence) or []
    parsed_hours = tuple(_parse_hours(entry, hours))
    if key is None or kind is None or name is None:
        return None
    return ContactData(key, kind, name, phone, email, portal_url, bool(example), parsed_hours)


def _parse_hours(entry: _Entry, items: list[Any]) -> Iterator[HoursData]:
    for index, item in enumerate(items):
        field_name = f"hours[{index + 1}]"
        if not isinstance(item, dict) or set(item) != {"days", "opens", "closes"}:
            entry.error(field_name, "braucht genau 'days', 'opens' und 'closes'")
            continue
        try:
            days = [_weekday(day) for day in _sequence(item["days"])]
            opens, closes = _time(item["opens"]), _time(item["closes"])
        except (TypeError, ValueError) as exc:
            entry.error(field_name, str(exc))
            continue
        if closes <= opens:
            entry.error(field_name, "'closes' muss nach 'opens' liegen")
            continue
        for day in days:
            yield HoursData(day, opens, closes)


def _parse_catalogue_entry(entry: _Entry, index: int) -> CatalogueEntry | None:
    key = entry.get("key", _key, required=True)
    name = entry.get("name", _text, required=True)
    aliases: list[str] = entry.get("aliases", _text_list) or []
    if key is None or name is None:
        return None
    return CatalogueEntry(key, name, index + 1, tuple(aliases))


def _parse_member(entry: _Entry, _index: int) -> MemberData | None:
    key = entry.get("key", _key, required=True)
    name = entry.get("name", _text, required=True)
    kind = entry.get("kind", _choice(MemberKind), required=True)
    joined_on = entry.get("joined_on", _date)
    joined_before = entry.get("joined_before", _date)
    contract_signed_on = entry.get("contract_signed_on", _date)
    example = entry.get("example", _flag, default=False)
    aliases: list[str] = entry.get("aliases", _text_list) or []
    customer_team = entry.get("customer_team", _key)
    services = entry.get("services", _services_spec)
    raw_milestones = entry.get("milestones", _sequence)
    milestones = None if raw_milestones is None else tuple(_parse_milestones(entry, raw_milestones))

    if joined_on and joined_before:
        entry.error("joined_before", "nur eines von 'joined_on' und 'joined_before' angeben")
    if joined_on and contract_signed_on and contract_signed_on > joined_on:
        entry.error("contract_signed_on", "liegt nach dem Beitritt ('joined_on')")
    if key is None or name is None or kind is None:
        return None
    return MemberData(
        key=key,
        name=name,
        kind=kind,
        joined_on=joined_on,
        joined_before=joined_before,
        contract_signed_on=contract_signed_on,
        example=bool(example),
        aliases=tuple(aliases),
        customer_team=customer_team,
        services=services,
        milestones=milestones,
    )


def _parse_milestones(entry: _Entry, items: list[Any]) -> Iterator[MilestoneData]:
    allowed = {"milestone", "status", "planned_start", "planned_end", "done_on", "example"}
    for index, item in enumerate(items):
        field_name = f"milestones[{index + 1}]"
        if not isinstance(item, dict):
            entry.error(field_name, "muss eine Zuordnung sein")
            continue
        unknown = sorted(set(item) - allowed)
        if unknown:
            entry.error(field_name, f"unbekannte Felder: {', '.join(map(str, unknown))}")
            continue
        try:
            milestone = MilestoneData(
                milestone=_key(_required(item, "milestone")),
                status=_choice(MilestoneStatus)(_required(item, "status")),
                planned_start=_optional(item, "planned_start", _date),
                planned_end=_optional(item, "planned_end", _date),
                done_on=_optional(item, "done_on", _date),
                example=bool(_optional(item, "example", _flag)),
            )
        except (TypeError, ValueError) as exc:
            entry.error(field_name, str(exc))
            continue
        if milestone.planned_start and not milestone.planned_end:
            entry.error(field_name, "'planned_start' braucht auch 'planned_end'")
        elif (
            milestone.planned_start
            and milestone.planned_end
            and milestone.planned_start > milestone.planned_end
        ):
            entry.error(field_name, "'planned_start' liegt nach 'planned_end'")
        else:
            yield milestone
    keys = [item.get("milestone") for item in items if isinstance(item, dict)]
    for key in _duplicates(key for key in keys if isinstance(key, str)):
        entry.error("milestones", f"Meilenstein '{key}' kommt mehrfach vor")


def _services_spec(value: Any) -> ServicesSpec:
    if isinstance(value, dict):
        unknown = sorted(set(value) - {"all_except", "status", "since", "example"})
        if unknown:
            raise ValueError(f"unbekannte Felder: {', '.join(map(str, unknown))}")
        if "all_except" not in value:
            raise ValueError("braucht 'all_except' (Liste, auch leer) oder eine Liste von Diensten")
        return ServicesSpec(
            all_except=frozenset(_key(item) for item in _sequence(value["all_except"] or [])),
            status=_choice(TransferStatus)(value.get("status", TransferStatus.UEBERNOMMEN.value)),
            since=_optional(value, "since", _date),
            example=bool(_optional(value, "example", _flag)),
        )
    transfers = []
    for index, item in enumerate(_sequence(value)):
        if not isinstance(item, dict) or not set(item) <= {"service", "status", "since", "example"}:
            raise ValueError(
                f"Eintrag {index + 1} braucht 'service' und 'status' (optional 'since', 'example')"
            )
        transfers.append(
            TransferData(
                service=_key(_required(item, "service")),
                status=_choice(TransferStatus)(_required(item, "status")),
                since=_optional(item, "since", _date),
                example=bool(_optional(item, "example", _flag)),
            )
        )
    for key in _duplicates(transfer.service for transfer in transfers):
        raise ValueError(f"Dienst '{key}' kommt mehrfach vor")
    return ServicesSpec(transfers=tuple(transfers))


def _required(item: dict[str, Any], name: str) -> Any:
    if item.get(name) is None:
        raise ValueError(f"'{name}' fehlt")
    return item[name]


def _optional(item: dict[str, Any], name: str, convert: Callable[[Any], T]) -> T | None:
    value = item.get(name)
    return None if value is None else convert(value)


def _duplicates(keys: Iterator[str] | Any) -> list[str]:
    seen: set[str] = set()
    duplicates: list[str] = []
    for key in keys:
        if key in seen and key not in duplicates:
            duplicates.append(key)
        seen.add(key)
    return duplicates


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError("muss ein Text sein")
    text = str(value).strip()
    if not text:
        raise ValueError("darf nicht leer sein")
    if len(text) > 200:
        raise ValueError("ist länger als 200 Zeichen")
    return text


def _text_list(value: Any) -> list[str]:
    return [_text(item) for item in _sequence(value)]


def _key(value: Any) -> str:
    if not isinstance(value, str) or not _KEY.match(value):
        raise ValueError(
            f"'{value}' ist kein gültiger Schlüssel (Kleinbuchstaben, Ziffern, Bindestrich)"
        )
    return value


def _email(value: Any) -> str:
    if not isinstance(value, str) or not _EMAIL.match(value.strip()):
        raise ValueError(f"'{value}' ist keine gültige E-Mail-Adresse")
    return value.strip()


def _url(value: Any) -> str:
    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
        raise ValueError(f"'{value}' ist keine gültige Adresse (https://…)")
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("muss true oder false sein")
    return value


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("muss eine ganze Zahl sein")
    return value


def _sequence(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("muss eine Liste sein")
    return value


def _choice(enum_class: type[Any]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        for member in enum_class:
            if value == member.value:
                return member
        allowed = ", ".join(f"'{member.value}'" for member in enum_class)
        raise ValueError(f"'{value}' ist nicht erlaubt (erlaubt: {allowed})")

    return convert


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        german = _GERMAN_DATE.match(value.strip())
        try:
            if german:
                day, month, year = (int(part) for part in german.groups())
                return dt.date(year, month, day)
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"'{value}' ist kein gültiges Datum (JJJJ-MM-TT oder TT.MM.JJJJ)")


def _time(value: Any) -> dt.time:
    match = _TIME.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"'{value}' ist keine Uhrzeit im Format \"HH:MM\" (in Anführungszeichen)")
    return dt.time(int(match.group(1)), int(match.group(2)))


def _weekday(value: Any) -> int:
    if value not in WEEKDAYS:
        raise ValueError(f"'{value}' ist kein Wochentag (erlaubt: {', '.join(WEEKDAYS)})")
    return WEEKDAYS.index(value)
