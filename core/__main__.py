"""``python -m kaderwerk``: the command line, as the ``kaderwerk`` script."""

from kaderwerk.commands.cli import main

if __name__ == "__main__":
    main()
