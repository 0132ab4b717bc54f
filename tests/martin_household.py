"""The household every test starts from: the Martins, and their passwords."""

from __future__ import annotations

HOLDER = "jean.martin@famille-martin.fr"
HOLDER_PASSWORD = "Vélo-rouge-sur-la-plage-42"
NEW_PASSWORD = "Un-chat-bleu-dans-le-jardin"
DOMAIN = "famille-martin.fr"

CREATE_ENV = {"MAILWIZARD_OWNER_PASSWORD": HOLDER_PASSWORD, "MAILWIZARD_NEW_PASSWORD": NEW_PASSWORD}
