"""People for the tests: a user with one membership, as the demo's accounts have."""

from __future__ import annotations

from cocrea.accounts.models import Role, Side, User
from cocrea.accounts.services import grant
from cocrea.participants.models import Organization, OrganizationType
from cocrea.territory.models import Entity


def make_user(
    username: str,
    role: str,
    entity: Entity | None = None,
    *,
    side: str = Side.GOVERNMENT,
    organization: Organization | None = None,
    **extra,
) -> User:
    """A person with one membership of `role` (a seat in `entity` for secretariat members).

    Members sit for the entity's guarantor body on the government side unless told.
    """
    if entity is not None and role == Role.SECRETARIAT_MEMBER and organization is None:
        organization, _ = Organization.objects.get_or_create(
            entity=entity,
            name=f"Organismo garante de {entity.common_name}",
            defaults={"type": OrganizationType.GUARANTOR},
        )
    user = User.objects.create_user(
        username=username,
        password="contrasena-de-prueba-1",
        email=f"{username}@example.org",
        is_staff=role != Role.CITIZEN,
        **extra,
    )
    if role == Role.SECRETARIAT_MEMBER:
        grant(user, role, actor=None, entity=entity, organization=organization, side=side)
    elif role != Role.CITIZEN:
        grant(user, role, actor=None)
    return user
