"""The numeric core: arrays in, arrays out.

The network (forward, backpropagation, the objective and its gradient), the losses,
the layout of the flat parameter vector, the solvers and their stopping rule, the
epoch monitor, the BLAS-thread limit and the few operations on ``theta`` for any
array library. Nothing here imports the estimator, the cluster or the command line;
the only scikit-learn names it uses are public helpers (``gen_batches``) and, through
``sk_backprop._compat``, the array API's. See docs/architecture.md.
"""
