"""The meeting as pure Python: commands in, events out, state = fold(events).

Nothing here does I/O; time and identifiers come in as arguments.
"""
