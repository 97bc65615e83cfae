"""Demo accounts, one per role; the password is printed by `cocrea demo`."""

from cocrea.core.demo import DEMO_PASSWORD
from cocrea.participants.models import Organization, OrganizationType
from cocrea.territory.models import Entity

from . import services
from .models import Role, Side, User


def demo_user(username, *, staff=False, superuser=False, name="") -> tuple[User, bool]:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "is_staff": staff,
            "is_superuser": superuser,
            "display_name": name,
            "email": f"{username}@demo.cocrea.local",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user, created


def _national(username, kind, **kwargs):
    user, created = demo_user(username, **kwargs)
    if created:
        services.grant(user, kind, actor=None)
    return user


def load(seed: int) -> None:
    _national("admin", Role.NATIONAL_COORDINATOR, staff=True, superuser=True, name="Administración")
    _national("coordinacion", Role.NATIONAL_COORDINATOR, staff=True, name="Coordinación nacional")
    _national("evaluacion", Role.EVALUATOR, staff=True, name="Equipo evaluador")
    demo_user("ciudadana", name="Ciudadana demo")
    for code, username in (("17", "enlace-morelos"), ("14", "enlace-jalisco")):
        entity = Entity.objects.get(code=code)
        org = Organization.objects.filter(entity=entity, type=OrganizationType.GUARANTOR).first()
        user, created = demo_user(username, staff=True, name=f"Enlace {entity.common_name}")
        if created:
            services.grant(
                user, Role.SECRETARIAT_MEMBER, actor=None, entity=entity, organization=org,
                side=Side.GOVERNMENT, seat_role="enlace",
            )  # fmt: skip
    # One organisation's person who sits in two secretariats (civil society in both).
    user, created = demo_user("red-regional", staff=True, name="Red regional de OSC")
    if created:
        for code in ("17", "14"):
            entity = Entity.objects.get(code=code)
            org = (
                Organization.objects.filter(entity=entity, type=OrganizationType.CIVIL_SOCIETY)
                .order_by("-id")
                .first()
            )
            services.grant(
                user, Role.SECRETARIAT_MEMBER, actor=None, entity=entity, organization=org,
                side=Side.CIVIL_SOCIETY,
            )  # fmt: skip
