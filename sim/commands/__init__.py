"""The work behind each command, as plain functions (the command line only parses options).

``tradegame sweep`` calls :func:`sim.commands.sweep.sweep_to_folder`, ``tradegame plot``
:func:`sim.commands.plot.plot_folder`, ``tradegame solve`` :func:`sim.commands.solve.solve`;
each can be called from Python with the same effect.
"""
