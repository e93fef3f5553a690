"""Where the tests find the project: the repository, its data and the research notes beside it."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
ASSETS = REPO / "dashboard" / "assets"
#: The research notes the dataset was built from (beside the checkout, not in it).
REFERENCE = REPO.parent / "shared" / "reference"
