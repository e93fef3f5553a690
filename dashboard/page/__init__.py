"""The page: layout skeleton and panels as Dash components. No callbacks are registered here."""
