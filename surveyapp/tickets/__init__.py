"""Tickets: the helpdesk's inquiries and complaints, pushed by the API or imported from CSV."""
