"""The factor model: factors, areas, raters, ratings; pooling, scores, ranks and categories."""

from ._core import category_means, orient, pool, ranks, source_weights, weighted_scores
from ._datasets import BUILTINS, Dataset, datasets, load_model
from ._files import (
    MAX_BYTES,
    dump_model,
    json_schema,
    model_from_data,
    parse_model_text,
    parse_ratings_csv,
    ratings_to_csv,
    read_model_file,
    read_text,
)
from ._model import Model, merge_ratings, with_source_weights
from ._result import ScoreResult
from ._spec import Area, Factor, ModelSpec, Rater, RaterGroup, Rating, Scale, Source, StatedRanking

__all__ = [
    "BUILTINS", "MAX_BYTES", "Area", "Dataset", "Factor", "Model", "ModelSpec", "Rater",
    "RaterGroup", "Rating", "Scale", "ScoreResult", "Source", "StatedRanking", "category_means",
    "datasets", "dump_model", "json_schema", "load_model", "merge_ratings", "model_from_data", "orient",
    "parse_model_text", "parse_ratings_csv", "pool", "ranks", "ratings_to_csv",
    "read_model_file", "read_text", "source_weights", "weighted_scores", "with_source_weights",
]
