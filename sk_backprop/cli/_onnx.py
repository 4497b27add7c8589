"""``--onnx``: the tuned pipeline of a table as an ONNX file.

The file takes one input per column the pipeline uses, named as the column, of
shape ``[N, 1]``: double for numeric columns, strings for text ones; a missing
value is NaN in a numeric column and the empty string in a text one (ONNX strings
have no NaN). Its outputs are ``label`` and ``probabilities`` (an ``[N, classes]``
tensor: no ZipMap).

The imputers are converted by ``sk_backprop.onnx.convert_simple_imputer`` (for
this one conversion: nothing is registered for the process), so the file answers
in double precision.
"""

import numpy as np


def column_kinds(pipeline):
    """``{"numeric": [...], "categorical": [...]}``: the columns of each kind that the
    fitted ``pipeline``'s ColumnTransformer (``_table.preprocessor``) uses."""
    kinds = {"numeric": [], "categorical": []}
    for name, _, columns in pipeline[0].transformers_:
        if name in kinds:
            kinds[name] += list(columns)
    return kinds


def onnx_model(pipeline):
    """The ONNX model of ``pipeline`` (``_table.preprocessor`` then our
    classifier); ImportError without skl2onnx."""
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import DoubleTensorType, StringTensorType
    from sklearn.impute import SimpleImputer

    from .. import SigmoidPerceptronClassifier
    from ..onnx import convert_simple_imputer  # (the import registers our classifier's)

    kinds = column_kinds(pipeline)
    inputs = [(str(name), DoubleTensorType([None, 1])) for name in kinds["numeric"]]
    inputs += [(str(name), StringTensorType([None, 1])) for name in kinds["categorical"]]
    return convert_sklearn(
        pipeline,
        initial_types=inputs,
        options={SigmoidPerceptronClassifier: {"zipmap": False}},
        custom_conversion_functions={SimpleImputer: convert_simple_imputer},
        final_types=None,
    )


def onnx_inputs(frame, pipeline):
    """The ONNX file's inputs for the rows of ``frame`` (a pandas DataFrame)."""
    kinds = column_kinds(pipeline)
    inputs = {str(c): frame[[c]].to_numpy(np.float64) for c in kinds["numeric"]}
    for column in kinds["categorical"]:
        values = frame[[column]].astype(object)
        inputs[str(column)] = values.where(values.notna(), "").astype(str).to_numpy(object)
    return inputs
