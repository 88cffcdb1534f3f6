"""The reference data set the project ships (PRODUCT.md, section 3)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from bot.db.dataset import load_dataset
from bot.db.importer import ImportSummary, import_dataset

SEED_FILE = Path(__file__).with_name("seed_data.yml")


def seed(*, session: Session) -> ImportSummary:
    """Load the shipped data set; running it again leaves the same data."""
    return import_dataset(load_dataset(SEED_FILE), session=session)
