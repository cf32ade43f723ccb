"""Game-theory computations on arrays: the cores of the analyses."""
