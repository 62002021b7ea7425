#!/usr/bin/env python3
"""Compares the PostgreSQL schema at URL with the SQLite migrations' end state.

    python3 tools/pg-schema-diff.py postgres://citizen@127.0.0.1:PORT/citizen

The server's SQL is written once for both engines, so the two schemas must agree. The SQLite
migrations (server/migrations/NNN_*.sql, in order) are applied to a temporary database; the
database at URL should hold the PostgreSQL migrations (server/migrations/postgres/). Compared:
tables; columns by position (name, type, NOT NULL, default, identity for an INTEGER PRIMARY KEY);
primary keys; unique constraints; foreign keys (columns, referenced table and columns, ON UPDATE
and ON DELETE); named indexes (table, unique, columns, partial WHERE); CHECK constraints per table,
by the columns each one reads (their expressions are spelled differently by each engine: the
behaviour is tested elsewhere); triggers by name, table, timing and event (PostgreSQL may add
BEFORE TRUNCATE triggers, which SQLite has no statement for). Prints each difference and exits 1
if there is any, 0 otherwise.

Python's standard library and `psql` only. A migration with no CREATE, ALTER or DROP changes no
schema and is skipped (009 rewrites JSON with SQL an older SQLite library cannot parse).
"""

import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "server" / "migrations"

# SQLite's declared type (the tables are STRICT) → PostgreSQL's format_type().
TYPES = {
    "INTEGER": "bigint",
    "TEXT": "text",
    "BLOB": "bytea",
    "REAL": "double precision",
}
# pg_constraint's confupdtype / confdeltype → SQLite's foreign_key_list wording.
FK_ACTIONS = {
    "a": "NO ACTION",
    "r": "RESTRICT",
    "c": "CASCADE",
    "n": "SET NULL",
    "d": "SET DEFAULT",
}
# The server's own bookkeeping on PostgreSQL (store/pg.rs: which migrations ran); SQLite keeps that
# in PRAGMA user_version.
PG_ONLY_TABLES = {"schema_migrations"}
DDL = re.compile(r"\b(CREATE|ALTER|DROP)\b", re.IGNORECASE)


def strip_sql(sql, strings=False):
    """The SQL without comments and, unless `strings`, with each string literal emptied to ''."""
    sql = re.sub(r"--[^\n]*", " ", sql)
    sql = re.sub(r"/\*.*?\*/", " ", sql, flags=re.S)
    return sql if strings else re.sub(r"'(?:[^']|'')*'", "''", sql)


def sqlite_schema():
    fd, path = tempfile.mkstemp(suffix=".sqlite3")
    os.close(fd)
    try:
        conn = sqlite3.connect(path)
        for migration in sorted(MIGRATIONS.glob("[0-9][0-9][0-9]_*.sql")):
            sql = migration.read_text()
            if not DDL.search(strip_sql(sql)):
                print(f"(skipped {migration.name}: no schema change)", file=sys.stderr)
                continue
            conn.executescript(sql)
        return read_sqlite(conn)
    finally:
        os.unlink(path)


