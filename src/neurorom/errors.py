"""User errors: bad files, names or options. The message is one line naming the culprit."""


class InputError(Exception):
    """A user error; `./neurorom` prints its message on one line and exits with status 2."""
