"""ONNX export of ``SigmoidPerceptronClassifier``, through skl2onnx.

Importing this module registers, with skl2onnx's ``update_registered_converter``,
a shape calculator and a converter for the estimator (as skl2onnx's own add-ons
register theirs); then ``skl2onnx.to_onnx`` and ``skl2onnx.convert_sklearn``
convert it alone or inside a Pipeline or ColumnTransformer, with the options
skl2onnx's classifiers take: ``zipmap`` (True, False or ``"columns"``),
``output_class_labels``, ``nocl`` and ``raw_scores`` (the logits instead of the
probabilities; binary: ``[-z, z]``, as skl2onnx's linear classifiers)::

    import sk_backprop.onnx  # registers the converter
    from skl2onnx import to_onnx
    onx = to_onnx(pipeline, X[:1].astype(np.float32), options={"zipmap": False})

The graph is the network's forward pass, in the input's precision (double for a
double input, else float): ``MatMul`` and ``Add`` per layer, ``Sigmoid`` between
layers, then the answers of ``_answers``: one output (binary) ``[sigmoid(-z),
sigmoid(z)]``; several outputs (multiclass) ``softmax(log sigmoid(z))``, with
``log sigmoid(z) = min(z, 0) - log(1 + exp(-|z|))`` and infinite logits taken as the largest floats,
so that every probability is finite for finite input; multilabel ``sigmoid(z)``.
Labels: the class of the largest logit, the positive class where ``z > 0``, or
the indicator ``z > 0`` (multilabel), as ``predict``. Class labels are int64 or
strings in ONNX (float labels, whole numbers since scikit-learn takes no other float
classes, become int64).
The Dask estimator's model converts through ``to_local()``.

Needs the ``onnx`` extra (skl2onnx and onnxruntime): docs/deploying.md.
"""

import numpy as np

try:
    from onnx import TensorProto
    from skl2onnx import update_registered_converter
    from skl2onnx.common.data_types import (
        DoubleTensorType,
        FloatTensorType,
        Int64TensorType,
        StringTensorType,
    )
    from skl2onnx.common.utils import check_input_and_output_numbers
    from skl2onnx.common.utils_classifier import get_label_classes
    from skl2onnx.operator_converters.common import concatenate_variables
    from skl2onnx.operator_converters.imputer_op import convert_sklearn_imputer
except ImportError as error:  # pragma: no cover - the extra is installed in CI
    raise ImportError(
        "sk_backprop.onnx needs skl2onnx and onnx: pip install 'sk-backprop[onnx]'"
    ) from error

from ._classifier import SigmoidPerceptronClassifier

ALIAS = "SkBackpropSigmoidPerceptronClassifier"
OPTIONS = {
    "zipmap": [True, False, "columns"],
    "output_class_labels": [False, True],
    "nocl": [True, False],
    "raw_scores": [True, False],
}


def _multilabel(model):
    return model._label_binarizer.y_type_ == "multilabel-indicator"


def _onnx_classes(classes):
    """The class labels as ONNX holds them: int64 or strings."""
    classes = np.asarray(classes)
    if classes.dtype.kind in "biu":
        return classes.astype(np.int64)
    if classes.dtype.kind == "f":  # whole numbers: other floats are not classes
        return classes.astype(np.int64)
    return np.array([str(label) for label in classes], dtype=object)


def calculate_output_shapes(operator):
    """The outputs' types: labels ``[N]`` (multilabel ``[N, K]``) of int64 or
    strings; probabilities ``[N, C]`` in the input's precision."""
    check_input_and_output_numbers(operator, input_count_range=1, output_count_range=2)
    model = operator.raw_operator
    n = operator.inputs[0].get_first_dimension()
    classes = _onnx_classes(get_label_classes(operator.scope_inst, model))
    multilabel = _multilabel(model)
    label_type = StringTensorType if classes.dtype == object else Int64TensorType
    operator.outputs[0].type = label_type([n, len(classes)] if multilabel else [n])
    float_type = (
        DoubleTensorType
        if isinstance(operator.inputs[0].type, DoubleTensorType)
        else FloatTensorType
    )
    operator.outputs[1].type = float_type([n, len(classes)])


class _Graph:
    """Nodes and initializers added to skl2onnx's container under unique names."""

    def __init__(self, scope, container, proto, dtype):
        self.scope, self.container, self.proto, self.dtype = scope, container, proto, dtype

    def constant(self, name, value, proto=None):
        value = np.asarray(value)
        unique = self.scope.get_unique_variable_name(name)
        proto = self.proto if proto is None else proto
        if proto == TensorProto.STRING:
            values = [str(v).encode("utf-8") for v in value.ravel()]
        else:
            values = value.astype(self.dtype if proto == self.proto else np.int64).ravel()
        self.container.add_initializer(unique, proto, list(value.shape), values)
        return unique

    def node(self, op_type, inputs, output=None, **attributes):
        output = output or self.scope.get_unique_variable_name(op_type.lower())
        self.container.add_node(
            op_type,
            inputs,
            output,
            name=self.scope.get_unique_operator_name(op_type),
            **attributes,
        )
        return output


