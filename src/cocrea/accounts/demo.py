"""Demo accounts, one per role; the password is printed by `cocrea demo`."""

from cocrea.core.demo import DEMO_PASSWORD
from cocrea.participants.models import Organization, OrganizationType
from cocrea.territory.models import Entity

from .models import Role, User


def _user(username, role, *, entity=None, organization=None, staff=False, superuser=False, name=""):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": role,
            "entity": entity,
            "organization": organization,
            "is_staff": staff,
            "is_superuser": superuser,
            "display_name": name,
            "email": f"{username}@demo.cocrea.local",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def load(seed: int) -> None:
    _user("admin", Role.NATIONAL_COORDINATOR, staff=True, superuser=True, name="Administración")
    _user("coordinacion", Role.NATIONAL_COORDINATOR, staff=True, name="Coordinación nacional")
    _user("evaluacion", Role.EVALUATOR, staff=True, name="Equipo evaluador")
    _user("ciudadana", Role.CITIZEN, name="Ciudadana demo")
    for code, username in (("17", "enlace-morelos"), ("14", "enlace-jalisco")):
        entity = Entity.objects.get(code=code)
        org = Organization.objects.filter(entity=entity, type=OrganizationType.GUARANTOR).first()
        _user(
            username,
            Role.SECRETARIAT_MEMBER,
            entity=entity,
            organization=org,
            staff=True,
            name=f"Enlace {entity.common_name}",
        )
