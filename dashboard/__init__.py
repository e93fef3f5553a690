"""Dash web app of africa-presence: the map, the timeline, filters, details and export."""
