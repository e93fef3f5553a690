"""The view layer: what one reader's view is (:mod:`.state`, its URL form) and what it shows
(:mod:`.model`, memoised per dataset). No Dash, no figures: everything above reads these."""
