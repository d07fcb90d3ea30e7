"""Known customer names of a contract: moved to :mod:`surveyapp.presenting.names` (every reader
masks them); kept here for the modules that import it from the customers package."""

from __future__ import annotations

from ..presenting.names import customer_names

__all__ = ["customer_names"]
