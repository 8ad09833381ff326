"""Read and check a CSV of children and their parents or carers, without saving anything.

Each row of the file is one child, with up to two parents or carers to invite. Row numbers are the
spreadsheet's own (the column names are row 1), so a manager can find the row an error names.
"""

import codecs
import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from core.dates import years_after, years_before
from nursery.models import Nursery, Room

from ..models import CHILD_MAX_AGE_YEARS, START_AHEAD_YEARS, Child, Relationship

MAX_BYTES = 1024 * 1024
MAX_ROWS = 500
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass(frozen=True)
class Column:
    name: str
    required: bool  # the column must be in the file (its cells may still be allowed empty)
    explain: str


COLUMNS = [
    Column("child_first_name", True, "The child's first name. Must be filled in."),
    Column("child_last_name", True, "The child's last name (surname). Must be filled in."),
    Column("preferred_name", False, "What the child likes to be called, if not their first name. Can be empty."),
    Column(
        "date_of_birth",
        True,
        "Written as year-month-day (2022-03-14) or day/month/year the UK way (14/03/2022). Must be filled in.",
    ),
    Column(
        "start_date",
        True,
        "The child's first day at the nursery (it may be in the future), written the same way as the date of birth.",
    ),
    Column(
        "room",
        True,
        "The name of one of your rooms, spelt as in KeyStory. Leave it empty if the room is not decided yet.",
    ),
    Column(
        "guardian_name",
        True,
        "The full name of a parent or carer to invite. Leave it and the e-mail empty to invite the family later "
        "from the child's page.",
    ),
    Column("guardian_email", True, "Their e-mail address: the invitation to KeyStory is sent there."),
    Column(
        "relationship",
        False,
        "Who they are to the child: mother, father, parent, step-parent, grandparent, foster carer or other. "
        "Empty means parent.",
    ),
    Column(
        "parental_responsibility",
        False,
        "yes or no: whether they have parental responsibility, the legal right to make decisions about the child. "
        "Empty means yes for a mother, father or parent and no for anyone else.",
    ),
    Column("guardian2_name", False, "A second parent or carer to invite, if there is one. Can be empty."),
    Column("guardian2_email", False, "The second parent or carer's e-mail address."),
    Column("guardian2_relationship", False, "Who the second person is to the child, as for relationship."),
    Column("guardian2_parental_responsibility", False, "yes or no, as for parental_responsibility."),
]
COLUMN_NAMES = [column.name for column in COLUMNS]
REQUIRED = [column.name for column in COLUMNS if column.required]

RELATIONSHIPS = {
    **{value: value for value in Relationship.values},
    **{label.lower(): value for value, label in Relationship.choices},
    "step parent": Relationship.STEP_PARENT,
    "stepparent": Relationship.STEP_PARENT,
    "mum": Relationship.MOTHER,
    "dad": Relationship.FATHER,
    "foster carer": Relationship.FOSTER_CARER,
    "carer": Relationship.OTHER,
}
HOLDS_PARENTAL_RESPONSIBILITY = {Relationship.MOTHER, Relationship.FATHER, Relationship.PARENT}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


class UnreadableFile(ValueError):
    """The upload is not a text file KeyStory can read as CSV; the message says what to do."""


@dataclass
class Guardian:
    name: str
    email: str
    relationship: str
    has_parental_responsibility: bool

    def get_relationship_display(self) -> str:
        return Relationship(self.relationship).label


@dataclass
class ChildRow:
    row: int
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: date
    start_date: date
    room: Room | None
    guardians: list[Guardian]

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}"


@dataclass
class Invitation:
    """One e-mail inviting one person, for one child or for several brothers and sisters."""

    guardian: Guardian
    children: list[ChildRow]


