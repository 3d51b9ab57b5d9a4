"""What the screens show about the user's records, computed without any UI: the diary's search
index and study overview (:mod:`.study`), a self-check's progress and changes (:mod:`.review`),
and trends over time (:mod:`.trends`). No Textual import (an import contract checks it)."""
