"""The service's Blueprint and Api: flask-smorest's, with argument schemas built
once and the document built when first read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask_smorest
from flask import Flask
from marshmallow import Schema

from credit_svc.api.openapi_access import AccessPlugin
from credit_svc.api.openapi_examples import add_missing_examples, example_property


class Blueprint(flask_smorest.Blueprint):  # type: ignore[misc]
    """A flask-smorest Blueprint that instantiates argument schemas at declaration.

    Given a schema class, webargs builds a new instance (deep-copying its
    fields) on every request: a sixth of a grade query's time. An instance
    made once is reused; loading keeps no state on it.
    """

    def arguments(
        self, schema: type[Schema] | Schema, *args: Any, **kwargs: Any
    ) -> Callable[..., Any]:
        """Declare the request's arguments, as flask-smorest does."""
        instance = schema() if isinstance(schema, type) else schema
        return super().arguments(instance, *args, **kwargs)  # type: ignore[no-any-return]


class Api(flask_smorest.Api):  # type: ignore[misc]
    """flask-smorest's Api, documenting each blueprint when the OpenAPI
    document is first read rather than when the app is made: documenting
    was most of making an app (every test makes one; see docs/performance.md),
    and the document comes out the same (tests/test_openapi.py)."""

    def __init__(self, app: Flask) -> None:
        self._undocumented: list[tuple[Any, str, Any]] = []
        options: dict[str, Any] = {"extra_plugins": [AccessPlugin()]}
        if app.config["PUBLIC_URL"]:  # where integrators reach this deployment
            options["servers"] = [{"url": str(app.config["PUBLIC_URL"])}]
        super().__init__(app, spec_kwargs=options)
        self.ma_plugin.converter.add_attribute_function(example_property)

    @property
    def spec(self) -> Any:
        """Return the document, with every blueprint registered so far in it."""
        pending, self._undocumented = self._undocumented, []
        for blp, name, parameters in pending:
            blp.register_views_in_doc(
                self, self._app, self._spec, name=name, parameters=parameters
            )
            self._spec.tag({"name": name, "description": blp.description})
        if pending:
            add_missing_examples(self._spec.components.schemas)
        return self._spec

    @spec.setter
    def spec(self, value: Any) -> None:
        self._spec = value

    def register_blueprint(
        self, blp: Any, *, parameters: Any = None, **options: Any
    ) -> None:
        """Register the blueprint's routes now and its documentation later."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))
