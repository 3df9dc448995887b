"""Keeping current from Ofsted's site: provider pages read, new reports fetched politely, ingested and announced."""
