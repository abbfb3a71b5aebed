"""The one exception type for problems a user can fix (bad input, broken files).

The CLI prints it as one clear line and exits 2; the app shows it as a
notification. Every package of ours raises it (or a subclass), never a bare
traceback for a user's mistake.
"""


class ReflectError(Exception):
    pass
