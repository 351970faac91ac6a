"""SQLAlchemy entities. Importing this package registers every table on `Base.metadata`."""

from models.association import (
    Association,
    AssociationKind,
    AssociationStatus,
    JoinPolicy,
    MemberRole,
    Membership,
    MembershipStatus,
    SubjectScope,
)
from models.audit import ActivityEvent, AuditEntry
from models.base import Base, utcnow
from models.outbox import OutboxMessage, OutboxStatus, StoredFile
from models.runtime import DialogState, ReceivedUpdate
from models.user import NetworkRole, NetworkRoleGrant, QualificationCategory, User

__all__ = [
    "ActivityEvent",
    "Association",
    "AssociationKind",
    "AssociationStatus",
    "AuditEntry",
    "Base",
    "DialogState",
    "JoinPolicy",
    "MemberRole",
    "Membership",
    "MembershipStatus",
    "NetworkRole",
    "NetworkRoleGrant",
    "OutboxMessage",
    "OutboxStatus",
    "QualificationCategory",
    "ReceivedUpdate",
    "StoredFile",
    "SubjectScope",
    "User",
    "utcnow",
]
