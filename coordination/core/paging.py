"""Pages of a list that spans several offices (a supervisor's province), read office by
office.

Each office's list has its own ordered index (cases: office, opened on, id; requests: the
worklist indexes). A query over ``office_id IN (...)`` cannot walk one of them in order: the
database reads every matching row of every office and sorts them all to show twenty. Here
each office's first ``offset + limit`` keys are read from its own index (a small ordered
range), those few are merged, and only the page's rows are loaded, by id. The order is the
query's own ORDER BY, applied on the same database to the same values, so a page lists
exactly what the whole query would at that offset.

A list opts in with ``scoped(query, column, offices)``; a single office keeps the plain
query (its index serves it directly), read with LIMIT and OFFSET. Either way the rows are
counted up to COUNT_CAP.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request
from sqlalchemy import Select, false, func, literal_column, select, union_all
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import TextClause, UnaryExpression

from coordination.extensions import db

SCOPE = "paging_offices"  # execution option: (scope column, office ids)
MAX_PAGE = 100_000  # as core.views.paginate: keeps OFFSET inside the database's integers

_MODIFIERS = {
    operators.desc_op: lambda e: e.desc(),
    operators.asc_op: lambda e: e.asc(),
    operators.nulls_first_op: lambda e: e.nulls_first(),
    operators.nulls_last_op: lambda e: e.nulls_last(),
}


def scoped(query: Select, column, offices) -> Select:
    """``query`` limited to rows whose ``column`` is one of ``offices``; with several
    offices, the offices ride along on the query so that a page can be read office by
    office (merged_page). One office: a plain equality."""
    offices = sorted(set(offices))
    if len(offices) < 2:
        return query.where(column == offices[0] if offices else false())
    return query.where(column.in_(offices)).execution_options(**{SCOPE: (column, tuple(offices))})


# A list counts its rows up to this many (a hundred pages of 25): counting an office's or a
# province's years of requests costs more than the page itself (a busy office's inbox of
# 39,000 requests: 4 ms of PostgreSQL per page, the costliest statement under load), and
# nobody pages that far rather than filter; past it the pages read "Page 1 of 100+".
COUNT_CAP = 2_500


@dataclass
class Page:
    """One page, with the attributes the list templates read from Flask-SQLAlchemy's
    Pagination (items, page, per_page, total, pages, has_prev/has_next, prev_num/next_num);
    ``more`` when there are more than COUNT_CAP rows (``total`` is then COUNT_CAP)."""

    items: list
    page: int
    per_page: int
    total: int
    more: bool = False

    @classmethod
    def counted(cls, items: list, page: int, per_page: int, total: int, cap: int) -> Page:
        """A page of a list whose rows were counted up to ``cap + 1`` (count_rows)."""
        return cls(items, page, per_page, min(total, cap), more=total > cap)

    @property
    def pages(self) -> int:
        if not self.total:
            return 0
        counted = -(-self.total // self.per_page)
        return max(counted, self.page + 1 if self.more and self.items else counted)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


def _sort_key(clause):
    """An ORDER BY clause as (expression, how to order by a column of it): desc(x) is
    (x, lambda c: c.desc()); text is selected as a literal column (as written, so that an
    expression index written the same way still serves each office's part)."""
    wrappers = []
    while isinstance(clause, UnaryExpression) and clause.modifier in _MODIFIERS:
        wrappers.append(_MODIFIERS[clause.modifier])
        clause = clause.element
    if isinstance(clause, TextClause):
        clause = literal_column(clause.text)

    def order(column):
        for wrap in reversed(wrappers):
            column = wrap(column)
        return column

    return clause, order


def merged_ids(query: Select, column, offices, offset: int, limit: int) -> list:
    """The primary keys of rows ``offset`` to ``offset + limit`` of ``query`` (an ordered
    select of one entity whose order ends on a unique key), read office by office: each
    office's first ``offset + limit`` rows in the query's order, merged in that order."""
    entity = query.column_descriptions[0]["entity"]
    key = entity.__mapper__.primary_key[0]
    order = [_sort_key(clause) for clause in query._order_by_clauses]
    columns = [key.label("pk"), *(expr.label(f"k{i}") for i, (expr, _) in enumerate(order))]
    parts = [
        select(
            query.where(column == office)
            .with_only_columns(*columns, maintain_column_froms=True)
            .limit(offset + limit)
            .subquery()
        )
        for office in offices
    ]
    merged = union_all(*parts).subquery("merged")
    # The merged columns by name (building merged.c would proxy every part's columns).
    ids = (
        select(literal_column("merged.pk"))
        .select_from(merged)
        .order_by(*(how(literal_column(f"merged.k{i}")) for i, (_, how) in enumerate(order)))
        .limit(limit)
        .offset(offset)
    )
    return list(db.session.scalars(ids))


def count_rows(query: Select, cap: int | None = None) -> int:
    """How many rows ``query`` gives (its order dropped; only its keys read), counted up to
    ``cap + 1`` when a cap is given."""
    entity = query.column_descriptions[0]["entity"]
    key = entity.__mapper__.primary_key[0]
    keys = query.with_only_columns(key, maintain_column_froms=True).order_by(None)
    if cap is not None:
        keys = keys.limit(cap + 1)
    return db.session.scalar(select(func.count()).select_from(keys.subquery()))


def merged_page(query: Select, page: int, per_page: int) -> Page:
    """Page ``page`` of a query scoped to several offices (see scoped): its ids from each
    office's index, merged, then those rows (with the query's loader options), in order;
    counted up to COUNT_CAP."""
    column, offices = query.get_execution_options()[SCOPE]
    total = count_rows(query, COUNT_CAP)
    ids = merged_ids(query, column, offices, (page - 1) * per_page, per_page)
    items = []
    if ids:
        # By id alone (the filters chose them), with the list's loader options.
        entity = query.column_descriptions[0]["entity"]
        key = entity.__mapper__.primary_key[0]
        load = select(entity).where(key.in_(ids)).options(*query._with_options)
        rows = db.session.scalars(load).unique()
        found = {getattr(row, key.key): row for row in rows}
        items = [found[i] for i in ids if i in found]
    return Page.counted(items, page, per_page, total, COUNT_CAP)


def plain_page(query: Select, page: int, per_page: int) -> Page:
    """Page ``page`` of a query of one office (LIMIT and OFFSET over its own index), counted
    up to COUNT_CAP."""
    total = count_rows(query, COUNT_CAP)
    rows = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page))
    return Page.counted(list(rows.unique()), page, per_page, total, COUNT_CAP)


def paginate(query: Select) -> Page:
    """The requested page of ``query`` (the attributes core.views.paginate's pages have); a
    query scoped to several offices is read office by office (merged_page)."""
    number = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    per_page = current_app.config["PAGE_SIZE"]
    if SCOPE not in query.get_execution_options():
        return plain_page(query, number, per_page)
    return merged_page(query, number, per_page)
