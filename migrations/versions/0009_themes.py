"""Themes of learning, links between recommendations that repeat or relate, and the
full-text search index kept in step by triggers (docs/search-and-themes.md)

Revision ID: 0009_themes
Revises: 0008_impact
Create Date: 2026-12-06 20:02:06.381276

"""
from dataclasses import dataclass

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_themes'
down_revision = '0008_impact'
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_reason', sa.String(length=500), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('is_example', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_themes_withdrawn_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_themes'))
    )
    op.create_table('recommendation_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('earlier_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('linked_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_reason', sa.String(length=500), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('repeats', 'related')", name=op.f('ck_recommendation_links_kind')),
    sa.CheckConstraint('recommendation_id <> earlier_id', name=op.f('ck_recommendation_links_not_itself')),
    sa.ForeignKeyConstraint(['earlier_id'], ['recommendations.id'], name=op.f('fk_recommendation_links_earlier_id_recommendations')),
    sa.ForeignKeyConstraint(['linked_by_id'], ['users.id'], name=op.f('fk_recommendation_links_linked_by_id_users')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_links_recommendation_id_recommendations')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_recommendation_links_withdrawn_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_links'))
    )
    with op.batch_alter_table('recommendation_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_links_earlier_id'), ['earlier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_links_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('recommendation_themes',
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_themes_recommendation_id_recommendations')),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_recommendation_themes_theme_id_themes')),
    sa.PrimaryKeyConstraint('recommendation_id', 'theme_id', name=op.f('pk_recommendation_themes'))
    )
    with op.batch_alter_table('recommendation_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_themes_theme_id'), ['theme_id'], unique=False)

    for statement in create_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade():
    for statement in drop_statements(op.get_bind().dialect.name):
        op.execute(statement)

    with op.batch_alter_table('recommendation_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_themes_theme_id'))

    op.drop_table('recommendation_themes')
    with op.batch_alter_table('recommendation_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_links_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_recommendation_links_earlier_id'))

    op.drop_table('recommendation_links')
    op.drop_table('themes')
    


# --- The full-text search index (docs/search-and-themes.md) ------------------------------------
# One table, search_index: a title and a body for every decision, recommendation, action and
# progress update not withdrawn, written by database triggers in the same transaction as the
# row (insert, update of an indexed column, withdrawal, delete), whoever writes it. SQLite: an
# FTS5 virtual table (rowid = id * 4 + the kind's number). PostgreSQL: a table with a tsvector
# (title weighted A, body B) under a GIN index. Not a model: no page writes it. The SQL below
# is built from these constants only.

TABLE = "search_index"
PG_CONFIG = "english"  # the text search configuration (stemming, stop words)
SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"

@dataclass(frozen=True)
class Kind:
    name: str            # as stored in search_index.kind
    number: int          # SQLite rowid = id * 4 + number
    table: str
    title: str           # SQL over the row (``r.``), as text
    body: str
    watched: tuple[str, ...]  # columns whose change rewrites the entry
    withdrawable: bool = True

def _join(*parts: str) -> str:
    return " || ' ' || ".join(f"coalesce(r.{p}, '')" for p in parts)

KINDS = (
    Kind("decision", 0, "decisions", _join("reference", "title"),
         _join("purpose", "decision_text", "reasons"),
         ("reference", "title", "purpose", "decision_text", "reasons", "withdrawn_at")),
    Kind("recommendation", 1, "recommendations", _join("reference"),
         _join("text", "lead_service"), ("reference", "text", "lead_service", "withdrawn_at")),
    Kind("action", 2, "actions", _join("title"), _join("description"),
         ("title", "description", "withdrawn_at")),
    Kind("update", 3, "progress_updates", "''", _join("narrative", "reason",
                                                      "revised_due_reason"),
         ("narrative", "reason", "revised_due_reason"), withdrawable=False),
)
BY_NAME = {k.name: k for k in KINDS}

def _row(kind: Kind, alias: str) -> tuple[str, str]:
    return kind.title.replace("r.", f"{alias}."), kind.body.replace("r.", f"{alias}.")

def _live(kind: Kind, alias: str) -> str:
    return f"{alias}.withdrawn_at IS NULL" if kind.withdrawable else "1 = 1"

