"""``python -m wijksim``: the same as the ``wijksim`` command."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="wijksim")
