"""The month as people read it: figures rounded for reading, words per locale.

Every reader (staff pages, the portal, the PDF, the exports and the API) takes these from here
instead of from another reader's views (architecture map: Presenting).
"""