def read_sqlite(conn):
    s = empty_schema()
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    pks = {}
    for t in tables:
        cols = conn.execute(f'PRAGMA table_info("{t}")').fetchall()
        pk = [c[1] for c in sorted((c for c in cols if c[5]), key=lambda c: c[5])]
        pks[t] = pk
        s["tables"].add(t)
        for cid, name, ctype, notnull, dflt, in_pk in cols:
            rowid_alias = pk == [name] and ctype.upper() == "INTEGER"
            s["columns"][(t, cid + 1)] = (
                name,
                TYPES.get(ctype.upper(), "?" + ctype),
                bool(notnull or in_pk),
                None if dflt is None else str(dflt),
                rowid_alias,
            )
        if pk:
            s["pks"][t] = tuple(pk)
        table_sql = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (t,)
        ).fetchone()[0]
        names = {c[1] for c in cols}
        for expr in check_expressions(table_sql):
            words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expr))
            s["checks"][t][tuple(sorted(words & names))] += 1
    for t in tables:
        for _, iname, unique, origin, partial in conn.execute(f'PRAGMA index_list("{t}")'):
            cols = tuple(
                r[2] if r[2] is not None else "<expr>"
                for r in conn.execute(f'PRAGMA index_info("{iname}")')
            )
            if origin == "u":
                s["uniques"][t].add(cols)
            elif origin == "c":
                sql = conn.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (iname,)
                ).fetchone()[0]
                where = None
                if partial:
                    m = re.search(r"\bWHERE\b(.*)$", strip_sql(sql, strings=True), re.S | re.I)
                    where = normalise(m.group(1)) if m else "?"
                s["indexes"][iname] = (t, bool(unique), cols, where)
        fks = defaultdict(list)
        for fid, _, ref, frm, to, on_update, on_delete, _ in conn.execute(
            f'PRAGMA foreign_key_list("{t}")'
        ):
            fks[fid].append((frm, ref, to, on_update, on_delete))
        for parts in fks.values():
            ref = parts[0][1]
            to = tuple(p[2] for p in parts)
            if all(x is None for x in to):
                to = pks.get(ref) or tuple(
                    r[1] for r in conn.execute(f'PRAGMA table_info("{ref}")') if r[5]
                )
            s["fks"][t].add(
                (tuple(p[0] for p in parts), ref, tuple(to), parts[0][3], parts[0][4])
            )
    for name, table, sql in conn.execute(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
    ):
        m = re.search(
            r"\b(BEFORE|AFTER|INSTEAD\s+OF)?\s*(INSERT|UPDATE|DELETE)\b", strip_sql(sql), re.I
        )
        timing = (m.group(1) or "BEFORE").upper() if m else "?"
        event = m.group(2).upper() if m else "?"
        s["triggers"][name] = (table, timing, event)
    return s


def check_expressions(table_sql):
    """The expression inside each CHECK ( … ) of a CREATE TABLE statement."""
    sql = strip_sql(table_sql)
    out = []
    for m in re.finditer(r"\bCHECK\s*\(", sql, re.I):
        depth, i = 1, m.end()
        while depth and i < len(sql):
            depth += {"(": 1, ")": -1}.get(sql[i], 0)
            i += 1
        out.append(sql[m.end() : i - 1])
    return out


def normalise(expr):
    """A predicate spelled comparably: no casts, parentheses, case or spacing."""
    expr = re.sub(r"::[a-z ]+", "", expr, flags=re.I)
    return re.sub(r"[\s()]+", "", expr).lower()


def psql(url, query):
    out = subprocess.run(
        ["psql", url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
         "-F", "\x1f", "-R", "\x1e", "-c", query],
        check=True, capture_output=True, text=True,
    ).stdout
    return [r.split("\x1f") for r in out.strip("\n\x1e").split("\x1e") if r.strip("\n")]


def empty_schema():
    return {
        "tables": set(),
        "columns": {},
        "pks": {},
        "uniques": defaultdict(set),
        "fks": defaultdict(set),
        "indexes": {},
        "checks": defaultdict(Counter),
        "triggers": {},
    }