# --- SQLite: FTS5 ------------------------------------------------------------------------------
def sqlite_create() -> list[str]:
    statements = [
        # kind is indexed, so a search of one kind (similar recommendations) is narrowed by
        # the index itself; what people type is matched against title and body only.
        f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, body, kind, "
        f"ref_id UNINDEXED, tokenize = '{SQLITE_TOKENIZER}')"]
    for kind in KINDS:
        statements += _sqlite_triggers(kind)
        title, body = _row(kind, "r")
        statements.append(
            f"INSERT INTO {TABLE}(rowid, title, body, kind, ref_id) "
            f"SELECT r.id * 4 + {kind.number}, {title}, {body}, '{kind.name}', r.id "
            f"FROM {kind.table} r WHERE {_live(kind, 'r')}")
    return statements

def _sqlite_insert(kind: Kind) -> str:
    title, body = _row(kind, "new")
    return (f"INSERT INTO {TABLE}(rowid, title, body, kind, ref_id) "
            f"SELECT new.id * 4 + {kind.number}, {title}, {body}, '{kind.name}', new.id "
            f"WHERE {_live(kind, 'new')};")

def _sqlite_triggers(kind: Kind) -> list[str]:
    name = f"{TABLE}_{kind.table}"
    delete = f"DELETE FROM {TABLE} WHERE rowid = old.id * 4 + {kind.number};"
    return [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {kind.table} BEGIN "
        f"{_sqlite_insert(kind)} END",
        f"CREATE TRIGGER {name}_update AFTER UPDATE OF {', '.join(kind.watched)} "
        f"ON {kind.table} BEGIN {delete} {_sqlite_insert(kind)} END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {kind.table} BEGIN {delete} END",
    ]

def sqlite_drop() -> list[str]:
    out = []
    for kind in KINDS:
        for event in ("insert", "update", "delete"):
            out.append(f"DROP TRIGGER IF EXISTS {TABLE}_{kind.table}_{event}")
    return out + [f"DROP TABLE IF EXISTS {TABLE}"]

# --- PostgreSQL: tsvector and GIN ----------------------------------------------------------------
def pg_document(title: str, body: str) -> str:
    return (f"setweight(to_tsvector('{PG_CONFIG}', {title}), 'A') || "
            f"setweight(to_tsvector('{PG_CONFIG}', {body}), 'B')")

def pg_create() -> list[str]:
    statements = [
        f"CREATE TABLE {TABLE} (kind varchar(20) NOT NULL, ref_id integer NOT NULL, "
        f"title text NOT NULL, body text NOT NULL, document tsvector NOT NULL, "
        f"CONSTRAINT pk_{TABLE} PRIMARY KEY (kind, ref_id))",
        f"CREATE INDEX ix_{TABLE}_document ON {TABLE} USING gin (document)",
        # Similar recommendations ask one kind only: its own index, so the rest is not read.
        f"CREATE INDEX ix_{TABLE}_recommendations ON {TABLE} USING gin (document) "
        f"WHERE kind = 'recommendation'",
    ]
    for kind in KINDS:
        function = f"{TABLE}_{kind.table}"
        title, body = _row(kind, "NEW")
        statements.append(f"""
CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM {TABLE} WHERE kind = '{kind.name}' AND ref_id = OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' AND {_live(kind, 'NEW')} THEN
    INSERT INTO {TABLE} (kind, ref_id, title, body, document)
    VALUES ('{kind.name}', NEW.id, {title}, {body}, {pg_document(title, body)});
  END IF;
  RETURN NULL;
END $$""")
        statements.append(
            f"CREATE TRIGGER {function} AFTER INSERT OR DELETE OR UPDATE OF "
            f"{', '.join(kind.watched)} ON {kind.table} FOR EACH ROW EXECUTE FUNCTION {function}()")
        title, body = _row(kind, "r")
        statements.append(
            f"INSERT INTO {TABLE} (kind, ref_id, title, body, document) "
            f"SELECT '{kind.name}', r.id, {title}, {body}, {pg_document(title, body)} "
            f"FROM {kind.table} r WHERE {_live(kind, 'r')}")
    return statements

def pg_drop() -> list[str]:
    out = []
    for kind in KINDS:
        function = f"{TABLE}_{kind.table}"
        out.append(f"DROP TRIGGER IF EXISTS {function} ON {kind.table}")
        out.append(f"DROP FUNCTION IF EXISTS {function}()")
    return out + [f"DROP TABLE IF EXISTS {TABLE}"]

def create_statements(dialect: str) -> list[str]:
    return pg_create() if dialect == "postgresql" else sqlite_create()

def drop_statements(dialect: str) -> list[str]:
    return pg_drop() if dialect == "postgresql" else sqlite_drop()
