"""``python -m gbvs`` runs the command line."""

from gbvs.cli.main import run

if __name__ == "__main__":
    run()
