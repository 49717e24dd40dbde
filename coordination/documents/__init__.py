"""PDF rendering shared by every feature that produces documents.

``fonts`` registers the vendored fonts (once per process), ``text`` turns user text into
ReportLab paragraphs with the right font per script, ``textlines`` draws short text
(labels, table cells) the same way at a fraction of a paragraph's cost, ``labels`` prints
a stored label table in several languages at once, ``styles`` holds the paragraph styles,
``flowables`` a QR code and signature blocks, and ``layout`` the A4 page template and
table helpers (tables whose rows split across pages at the width they are drawn at).
``actualtext`` keeps shaped Lao searchable and copyable: each shaped word is written inside
an ``/ActualText`` span holding its characters as written.
"""
