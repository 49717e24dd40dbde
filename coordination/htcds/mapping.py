"""The mapping between our records and HTCDS 2.0 (field names and value names as in the
ODS sheet ``HTCDS Field Standards 2.0.ods``; see /work/shared/notes/htcds.md). Data, not code.

One row per person (the Excel toolkit has one row per case; we repeat the case's fields on
each of its people so that a victim and the suspects of a case stay together).

Choices:
- ``cas_Id`` and ``prs_Id`` are not HTCDS fields (the standard has no exchange identifier):
  in a de-identified export they are pseudonyms (an HMAC of our id with the app's secret,
  stable across exports so that a partner's re-exports match), with identifiers our case
  number and ``P<person id>``. ``prs_Role`` (Victim, Perpetrator, Relative) is ours too: HTCDS
  separates the person-victim (vic_) and person-perpetrator (per_) contexts.
- An unmapped value of ours exports as ``Other`` where the HTCDS list has ``Other``
  (exploitation type "sale of a child"), else as empty.
- Multi-select values are ``;``-delimited in CSV (as in the HTCDS Excel toolkit), lists in JSON.
- Identifier fields (dropped unless the user may and asks for identifiers): prs_FirstName
  (the name as written, whole: our names are not split), prs_SecondName (romanised name),
  prs_Birthdate, prs_IdentityNumber, prs_MailingStreet, prs_MailingState (home province).
  De-identified exports keep vic_AgeWhenTrafficked (age in years at the first trafficking
  event, else when the case opened) instead of the birth date. Free text is never exported.
"""

from __future__ import annotations

# Our value -> HTCDS value name, per field.
GENDER = {"female": "Feminine", "male": "Masculine", "unknown": "NonSpecifiedUnknown"}

TRAFFICKING_STATUS = {
    "possible": "PossibleVictimOfTrafficking",
    "actual": "ActualVictimOfTrafficking",
    "not_a_victim": "NotAVictimOfTrafficking",
}

CASE_STATUS = {
    "open": "Active",
    "verification": "Active",
    "victim_determined": "Active",
    "handover_scheduled": "Active",
    "handed_over": "Active",
    "in_support": "Active",
    "follow_up": "FollowUp",
    "closed": "Closed",
    "closed_not_victim": "Closed",
    "closed_referred": "ClosedReferred",
}

TYPE_OF_EXPLOITATION = {
    "sexual": "SexualExploitation",
    "forced_labour": "ForcedLabour",
    "forced_marriage": "ForcedMarriage",
    "child_sale": "Other",  # no HTCDS value (ForcedAdoption is narrower)
    "organ_removal": "OrganRemoval",
    "surrogacy": "Surrogacy",
    "other": "Other",
}

# Not HTCDS: the role of a person in our case.
ROLE = {"victim": "Victim", "suspect": "Perpetrator", "relative": "Relative"}

# Every value name of the HTCDS lists we read back on import (the whole list, not only the
# values we export: a partner may send any of them).
HTCDS_VALUES = {
    "prs_Gender": (
        "Feminine",
        "Masculine",
        "TransgenderFeminine",
        "TransgenderMasculine",
        "NonConforming",
        "NonSpecifiedUnknown",
    ),
    "vic_TraffickingStatus": tuple(TRAFFICKING_STATUS.values()),
    "cas_Status": ("Active", "FollowUp", "Closed", "ClosedReferred"),
    "vic_TypeOfExploitation": (
        "ForcedLabour",
        "SexualExploitation",
        "ChildLabour",
        "ForcedMarriage",
        "Servitude",
        "ForcedMilitaryByNonStateActors",
        "OrganRemoval",
        "ForcedBegging",
        "ForcedAdoption",
        "Surrogacy",
        "Other",
    ),
    "prs_Role": tuple(ROLE.values()),
}

# HTCDS value -> our value on import (values we cannot keep become the nearest: unknown sex,
# an open case).
IMPORT_GENDER = {"Feminine": "female", "Masculine": "male"}  # others: "unknown"
IMPORT_STATUS = {value: key for key, value in TRAFFICKING_STATUS.items()}
IMPORT_ROLE = {value: key for key, value in ROLE.items()}

# HTCDS types of exploitation -> ours (the narrower or nearest; each becomes an exploitation
# event of the imported case, so that the reports count it).
IMPORT_EXPLOITATION = {
    "SexualExploitation": "sexual",
    "ForcedLabour": "forced_labour",
    "ChildLabour": "forced_labour",
    "Servitude": "forced_labour",
    "ForcedMarriage": "forced_marriage",
    "OrganRemoval": "organ_removal",
    "ForcedAdoption": "child_sale",
    "Surrogacy": "surrogacy",
    "ForcedBegging": "other",
    "ForcedMilitaryByNonStateActors": "other",
    "Other": "other",
}

MULTI_SELECT = frozenset({"vic_TypeOfExploitation", "prs_Citizenship"})

# The columns, in order; identifier columns only in exports with identifiers.
CASE_COLUMNS = ("cas_Id", "cas_Status")
DEIDENTIFIED_COLUMNS = (
    *CASE_COLUMNS,
    "prs_Id",
    "prs_Role",
    "prs_Gender",
    "prs_Citizenship",
    "vic_AgeWhenTrafficked",
    "vic_TraffickingStatus",
    "vic_TypeOfExploitation",
)
IDENTIFIER_COLUMNS = (
    "prs_FirstName",
    "prs_SecondName",
    "prs_Birthdate",
    "prs_IdentityNumber",
    "prs_MailingStreet",
    "prs_MailingState",
)
ALL_COLUMNS = (*DEIDENTIFIED_COLUMNS, *IDENTIFIER_COLUMNS)
REQUIRED_COLUMNS = ("cas_Id", "prs_Id")
