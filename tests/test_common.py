"""scikit-learn's own estimator checks, on the default estimator and variants."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sk_backprop import SigmoidPerceptronClassifier
from sk_backprop.dask import DaskSigmoidPerceptronClassifier

ESTIMATORS = [
    SigmoidPerceptronClassifier(),
    SigmoidPerceptronClassifier(solver="gd"),
    SigmoidPerceptronClassifier(solver="newton-cholesky"),
    SigmoidPerceptronClassifier(hidden_layer_sizes=(5,)),
    SigmoidPerceptronClassifier(hidden_layer_sizes=(4, 3)),
    SigmoidPerceptronClassifier(loss="squared_error"),
    SigmoidPerceptronClassifier(fit_intercept=False),
    SigmoidPerceptronClassifier(solver="sgd"),
    SigmoidPerceptronClassifier(solver="adam"),
    SigmoidPerceptronClassifier((5,), solver="adam"),
    SigmoidPerceptronClassifier(solver="sgd", early_stopping=True),
    # on NumPy data it is the base class, and must pass every check as it does
    DaskSigmoidPerceptronClassifier(),
]


def expected_failed_checks(estimator):
    """Checks whose premise a configuration does not meet; the default has none."""
    failures = {}
    if len(estimator.hidden_layer_sizes) > 1:
        flat_valley = (
            "Two hidden layers and a small alpha leave a nearly flat valley of "
            "optima: the 1e-16 rounding differences between summing weighted and "
            "repeated rows grow to ~1e-6 in predict_proba. The objectives are equal "
            "(test_integer_weights_equal_repeated_samples checks them to 1e-12)."
        )
        failures["check_sample_weight_equivalence_on_dense_data"] = flat_valley
        failures["check_sample_weight_equivalence_on_sparse_data"] = flat_valley
    if estimator.early_stopping:
        held_out = (
            "Early stopping holds out a random tenth of the rows, and the weighted "
            "and the repeated data sets are different rows to hold out."
        )
        failures["check_sample_weight_equivalence_on_dense_data"] = held_out
        failures["check_sample_weight_equivalence_on_sparse_data"] = held_out
        failures["check_class_weight_classifiers"] = (
            "The check trains on 100 rows, so 10 are held out; their accuracy is "
            "perfect after the first epoch, and early stopping returns those barely "
            "trained weights, as it should."
        )
    if not estimator.fit_intercept:
        failures["check_class_weight_classifiers"] = (
            "Without intercepts every decision boundary passes through the origin, "
            "so no weighting can put most of the check's uncentred blobs in one class."
        )
    return failures


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