@dataclass
class ImportPlan:
    rows: list[ChildRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors

    @property
    def invitations(self) -> list[Invitation]:
        """Invitations to send: one per person, covering all their children in the file (siblings).

        A person given as, say, mother of one child and step-parent of another gets one invitation for
        each, since an invitation grants one relationship.
        """
        grouped: dict[tuple, Invitation] = {}
        for row in self.rows:
            for guardian in row.guardians:
                key = (guardian.email, guardian.relationship, guardian.has_parental_responsibility)
                grouped.setdefault(key, Invitation(guardian, [])).children.append(row)
        return list(grouped.values())


def decode(data: bytes) -> str:
    """The text of an uploaded file, or UnreadableFile saying why it cannot be read."""
    if not data.strip():
        raise UnreadableFile("The file is empty. Choose the CSV file with your children in it.")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            "This is an Excel workbook, not a CSV file. In Excel choose File, Save a copy, and the type "
            "“CSV UTF-8 (comma delimited)”, then upload that file."
        )
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")  # Excel's "Unicode text"
        else:
            text = data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte order mark
    except UnicodeDecodeError:
        raise UnreadableFile(
            "This file is not saved as UTF-8 text, so names with accents could come out wrong. Save it again as "
            "“CSV UTF-8 (comma delimited)” (in Excel) or “Text CSV” with the character set UTF-8 (in LibreOffice)."
        ) from None
    if "\x00" in text:
        raise UnreadableFile("This is not a CSV text file. Save your spreadsheet as CSV and upload that file.")
    return text


