"""One words layer: how numbers, lists and names read, everywhere the tool writes.

:mod:`sim.words.numbers` formats every number a reader sees (CLI, data-file summaries, figures,
reports), and :mod:`sim.words.phrases` holds the small grammar helpers (lists, possessives,
plurals, counts). Each analysis keeps its own sentences in its own module
(``sim.words.<analysis>``), built from these helpers and from the structured facts of its
results, so that a value reads the same wherever it appears.
"""
