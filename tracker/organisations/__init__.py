"""Organisations: the council's services and partner agencies, kept by administrators."""
