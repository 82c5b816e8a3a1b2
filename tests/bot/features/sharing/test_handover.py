"""/overdragen: an admin hands every community of a leaving colleague to another one."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app.registry import Service
from dialogs.catalog import Catalog
from storage.membership import Members
from storage.store import Store
from tests.access_helpers import full_service
from tests.bot.features.sharing.test_sharing import accept, inbox, me, share
from tests.chat import Chat

DORA_TG = 1009


@pytest.fixture
def service(store: Store, catalog: Catalog, tmp_path: Path) -> Service:
    return full_service(store, catalog, tmp_path / "data", admins=(DORA_TG,))


def test_an_admin_hands_over_everything_private_ones_named_first(
        service: Service, store: Store) -> None:
    anna = Chat(service, telegram_id=1001, name="Anna")
    bram = Chat(service, telegram_id=1002, name="Bram")
    cees = Chat(service, telegram_id=1003, name="Cees")
    dora = Chat(service, telegram_id=DORA_TG, name="Dora")
    anna.onboard("Wijk Zwaan", "taal")
    share(anna, "Bram")
    accept(service, bram)
    anna.send("/community")
    anna.press("Nieuwe community")
    anna.send("Privé Lezers")
    anna.send("lezen")
    bram.send("/gebruikers")
    assert "beheerder" in bram.text().lower() and bram.labels() == []
    assert "beheerder" in (bram.press_data("ho:who:0").notice or "").lower()
    assert bram.labels() == []
    dora.send("/gebruikers")
    dora.press("overdragen")
    assert dora.labels() == ["Anna"]  # only who owns something
    dora.press("Anna")
    text = dora.text()
    assert text.index("Privé Lezers") < text.index("Wijk Zwaan")
    dora.press("Cees")
    assert "niemand anders zag ze tot nu toe): Privé Lezers" in dora.text()
    dora.press("Ja, draag over aan Cees")
    assert "2 community's van Anna zijn nu van Cees" in dora.text()
    anna_id, cees_id = me(store, anna).id, me(store, cees).id
    members = Members(store)
    for community in store.communities(cees_id):
        assert members.role(cees_id, community.id) == "owner"
        assert members.role(anna_id, community.id) == "member"
    assert "overgedragen aan Cees" in inbox(service, anna)[-1].text
    assert "eigenaar van de community's van Anna" in inbox(service, cees)[-1].text
    # The handover again, from the old buttons: nothing left, said so.
    dora.press_data(f"ho:yes:{anna_id}:{cees_id}")
    assert "geen community's meer" in dora.text()
    # Anna, no longer the owner of a shared community, may leave now.
    anna.send("/vergeetmij")
    assert "Draag elke gedeelde community eerst over" not in anna.text()
