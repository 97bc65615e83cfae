"""Who may edit programmes and link processes, and who may import budget data.

Programmes are an entity's data: its secretariat members and the national coordinators edit
them. Budget and contracting imports touch national tables, so they are for coordinators
(and for the system: CLI and demo, actor None).
"""

from __future__ import annotations

import rules

from cocrea.accounts.rules import can_edit_entity_data, is_national_coordinator, is_staff_reader

for model in ("program", "programprocess", "buyerterritory"):
    rules.add_perm(f"money.view_{model}", is_staff_reader)
    rules.add_perm(f"money.add_{model}", can_edit_entity_data)
    rules.add_perm(f"money.change_{model}", can_edit_entity_data)
    rules.add_perm(f"money.delete_{model}", can_edit_entity_data)

rules.add_perm("money.link_process", can_edit_entity_data)
rules.add_perm("money.import_budget", is_national_coordinator)