def pg_schema(url):
    s = empty_schema()
    ns = "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
    # Every query below reads the tables of the current schema but the server's bookkeeping.
    ns = f"{ns} AND {{rel}}.relname NOT IN ({', '.join(repr(t) for t in sorted(PG_ONLY_TABLES))})"
    for (t,) in psql(
        url,
        f"SELECT relname FROM pg_class c WHERE relkind IN ('r','p') AND relnamespace = {ns.format(rel='c')}",
    ):
        s["tables"].add(t)
    # Positions renumbered over the live columns, as SQLite's table_info counts them.
    for t, pos, name, ctype, notnull, dflt, identity in psql(
        url,
        f"""SELECT c.relname, row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum), a.attname,
                   format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   coalesce(pg_get_expr(d.adbin, d.adrelid), '\x02'), a.attidentity
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relkind IN ('r','p') AND c.relnamespace = {ns.format(rel='c')}
              AND a.attnum > 0 AND NOT a.attisdropped""",
    ):
        s["columns"][(t, int(pos))] = (
            name,
            ctype,
            notnull == "t",
            None if dflt == "\x02" else dflt,
            identity == "d",
        )
    cons = psql(
        url,
        f"""SELECT c.contype, t.relname,
                   (SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM unnest(c.conkey)
                        WITH ORDINALITY k(n, i) JOIN pg_attribute a
                        ON a.attrelid = c.conrelid AND a.attnum = k.n),
                   coalesce(r.relname, ''),
                   coalesce((SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM unnest(c.confkey)
                        WITH ORDINALITY k(n, i) JOIN pg_attribute a
                        ON a.attrelid = c.confrelid AND a.attnum = k.n), ''),
                   c.confupdtype, c.confdeltype
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            LEFT JOIN pg_class r ON r.oid = c.confrelid
            WHERE t.relnamespace = {ns.format(rel='t')}""",
    )
    for contype, t, cols, ref, refcols, upd, dele in cons:
        cols = tuple(cols.split(",")) if cols else ()
        if contype == "p":
            s["pks"][t] = cols
        elif contype == "u":
            s["uniques"][t].add(cols)
        elif contype == "f":
            s["fks"][t].add(
                (cols, ref, tuple(refcols.split(",")), FK_ACTIONS[upd], FK_ACTIONS[dele])
            )
        elif contype == "c":
            s["checks"][t][tuple(sorted(cols))] += 1
    for iname, t, unique, cols, where in psql(
        url,
        f"""SELECT i.relname, t.relname, x.indisunique,
                   (SELECT string_agg(coalesce(a.attname, '<expr>'), ',' ORDER BY k.i)
                    FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(n, i)
                    LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n),
                   coalesce(pg_get_expr(x.indpred, x.indrelid), '\x02')
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relnamespace = {ns.format(rel='t')}
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)""",
    ):
        s["indexes"][iname] = (
            t,
            unique == "t",
            tuple(cols.split(",")),
            None if where == "\x02" else normalise(where),
        )
    for name, t, timing, event in psql(
        url,
        f"""SELECT g.tgname, t.relname,
                   CASE WHEN g.tgtype & 2 <> 0 THEN 'BEFORE'
                        WHEN g.tgtype & 64 <> 0 THEN 'INSTEAD OF' ELSE 'AFTER' END,
                   concat_ws(' ', CASE WHEN g.tgtype & 4 <> 0 THEN 'INSERT' END,
                                  CASE WHEN g.tgtype & 8 <> 0 THEN 'DELETE' END,
                                  CASE WHEN g.tgtype & 16 <> 0 THEN 'UPDATE' END,
                                  CASE WHEN g.tgtype & 32 <> 0 THEN 'TRUNCATE' END)
            FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid
            WHERE NOT g.tgisinternal AND t.relnamespace = {ns.format(rel='t')}""",
    ):
        s["triggers"][name] = (t, timing, event)
    return s


def diff(lite, pg):
    out = []

    def both(kind, a, b, label):
        for k in sorted(set(a) | set(b), key=repr):
            x, y = a.get(k), b.get(k)
            if x != y:
                out.append(f"{kind} {label(k)}: sqlite {x!r} ≠ postgres {y!r}")

    for t in sorted(lite["tables"] - pg["tables"]):
        out.append(f"table {t}: only in sqlite")
    for t in sorted(pg["tables"] - lite["tables"]):
        out.append(f"table {t}: only in postgres")
    both("column", lite["columns"], pg["columns"], lambda k: f"{k[0]} #{k[1]}")
    both("primary key", lite["pks"], pg["pks"], str)
    both("unique", {t: sorted(v) for t, v in lite["uniques"].items() if v},
         {t: sorted(v) for t, v in pg["uniques"].items() if v}, str)
    both("foreign keys", {t: sorted(v) for t, v in lite["fks"].items() if v},
         {t: sorted(v) for t, v in pg["fks"].items() if v}, str)
    both("index", lite["indexes"], pg["indexes"], str)
    both("checks (by columns read)", {t: sorted(v.items()) for t, v in lite["checks"].items() if v},
         {t: sorted(v.items()) for t, v in pg["checks"].items() if v}, str)
    pg_triggers = {
        k: v for k, v in pg["triggers"].items() if not (v[1] == "BEFORE" and v[2] == "TRUNCATE")
    }
    both("trigger", lite["triggers"], pg_triggers, str)
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 tools/pg-schema-diff.py postgres://USER@HOST:PORT/DB")
    lite = sqlite_schema()
    pg = pg_schema(sys.argv[1])
    differences = diff(lite, pg)
    for line in differences:
        print(line)
    n = len(lite["columns"])
    if differences:
        print(f"{len(differences)} difference(s)", file=sys.stderr)
        sys.exit(1)
    print(
        f"no differences: {len(lite['tables'])} tables, {n} columns, {len(lite['indexes'])} named "
        f"indexes, {sum(sum(c.values()) for c in lite['checks'].values())} checks, "
        f"{len(lite['triggers'])} triggers"
    )


if __name__ == "__main__":
    main()
