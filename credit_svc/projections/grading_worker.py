"""A grading worker process (see parallel_grading.py): `python -m` this module.

It reads, pickled on its stdin, first how to open the view and the rule
packs, then groups of credit codes; for each group it writes, pickled on its
stdout, the segment rows of their grade histories (or, if it failed, the
traceback as text, and ends). It ends at the end of its input.
"""

from __future__ import annotations

import pickle
import sys
import traceback
from typing import BinaryIO

from credit_svc.projections.projector import segment_histories
from credit_svc.projections.views import open_view


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """Answer groups of credit codes with their histories until the input ends."""
    env, prefix, packs = pickle.load(requests)  # from our own rebuild
    view = open_view({**env, "CREATE_TABLE": "n"}, prefix)
    try:
        while True:
            try:
                codes = pickle.load(requests)
            except EOFError:
                return
            with view.datastore.transaction(commit=False) as cursor:
                view.allow_long_pauses(cursor)  # computing between its reads
                histories = segment_histories(view, cursor, codes, packs)
            pickle.dump(histories, answers)
            answers.flush()
    finally:
        view.datastore.close()


def main() -> None:
    """Serve on stdin and stdout; a failure goes back as its traceback."""
    answers = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not break the answers
    try:
        serve(sys.stdin.buffer, answers)
    except Exception:  # told to the rebuild, which stops
        pickle.dump(traceback.format_exc(), answers)
        answers.flush()
        sys.exit(1)


if __name__ == "__main__":
    main()
