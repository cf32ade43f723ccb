"""Documents: a scenario's report as one HTML page or a Typst-typeset PDF handout.

The pieces, each with one concern:

- :mod:`sim.documents.model`: the generic content model (document, sections, blocks, runs);
- :mod:`sim.documents.content` and :mod:`sim.documents.sweep_words`: what a report says, as
  structured facts computed from the solved game and its sweeps;
- :mod:`sim.documents.layout`: those facts laid out as a document (full report or short
  handout);
- :mod:`sim.documents.html` and :mod:`sim.documents.pdf`: the two renderers, which know the
  content model only (templates, stylesheet and Typst preamble are package files under
  ``templates/``);
- :mod:`sim.documents.files`: output formats, checks and atomic writing, and
  :func:`~sim.documents.files.write_report`, the function under ``tradegame report``.
"""
