"""Every audit code written anywhere in the code base has a sentence for its readers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from coordination.audit.actions import Reader, all_actions, all_groups, codes_for, record_kinds

ROOT = Path(__file__).resolve().parents[2] / "coordination"


def _dynamic_families() -> dict[str, list[str]]:
    """Codes built with an f-string ("request.{step}"): the values they can take."""
    from coordination.exchange.models import MessageKind
    from coordination.handovers.models import HandoverState
    from coordination.matching.models import MatchDecisionKind

    return {
        "request.": [kind.value for kind in MessageKind],
        "handover.": [state.value for state in HandoverState],
        "match.": [kind.value for kind in MatchDecisionKind],
    }


def _record_names(tree: ast.Module) -> set[str]:
    """The names under which a module imported coordination.audit.operations.record."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "coordination.audit.operations":
            names |= {alias.asname or alias.name for alias in node.names if alias.name == "record"}
    return names


def _strings(node: ast.AST) -> list[str]:
    return [
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def _codes_in(path: Path, families: dict[str, list[str]]) -> tuple[set[str], list[str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = _record_names(tree)
    codes, problems = set(), []
    if not names:
        return codes, problems
    assigned: dict[str, list[ast.AST]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(node.value)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id not in names or not node.args:
            continue
        where = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
        code = node.args[0]
        if isinstance(code, ast.JoinedStr):
            prefix = "".join(_strings(code.values[0])) if code.values else ""
            if prefix in families:
                codes |= {prefix + value for value in families[prefix]}
            else:
                problems.append(f"{where}: a code built from {prefix!r}: list its values here")
        elif isinstance(code, ast.Name) and code.id in assigned:
            codes |= {s for value in assigned[code.id] for s in _strings(value)}
        elif isinstance(code, ast.Constant | ast.IfExp):
            codes |= set(_strings(code))
        else:
            problems.append(f"{where}: cannot read the audit code {ast.unparse(code)}")
    return codes, problems


def _all_codes() -> tuple[set[str], list[str]]:
    families = _dynamic_families()
    codes, problems = set(), []
    for path in sorted(ROOT.rglob("*.py")):
        found, trouble = _codes_in(path, families)
        codes |= found
        problems += trouble
    return codes, problems


def test_every_recorded_action_has_a_sentence(app):
    codes, problems = _all_codes()
    assert not problems, problems
    assert {"auth.login", "person.view", "match.candidates_shown", "audit.export"} <= codes
    with app.app_context():
        known = all_actions()
    missing = sorted(code for code in codes if code not in known)
    assert missing == [], (
        f"add a sentence for {missing} (audit/actions.py, or the feature's audit Vocabulary)"
    )


def test_every_sentence_names_the_actor_and_is_unique_per_code(app):
    with app.test_request_context():
        for code, action in all_actions().items():
            assert "%(actor)s" in str(action.sentence), code
        assert len(all_actions()) == sum(len(group.actions) for group in all_groups())


def test_group_filters_stand_for_their_codes(app_ctx):
    assert "auth.login" in codes_for("group:sign_in")
    assert codes_for("auth.login") == ["auth.login"]
    assert codes_for("group:nothing") is None
    assert codes_for("no.such_code") is None


def test_every_record_link_names_an_existing_page(app):
    with app.test_request_context():
        for table, kind in record_kinds().items():
            assert kind.url(7) is not None, table


def test_an_unknown_code_still_reads(app_ctx):
    from coordination.audit.models import AuditEntry

    with app_ctx.test_request_context():
        entry = AuditEntry(action="future.thing", actor_name="ghost", details={"x": [1, "ສ"]})
        shown = Reader(None).show(entry)
    assert "future.thing" in shown.sentence_text
    assert "ghost" in shown.sentence_text
    assert shown.details[0][2] == "1, ສ"


@pytest.mark.parametrize(
    "typed", ["9999-12-31T23:59", "0001-01-01T00:00", "9999-12-31", "2026-13-45T99:99"]
)
def test_a_text_that_looks_like_a_moment_but_is_none_reads_as_typed(app, typed):
    """Anyone may type such a text into a note; the log, the CSV export and the dashboards
    that show it must not fail (it did: OverflowError in the reader's zone)."""
    from coordination.audit.operations import record
    from tests.conftest import login_client, user_named

    with app.test_request_context():
        record(
            "meeting.agenda_remove",
            actor=user_named("svk.liaison"),
            details={"title": typed},
            subject_office_id=user_named("qt.liaison").office_id,
        )
        from coordination.extensions import db

        db.session.commit()
    for username in ("admin", "qt.supervisor"):
        client = login_client(app, username)
        assert client.get("/").status_code == 200, username
        page = client.get("/audit/")
        assert page.status_code == 200, username
        export = client.get("/audit/export.csv")  # streamed to its end
        assert export.status_code == 200
        assert "meeting.agenda_remove" in export.get_data(as_text=True)
