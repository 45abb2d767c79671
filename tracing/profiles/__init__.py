"""Behavioural profiles: features from transfers, clustering, named clusters (see DESIGN.md)."""
