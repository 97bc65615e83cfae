"""Helpers of the open-data tests: the demo, and the personal data to look for."""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(
    r"(?<![\w.,/:#-])(?:\+?52[ -]?)?(?:\(?\d{2,3}\)?[ -]?)\d{3,4}[ -]\d{4}(?![\w.,/-])"
)


def load_demo(tmp_money):
    from django.test import override_settings

    from cocrea.accounts.models import User
    from cocrea.core.demo import load_demo_data
    from cocrea.events.models import Registration
    from cocrea.participation.models import Proposal
    from cocrea.territory.services import load_reference

    money_dir = override_settings(COCREA_MONEY_DIR=tmp_money)
    money_dir.enable()
    load_reference()
    load_demo_data(log=lambda *_: None)
    private = {
        "emails": set(User.objects.exclude(email="").values_list("email", flat=True))
        | set(Registration.objects.values_list("email", flat=True)),
        "registrants": set(Registration.objects.values_list("name", flat=True)),
        "proposers": set(Proposal.objects.values_list("author__username", flat=True).distinct()),
        "phones": set(),
    }
    return money_dir, private


def personal_data(where: str, text: str, private: dict) -> list[str]:
    """E-mail addresses (but the open-data desk's institutional mailbox), phone numbers,
    registrants' names and proposers' accounts found in `text`."""
    from django.conf import settings

    desk = settings.COCREA_OPEN_DATA_EMAIL
    found = [f"{where}: e-mail {m}" for m in EMAIL.findall(text) if m != desk]
    found += [f"{where}: phone-like {m}" for m in PHONE.findall(text)]
    found += [f"{where}: e-mail {e}" for e in private["emails"] if e and e in text]
    found += [f"{where}: registrant {n}" for n in private["registrants"] if n and n in text]
    found += [
        f"{where}: proposer account {u}"
        for u in private["proposers"]
        if u and re.search(rf"(?<![\w-]){re.escape(u)}(?![\w-])", text)
    ]
    return found
