"""The package's shape: no import cycles, arrows that point inward, few and
shallow classes, a short top level. The same checks as
../shared/tools/structure, kept with the tests so that CI holds them."""

from __future__ import annotations

import importlib
import inspect
from typing import Final, Generic, Protocol

from tests.architecture.imports import PACKAGE, cycles, graph, modules, part

# What each part of the package may import, besides itself. The domain is
# pure; adapters and projections know nothing of use cases, HTTP or the
# composition root (services); HTTP, pages and the CLI sit outside.
MAY_IMPORT: Final = {
    "credit_svc.domain": set(),
    "credit_svc.adapters": {"credit_svc.domain"},
    "credit_svc.rulepacks": {"credit_svc.domain"},
    "credit_svc.projections": {
        "credit_svc.domain",
        "credit_svc.adapters",
        "credit_svc.rulepacks",
    },
    "credit_svc.usecases": {
        "credit_svc.domain",
        "credit_svc.adapters",
        "credit_svc.projections",
        "credit_svc.rulepacks",
    },
}
INNER: Final = set(MAY_IMPORT)


def test_no_module_of_the_package_imports_itself_through_others() -> None:
    assert cycles() == []


def test_no_part_of_the_package_imports_itself_through_others() -> None:
    arrows: dict[str, set[str]] = {}
    for name, targets in graph().items():
        arrows.setdefault(part(name), set()).update(
            part(t) for t in targets if part(t) != part(name)
        )

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(
            nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt}))
            for nxt in arrows.get(start, ())
        )

    assert sorted(p for p in arrows if reaches(p, p, set())) == []


def test_each_inner_part_imports_only_the_parts_inside_it() -> None:
    wrong = sorted(
        f"{name} -> {target}"
        for name, targets in graph().items()
        if part(name) in MAY_IMPORT
        for target in targets
        if part(target) != part(name) and part(target) not in MAY_IMPORT[part(name)]
    )

    assert wrong == []


def test_nothing_inner_imports_http_pages_cli_or_the_composition_root() -> None:
    outer = {
        "credit_svc.api",
        "credit_svc.web",
        "credit_svc.cli",
        "credit_svc.services",
    }

    wrong = sorted(
        f"{name} -> {target}"
        for name, targets in graph().items()
        if part(name) in INNER
        for target in targets
        if part(target) in outer
    )

    assert wrong == []


def test_the_top_level_holds_at_most_six_modules() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))

    assert len(top) <= 6, top


def _own_classes() -> list[type]:
    found = []
    for name in modules():
        module = importlib.import_module(name)
        found += [
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if cls.__module__ == name
        ]
    return found


def _counted_bases(cls: type) -> list[type]:
    """Return the class's bases of the package's own."""
    return [
        base
        for base in cls.__bases__
        if base not in (object, Protocol, Generic)
        and base.__module__.startswith("credit_svc")
    ]


def _depth(cls: type) -> int:
    """Return how many of the package's classes stand in its longest chain."""
    own = _counted_bases(cls)
    return 1 + max((_depth(base) for base in own), default=0)


def _bases_but_protocols(cls: type) -> list[type]:
    """Return the class's bases but Protocols, Generic and eventsourcing's."""
    return [
        base
        for base in cls.__bases__
        if base not in (object, Protocol, Generic)
        and not base.__module__.startswith("eventsourcing")
    ]


def test_no_class_has_more_than_two_bases() -> None:
    wide = [c.__qualname__ for c in _own_classes() if len(_bases_but_protocols(c)) > 2]

    assert wide == []


def test_no_class_sits_more_than_three_deep_in_the_package_s_classes() -> None:
    deep = {c.__qualname__: _depth(c) for c in _own_classes() if _depth(c) > 3}

    assert deep == {}