def _delimiter(text: str) -> str:
    """Commas, or the semicolons (or tabs) some spreadsheets in Europe write instead."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    return max([",", ";", "\t"], key=first_line.count)


def _header_name(cell: str) -> str:
    return "_".join(cell.strip().lower().replace("-", " ").split())


def _clean(cell: str) -> str:
    return " ".join(cell.split())


def read_children(text: str, *, nursery: Nursery) -> ImportPlan:
    """Check every row of the file; nothing is saved. The plan lists the children, or every problem."""
    plan = ImportPlan()
    try:
        records = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=_delimiter(text)))
    except csv.Error as error:
        plan.errors.append(f"This file could not be read as CSV ({error}). Save it from your spreadsheet as CSV.")
        return plan
    if not records or not any(cell.strip() for cell in records[0]):
        plan.errors.append("The file is empty: the first row should name the columns, as in the template.")
        return plan
    header = [_header_name(cell) for cell in records[0]]
    if not _check_header(header, plan):
        return plan
    numbered = [
        (number, record) for number, record in enumerate(records[1:], start=2) if any(c.strip() for c in record)
    ]
    if not numbered:
        plan.errors.append("The file has no children in it: add one row for each child under the column names.")
        return plan
    if len(numbered) > MAX_ROWS:
        plan.errors.append(
            f"The file has {len(numbered)} children; at most {MAX_ROWS} can be imported at once. "
            "Split it into smaller files."
        )
        return plan
    _RowChecker(nursery, plan).check(header, numbered)
    return plan


def _check_header(header: list[str], plan: ImportPlan) -> bool:
    seen = set()
    for name in header:
        if name and name in seen:
            plan.errors.append(f"The column “{name}” appears twice. Keep only one.")
        seen.add(name)
    missing = [name for name in REQUIRED if name not in seen]
    if missing:
        names = ", ".join(f"“{name}”" for name in missing)
        plural = "s" if len(missing) > 1 else ""
        plan.errors.append(
            f"The file has no column{plural} {names}. The first row must name the columns as in the template."
        )
    unknown = [name for name in header if name and name not in COLUMN_NAMES]
    if unknown:
        names = ", ".join(f"“{name}”" for name in unknown)
        plan.errors.append(
            f"KeyStory does not know the column{'s' if len(unknown) > 1 else ''} {names}: check the spelling "
            "against the template, or remove it, so that nothing in the file is silently left out."
        )
    return not plan.errors


class _RowChecker:
    def __init__(self, nursery: Nursery, plan: ImportPlan) -> None:
        self.nursery, self.plan = nursery, plan
        self.today = timezone.localdate()
        self.oldest = years_before(self.today, CHILD_MAX_AGE_YEARS)  # older: almost certainly a slip in the year
        self.latest_start = years_after(self.today, START_AHEAD_YEARS)
        rooms = list(nursery.rooms.all())
        self.rooms = {room.name.casefold(): room for room in rooms}
        self.room_names = ", ".join(room.name for room in rooms if room.archived_on is None) or "none yet"
        self.children: dict[tuple, int] = {}  # (first, last, born) -> row
        self.guardian_names: dict[str, tuple[str, int]] = {}  # email -> (name, row)

    def check(self, header: list[str], numbered: list[tuple[int, list[str]]]) -> None:
        rows = []
        for number, record in numbered:
            if len(record) > len(header):
                self.error(
                    number,
                    "there are more values than columns. If a name or address has a comma in it, put it "
                    "in double quotes, or save the file from your spreadsheet again.",
                )
                continue
            cells = {name: _clean(value) for name, value in zip(header, record, strict=False) if name}
            if any(value.strip() for name, value in zip(header, record, strict=False) if not name):
                self.error(number, "there is a value in a column with no name. Name the column or remove it.")
                continue
            row = self.check_row(number, cells)
            if row is not None:
                rows.append(row)
        self.plan.rows = self.not_yet_here(rows)
        self.plan.errors.sort(key=_row_order)

    def error(self, number: int, message: str) -> None:
        self.plan.errors.append(f"Row {number}: {message}")

    def check_row(self, number: int, cells: dict[str, str]) -> ChildRow | None:
        errors_before = len(self.plan.errors)
        first, last = cells.get("child_first_name", ""), cells.get("child_last_name", "")
        preferred = cells.get("preferred_name", "")
        for label, value, required in (
            ("first name", first, True),
            ("last name", last, True),
            ("preferred name", preferred, False),
        ):
            if required and not value:
                self.error(number, f"the child's {label} is empty.")
            elif len(value) > Child._meta.get_field("first_name").max_length:
                self.error(number, f"the child's {label} is longer than 80 letters.")
        born = self.date(number, cells.get("date_of_birth", ""), "date of birth")
        starts = self.date(number, cells.get("start_date", ""), "start date")
        if born and born > self.today:
            self.error(number, f"date of birth {born.isoformat()} is in the future.")
            born = None
        elif born and born < self.oldest:
            self.error(
                number,
                f"date of birth {born.isoformat()} is more than {CHILD_MAX_AGE_YEARS} years ago, too old for nursery: "
                "check the year.",
            )
            born = None
        if born and starts and starts < born:
            self.error(number, f"start date {starts.isoformat()} is before the date of birth {born.isoformat()}.")
        elif starts and starts > self.latest_start:
            self.error(
                number, f"start date {starts.isoformat()} is more than {START_AHEAD_YEARS} years away: check the year."
            )
        room = self.room(number, cells.get("room", ""))
        guardians = [
            guardian
            for prefix in ("guardian", "guardian2")
            if (guardian := self.guardian(number, cells, prefix)) is not None
        ]
        if len(guardians) == 2 and guardians[0].email == guardians[1].email:
            self.error(number, f"both parents or carers have the e-mail {guardians[0].email}: each needs their own.")
        else:
            for guardian in guardians:
                self.one_name_per_email(number, guardian)
        if first and last and born:
            key = (first.casefold(), last.casefold(), born)
            if key in self.children:
                self.error(
                    number,
                    f"{first} {last}, born {born.isoformat()}, is also on row {self.children[key]}. "
                    "Each child should be on one row only.",
                )
            else:
                self.children[key] = number
        if len(self.plan.errors) > errors_before:
            return None
        return ChildRow(number, first, last, preferred, born, starts, room, guardians)

    def date(self, number: int, value: str, label: str) -> date | None:
        if not value:
            self.error(number, f"the {label} is empty.")
            return None
        for format in DATE_FORMATS:
            try:
                return datetime.strptime(value, format).date()
            except ValueError:
                continue
        self.error(
            number, f"the {label} “{value}” is not a date KeyStory can read: write it as 2022-03-14 or 14/03/2022."
        )
        return None

    def room(self, number: int, value: str) -> Room | None:
        if not value:
            return None
        room = self.rooms.get(value.casefold())
        if room is None:
            self.error(number, f"there is no room called “{value}”. Your rooms: {self.room_names}.")
        elif room.archived_on is not None:
            self.error(
                number, f"the room “{room.name}” is archived and takes no new children. Your rooms: {self.room_names}."
            )
        return room

    def guardian(self, number: int, cells: dict[str, str], prefix: str) -> Guardian | None:
        who = "parent or carer" if prefix == "guardian" else "second parent or carer"
        name, email = cells.get(f"{prefix}_name", ""), cells.get(f"{prefix}_email", "").lower()
        parts = ("relationship", "parental_responsibility")
        given = [cells.get(part if prefix == "guardian" else f"{prefix}_{part}", "") for part in parts]
        if not name and not email:
            if any(given):
                self.error(number, f"the {who} has a relationship but no name or e-mail.")
            return None
        valid = True
        if not name:
            self.error(number, f"the {who} with the e-mail {email} has no name.")
            valid = False
        elif len(name) > 150:
            self.error(number, f"the {who}'s name is longer than 150 letters.")
            valid = False
        if not email:
            self.error(number, f"{name} has no e-mail address, so cannot be invited.")
            valid = False
        else:
            try:
                validate_email(email)
            except ValidationError:
                self.error(number, f"the {who}'s e-mail “{email}” is not a valid e-mail address.")
                valid = False
        relationship = self.relationship(number, given[0], who)
        responsibility = self.responsibility(number, given[1], relationship, who)
        if not valid or relationship is None or responsibility is None:
            return None
        return Guardian(name, email, relationship, responsibility)

    def one_name_per_email(self, number: int, guardian: Guardian) -> None:
        earlier = self.guardian_names.setdefault(guardian.email, (guardian.name, number))
        if earlier[0].casefold() != guardian.name.casefold():
            self.error(
                number,
                f"the e-mail {guardian.email} belongs to “{earlier[0]}” on row {earlier[1]} but to “{guardian.name}” "
                "here. One e-mail address is one person: use the same name, or another e-mail.",
            )

    def relationship(self, number: int, value: str, who: str) -> str | None:
        if not value:
            return Relationship.PARENT
        relationship = RELATIONSHIPS.get(" ".join(value.lower().replace("-", " ").replace("_", " ").split()))
        if relationship is None:
            self.error(
                number,
                f"the {who}'s relationship “{value}” is not one KeyStory knows: use mother, father, parent, "
                "step-parent, grandparent, foster carer or other.",
            )
        return relationship

    def responsibility(self, number: int, value: str, relationship: str | None, who: str) -> bool | None:
        answer = value.lower()
        if not answer:
            return relationship in HOLDS_PARENTAL_RESPONSIBILITY
        if answer in YES:
            return True
        if answer in NO:
            return False
        self.error(number, f"parental responsibility for the {who} is “{value}”: write yes or no.")
        return None

    def not_yet_here(self, rows: list[ChildRow]) -> list[ChildRow]:
        """Children already at the nursery (same name and date of birth), found in one query."""
        births = {row.date_of_birth for row in rows}
        existing = {
            (first.casefold(), last.casefold(), born)
            for first, last, born in Child.objects.filter(nursery=self.nursery, date_of_birth__in=births).values_list(
                "first_name", "last_name", "date_of_birth"
            )
        }
        kept = []
        for row in rows:
            if (row.first_name.casefold(), row.last_name.casefold(), row.date_of_birth) in existing:
                self.error(
                    row.row,
                    f"{row.first_name} {row.last_name}, born {row.date_of_birth.isoformat()}, is already at the "
                    "nursery. Remove this row; change their details on their own page instead.",
                )
            else:
                kept.append(row)
        return kept


def _row_order(message: str) -> int:
    if message.startswith("Row "):
        return int(message[4:].split(":", 1)[0])
    return 0
