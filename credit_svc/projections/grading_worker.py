"""A grading worker process (see parallel_grading.py): `python -m` this module.

It reads, pickled on its stdin, first how to open the view, the rule packs and
how to open the event log (or None), then requests: a range of positions, for
the rows of its events, or a group of credit codes, for the segment rows of
their grade histories. It writes each answer pickled on its stdout (or, if it
failed, the traceback as text, and ends). It ends at the end of its input.
"""

from __future__ import annotations

import os
import pickle
import sys
import traceback
from contextlib import ExitStack
from typing import Any, BinaryIO

from credit_svc.projections.parallel_grading import ROWS, WORKER_NICENESS, ReopenLog
from credit_svc.projections.projector import GradeProjector
from credit_svc.projections.regrading import segment_histories
from credit_svc.projections.view import GradeView, open_view


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """Answer requests until the input ends."""
    env, prefix, packs, reopen_log = pickle.load(requests)  # from our own rebuild
    with ExitStack() as stack:
        view = open_view({**env, "CREATE_TABLE": "n"}, prefix)
        stack.callback(view.db.datastore.close)
        log: GradeProjector | None = None
        while True:
            try:
                task, argument = pickle.load(requests)
            except EOFError:
                return
            if task == ROWS:
                log = log or _opened_log(stack, reopen_log, packs)
                answer: Any = log.rows_between(*argument)
            else:
                answer = _histories(view, argument, packs)
            pickle.dump(answer, answers)
            answers.flush()


def _opened_log(stack: ExitStack, reopen_log: ReopenLog, packs: Any) -> GradeProjector:
    source = reopen_log()
    stack.callback(source.close)
    return GradeProjector(source, packs)


def _histories(view: GradeView, codes: list[str], packs: Any) -> Any:
    with view.db.datastore.transaction(commit=False) as cursor:
        view.maintenance.allow_long_pauses(cursor)  # computing between its reads
        return segment_histories(view, cursor, codes, packs)


def main() -> None:
    """Serve on stdin and stdout; a failure goes back as its traceback."""
    os.nice(WORKER_NICENESS)  # see parallel_grading.WORKER_NICENESS
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