def convert(scope, operator, container):
    """The converter: the forward pass, then the labels and probabilities."""
    model = operator.raw_operator
    options = container.get_options(model, dict(raw_scores=False))
    double = isinstance(operator.inputs[0].type, DoubleTensorType)
    proto, dtype = (TensorProto.DOUBLE, np.float64) if double else (TensorProto.FLOAT, np.float32)
    graph = _Graph(scope, container, proto, dtype)
    labels_out, proba_out = (output.full_name for output in operator.outputs)

    hidden = graph.node("Cast", [operator.inputs[0].full_name], to=proto)
    last = len(model.coefs_) - 1
    for k, (coef, intercept) in enumerate(zip(model.coefs_, model.intercepts_)):
        logits = graph.node("MatMul", [hidden, graph.constant("coef", coef)])
        if model._fit_intercept:
            logits = graph.node("Add", [logits, graph.constant("intercept", intercept[None, :])])
        if k < last:
            hidden = graph.node("Sigmoid", [logits])

    classes = _onnx_classes(get_label_classes(scope, model))
    n_outputs = model.coefs_[-1].shape[1]
    if _multilabel(model):
        positive = graph.node("Greater", [logits, graph.constant("zero", 0.0)])
        graph.node("Cast", [positive], labels_out, to=TensorProto.INT64)
        if options["raw_scores"]:
            graph.node("Identity", [logits], proba_out)
        else:
            graph.node("Sigmoid", [logits], proba_out)
        return

    if n_outputs == 1:  # binary: the positive class where z > 0
        positive = graph.node("Greater", [logits, graph.constant("zero", 0.0)])
        index = graph.node("Cast", [positive], to=TensorProto.INT64)
        index = graph.node("Reshape", [index, graph.constant("flat", [-1], TensorProto.INT64)])
        negated = graph.node("Neg", [logits])
        if options["raw_scores"]:
            graph.node("Concat", [negated, logits], proba_out, axis=1)
        else:
            graph.node(
                "Concat",
                [graph.node("Sigmoid", [negated]), graph.node("Sigmoid", [logits])],
                proba_out,
                axis=1,
            )
    else:  # multiclass: the largest logit; softmax of log sigmoid(z)
        index = graph.node("ArgMax", [logits], axis=1, keepdims=0)
        if options["raw_scores"]:
            graph.node("Identity", [logits], proba_out)
        else:
            largest = np.finfo(dtype).max
            finite = graph.node(
                "Clip", [logits, graph.constant("low", -largest), graph.constant("high", largest)]
            )
            # log sigmoid(z) = min(z, 0) - log(1 + exp(-|z|)): no exp of a positive
            # number (onnxruntime has no double Softplus)
            zero = graph.constant("zero", 0.0)
            tail = graph.node("Exp", [graph.node("Neg", [graph.node("Abs", [finite])])])
            tail = graph.node("Log", [graph.node("Add", [graph.constant("one", 1.0), tail])])
            log_sigmoid = graph.node("Sub", [graph.node("Min", [finite, zero]), tail])
            graph.node("Softmax", [log_sigmoid], proba_out, axis=1)
    label_proto = TensorProto.STRING if classes.dtype == object else TensorProto.INT64
    graph.node("Gather", [graph.constant("classes", classes, label_proto), index], labels_out)


def convert_simple_imputer(scope, operator, container):
    """A converter for a fitted SimpleImputer whose missing value is NaN, in the
    input's type: ``Where(missing, statistics_, x)``, missing being NaN in numbers
    and the empty string in text (ONNX strings have no NaN).

    skl2onnx's own converter writes an ``Imputer`` node, which onnxruntime runs
    for float alone (not double, not strings), and refuses text columns whose
    missing value is NaN. Pass this one for a conversion, as the command line's
    ``--onnx`` does: ``convert_sklearn(..., custom_conversion_functions=
    {SimpleImputer: convert_simple_imputer})``.
    """
    imputer = operator.raw_operator
    missing = imputer.missing_values
    if imputer.add_indicator or not (isinstance(missing, float) and np.isnan(missing)):
        return convert_sklearn_imputer(scope, operator, container)  # skl2onnx's cases
    source = concatenate_variables(scope, operator.inputs, container)
    target = operator.outputs[0].full_name
    text = isinstance(operator.inputs[0].type, StringTensorType)
    mask = scope.get_unique_variable_name("missing")
    fill = scope.get_unique_variable_name("fill")
    statistics = np.asarray(imputer.statistics_)
    if text:
        flags = scope.get_unique_variable_name("flags")
        container.add_node(
            "LabelEncoder",
            [source],
            [flags],
            keys_strings=[""],
            values_int64s=[1],
            default_int64=0,
            op_domain="ai.onnx.ml",
            op_version=2,
        )
        container.add_node("Cast", [flags], [mask], to=TensorProto.BOOL)
        values = [str(value).encode("utf-8") for value in statistics]
        container.add_initializer(fill, TensorProto.STRING, [1, len(values)], values)
    else:
        container.add_node("IsNaN", [source], [mask])
        proto = operator.inputs[0].type.to_onnx_type().tensor_type.elem_type
        dtype = np.float64 if proto == TensorProto.DOUBLE else np.float32
        container.add_initializer(
            fill, proto, [1, statistics.size], statistics.astype(dtype).tolist()
        )
    container.add_node("Where", [mask, fill, source], [target])


update_registered_converter(
    SigmoidPerceptronClassifier,
    ALIAS,
    calculate_output_shapes,
    convert,
    options=OPTIONS,
)
