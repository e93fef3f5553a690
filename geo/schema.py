"""The dataset's schema in one place: columns, allowed values and file names.

Validation, loading, the data dictionary tests and the dashboard all read these constants,
so a new allowed value is added here once.
"""

from __future__ import annotations

POWERS_FILE = "powers.csv"
INSTALLATIONS_FILE = "installations.csv"
AGREEMENTS_FILE = "agreements.csv"
COUNTRIES_FILE = "africa_countries.geojson"
#: Optional: a dataset without it has no personnel estimates (all unknown).
PERSONNEL_FILE = "personnel.csv"
DESCRIPTOR_FILE = "datapackage.json"

#: Environment variable that points every command at another data directory.
DATA_ENV = "AFRICA_PRESENCE_DATA"

#: Separator between URLs in the ``sources`` column.
SOURCE_SEPARATOR = " ; "

POWERS_COLUMNS = ("code", "name", "color")
INSTALLATIONS_COLUMNS = (
    "id", "name", "power", "host_iso3", "site", "lat", "lon", "coord_precision", "kind",
    "status", "announced", "opened", "closed", "last_confirmed", "basis", "confidence",
    "sources", "notes",
)
AGREEMENTS_COLUMNS = (
    "id", "power", "host_iso3", "signed", "kind", "in_force", "ended", "confidence",
    "sources", "summary",
)

PERSONNEL_COLUMNS = (
    "id", "record", "year", "low", "high", "what", "scope", "confidence", "sources", "notes",
)
#: What a personnel figure counts. troops: uniformed military; instructors: military
#: trainers or advisers; contractors: private military companies (Wagner...); civilian staff;
#: mixed: one total of several of these.
#: ceiling: an authorised maximum (a mandate or agreement cap), never a headcount: drawn as
#: "up to N" and never added to counted figures.
PERSONNEL_WHAT = ("troops", "instructors", "contractors", "civilian staff", "mixed", "ceiling")
#: ``what`` values that are headcounts (everything but ceilings): only these are summed.
PERSONNEL_COUNTED = ("troops", "instructors", "contractors", "civilian staff", "mixed")
#: What a figure covers. site: the record itself; country: all of the power's personnel in
#: the host country (it replaces the site figures of that power there); operation: a
#: several-country operation total filed under its headquarters (in the power's totals,
#: never added to the host country's).
PERSONNEL_SCOPES = ("site", "country", "operation")

#: Columns that may be left blank (all others are required in every row).
INSTALLATIONS_OPTIONAL = frozenset({"announced", "opened", "closed", "notes", "site",
                                    "last_confirmed"})
AGREEMENTS_OPTIONAL = frozenset({"ended", "notes"})
#: low/high blank (both) = no published figure; notes then say what was searched, and
#: sources may cite the pages checked.
PERSONNEL_OPTIONAL = frozenset({"low", "high", "sources", "notes"})

#: How precise a point is: the site itself, near it (an airport beside the base, an estimate
#: within a few km), or only the town, the region or the country (a stand-in point).
COORD_PRECISION = ("exact", "approximate", "town", "region", "country")
INSTALLATION_KINDS = (
    "air base", "army base", "naval base", "joint base", "logistics facility", "drone base",
    "training mission", "headquarters", "communications station",
)
STATUSES = ("active", "closed", "planned", "abandoned", "refused")
#: Statuses of sites the power never used (their ``basis`` is ``plan only``).
PLAN_STATUSES = ("planned", "abandoned", "refused")
#: Why a row is the power's installation (the inclusion rule of data/README.md): its own
#: personnel are documented there, or it runs the site; ``plan only`` for sites never used.
#: Host-run facilities a power only built or supplied are not installations at all.
BASES = ("own personnel", "runs it", "plan only")
#: An active site whose latest confirming source is more than this many years before the
#: year shown is drawn apart as "not confirmed since ...": nothing says it closed, but
#: nothing recent says it is still in use.
UNCONFIRMED_AFTER_YEARS = 3
CONFIDENCE = ("high", "medium", "low")
AGREEMENT_KINDS = (
    "military cooperation", "military-technical cooperation", "basing or access", "deployment",
)
IN_FORCE = ("yes", "no", "unknown")

#: States an installation can be shown in for a given year (see geo.timeline).
STATES = ("active", "planned", "closed", "abandoned", "refused")

#: The earliest year a date may carry; older openings (e.g. 1939) are real history.
EARLIEST_YEAR = 1800

#: How far outside its host polygon a point may lie, for coastal and island sites whose
#: simplified 1:50m outline cuts off a harbour or an islet.
COAST_TOLERANCE_KM = 15.0
