"""Countries, administrative areas, offices, border gates and partnerships between offices."""
