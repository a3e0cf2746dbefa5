"""What can still be checked in a model file that failed the schema: one pass lists every problem.

When ``ModelSpec`` refuses a file (a negative weight, a rating that is not a number), the
cross-reference checks of :mod:`._check` still run on the rest: each list item is validated on
its own and, where it fails, field by field, so that a factor with a bad weight still declares
its id, and a rating with a bad value still says which cell it rates. A field that cannot be
read becomes None (required) or its default; items keep their positions, so every problem is
located at the index the user sees.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from ._spec import Area, Factor, ModelSpec, Rater, RaterGroup, Rating, Scale

M = TypeVar("M", bound=BaseModel)
_LISTS: dict[str, type[BaseModel]] = {"factors": Factor, "areas": Area, "groups": RaterGroup,
                                      "raters": Rater, "ratings": Rating}


@cache
def _field(cls: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = cls.model_fields[name]
    kind: Any = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    return TypeAdapter(kind, config=cls.model_config)


def _item(cls: type[M], raw: Any) -> M:
    """``raw`` validated as ``cls``; failing that, the fields that validate alone kept, a bad
    required field as None (a string as written, so that references to an id that breaks its
    pattern still resolve), a bad optional one at its default."""
    try:
        return cls.model_validate(raw)
    except ValidationError:
        pass
    raw = raw if isinstance(raw, dict) else {}
    values: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        if name in raw:
            try:
                values[name] = _field(cls, name).validate_python(raw[name])
                continue
            except ValidationError:
                if info.annotation is str and isinstance(raw[name], str):
                    values[name] = raw[name]  # an id refused by its pattern still names the item
                    continue
        values[name] = None if info.is_required() else info.get_default(call_default_factory=True)
    return cls.model_construct(**values)


def salvage(data: dict[str, Any]) -> ModelSpec:
    """The parts of ``data`` that can be read, as an unvalidated ModelSpec for :func:`check_spec`
    (which skips what is None)."""
    values: dict[str, Any] = {"id": data["id"]} if isinstance(data.get("id"), str) else {}
    for name, cls in _LISTS.items():
        raw = data.get(name, [])
        values[name] = [_item(cls, x) for x in raw] if isinstance(raw, list) else []
    cats = data.get("categories", [])
    values["categories"] = ([c if isinstance(c, str) else None for c in cats]
                            if isinstance(cats, list) else [])
    try:
        values["scale"] = Scale.model_validate(data.get("scale", {}))
    except ValidationError:
        values["scale"] = Scale()
    try:
        values["stated_ranking"] = _field(ModelSpec, "stated_ranking").validate_python(
            data.get("stated_ranking"))
    except ValidationError:
        values["stated_ranking"] = None
    return ModelSpec.model_construct(**values)
