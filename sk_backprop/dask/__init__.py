"""Exact full-batch training on data spread over a Dask cluster.

``DaskSigmoidPerceptronClassifier`` is ``SigmoidPerceptronClassifier`` with the
same parameters whose ``fit`` takes dask arrays and DataFrames and trains on the
cluster of the current ``distributed`` client, without gathering ``X`` or ``y``
(docs: "Training on a Dask cluster"). ``_data`` prepares the data on the cluster
behind the estimator's data interface; ``_cluster`` holds the chunks and their
map-reduces.
"""

from ._estimator import DaskSigmoidPerceptronClassifier

__all__ = ["DaskSigmoidPerceptronClassifier"]
