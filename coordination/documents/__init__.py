"""PDF rendering shared by every feature that produces documents.

``fonts`` registers the vendored fonts (once per process), ``text`` turns user text into
ReportLab paragraphs with the right font per script, ``styles`` holds the paragraph
styles and ``layout`` the A4 page template and table helpers.
"""
