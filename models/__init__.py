"""SQLAlchemy entities. Importing this package registers every table on `Base.metadata`.

Every module in this package is imported below, so a feature's new module is picked up
by Alembic and by the models-versus-migrations test without editing this file.
"""

import importlib
import pkgutil

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
from models.audit import ActivityEvent, ActivityRollup, ActivityRollupMark, AuditEntry
from models.base import Base, utcnow
from models.outbox import OutboxMessage, OutboxStatus, StoredFile
from models.runtime import DialogState, ReceivedUpdate
from models.user import NetworkRole, NetworkRoleGrant, QualificationCategory, User

__all__ = [
    "ActivityEvent",
    "ActivityRollup",
    "ActivityRollupMark",
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

for _module in pkgutil.iter_modules(__path__):
    if _module.name not in ("db", "migrate"):
        importlib.import_module(f"{__name__}.{_module.name}")
