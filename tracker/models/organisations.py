"""Organisations that own work: the council's services and its partner agencies (police,
health bodies, schools, the voluntary sector), each with its people and a named lead
(docs/roles-and-permissions.md, "Partner agencies")."""
from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, Timestamped, Versioned, enum_check
from tracker.vocab import ORGANISATION_KIND_LABELS, ORGANISATION_KINDS

if TYPE_CHECKING:
    from tracker.models.users import User

# A person belongs to at most one organisation (user_id is the key). A table of its own,
# not a column on users, so users and organisations (whose lead is a user) form no cycle.
organisation_members = sa.Table(
    "organisation_members",
    Base.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("organisation_id", sa.ForeignKey("organisations.id"), nullable=False, index=True),
)


def owner_words(name: str, lead_name: str | None) -> str:
    """How work an organisation owns is shown, from its name and its lead's (if named): for
    ``Organisation.owner_name`` and lists read as plain rows."""
    return f"{lead_name} ({name})" if lead_name is not None else name


class Organisation(Timestamped, Versioned, Base):
    __tablename__ = "organisations"
    __table_args__ = (enum_check("kind", ORGANISATION_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    lead_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    lead: Mapped[User | None] = relationship(foreign_keys=[lead_id])
    members: Mapped[list[User]] = relationship(
        secondary=organisation_members, back_populates="organisation", order_by="User.name",
        viewonly=True)

    @property
    def kind_label(self) -> str:
        return ORGANISATION_KIND_LABELS[self.kind]

    @property
    def owner_name(self) -> str:
        """How work this organisation owns is shown: its named lead, and the organisation."""
        return owner_words(self.name, self.lead.name if self.lead is not None else None)

    def __repr__(self) -> str:
        return f"<Organisation {self.name} ({self.kind})>"
