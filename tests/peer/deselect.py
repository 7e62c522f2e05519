"""The peer tests left out, each with its reason: one list per suite file.

An entry is ``"Class"`` (its every test), ``"Class::test_name"`` (every parametrisation) or
``"Class::test_name[id]"`` with the peer's own parametrisation id (a glob, backend excluded).

``DESELECT`` applies to every backend, the peer's own run included, and has only two valid
reasons: a deliberate difference listed in API.md §10, or functionality outside what xpmath covers
(object, datetime or masked arrays, ndarray subclasses). A test is never left out because xpmath
fails it.

``BUDGET`` leaves out, on the backends named, tests that would take minutes there, so that the
default run fits in ``make test``; ``XPMATH_PEER_FULL=1`` runs them too (``report.py`` does).
"""

from __future__ import annotations

SUBCLASS = "API.md §10: ndarray subclasses are not preserved (outputs are plain arrays)"
MASKED = "API.md §10: masked arrays are not preserved (outputs are plain arrays); masks are not read"
EIG_COMPLEX = "API.md §10: eig/eigvals are always complex (the test wants real eigenvalues for real input)"
ZSCORE_CONSTANT = "API.md §10: the z-score of a constant slice is 0, not NaN with a precision-loss warning"
OBJECT = "not covered: object arrays (NumPy computes with Python objects)"
DATETIME = "not covered: datetime64/timedelta64 arrays"
NOTHING = "not a test of anything: for this parametrisation the peer's test returns before calling any function"
NO_CALL = ("not a test of a function's results: it compares NumPy's own signatures (inspect) and calls nothing; "
           "xpmath's signatures are NumPy's, checked by tests/test_stats_nan_quantile.py::test_signatures_are_numpys")
NOT_XPMATH = "not covered: nanargmin, nanargmax, nanprod, nancumsum and nancumprod are not xpmath functions"
PRIVATE = "not covered: NumPy's private helpers (numpy.lib._nanfunctions_impl)"
SOLVERS_NA = ("not covered: scikit-learn's liblinear, sag and saga solvers, and the L1 and elastic-net penalties "
              "only they fit (xpmath raises ValueError for them; the test fits them)")
SPARSE = "not covered: scipy.sparse input (xpmath's estimators take dense arrays)"
LRCV = "not covered: LogisticRegressionCV (the test is of scikit-learn's own class, which runs unswapped)"
SK_PRIVATE = "not covered: scikit-learn's private helpers (_logistic_regression_path, _predict_proba_lr)"
CALLBACKS = "not covered: scikit-learn's callback API (set_callbacks and its hooks)"
ARRAY_API = ("not covered: scikit-learn's array API dispatch (array_api_dispatch=True); xpmath runs other "
             "libraries' arrays itself (tests/test_logistic.py, on array-api-strict device1, JAX and PyTorch)")
GET_PARAMS = ("API.md §10: get_params() has xpmath's keywords lr and backend, which the test hands on to "
              "scikit-learn's private _log_reg_scoring_path")
SK_LINEAR_PRIVATE = ("not covered: a private helper of scikit-learn's linear models (_preprocess_data, _rescale_data, "
              "make_dataset), not an estimator; the test calls no LinearRegression")
SK_OTHER = "not covered: another scikit-learn class (LinearClassifierMixin), not LinearRegression"
SK_ARRAY_API = ("not covered: scikit-learn's own array-API dispatch (config_context(array_api_dispatch=True), "
                "move_estimator_to) on its own estimators; xpmath's run on foreign arrays is tests/test_foreign_arrays.py")
COPY_X = ("API.md §10: copy_X=False (copy=False) never overwrites X; the test wants X centred in place")

DESELECT: dict[str, list[tuple[str, str]]] = {
    "test_numpy_function_base.py": [
        ("TestMedian::test_subclass", SUBCLASS + "; the subclass's own mean() is not called"),
        ("TestMedian::test_subclass2", SUBCLASS),
        ("TestMedian::test_object", OBJECT),
        ("TestMedian::test_nat_behavior", DATETIME),
        ("TestAverage::test_subclasses", SUBCLASS),
        ("TestAverage::test_object_dtype", OBJECT + " (Decimal)"),
        ("TestAverage::test_object_no_weights", OBJECT + " (Decimal)"),
        ("TestAverage::test_average_class_without_dtype", OBJECT + " (Fraction)"),
        ("TestPercentile::test_fraction", OBJECT + " (Fraction)"),
        ("TestPercentile::test_linear_interpolation[*-input_dtype18-*]", OBJECT + " (dtype('O'))"),
        *((f"TestPercentile::{t}[O]", OBJECT) for t in ("test_lower_higher", "test_midpoint", "test_nearest")),
        ("TestPercentile::test_nat_basic", DATETIME),
        ("TestPercentile::test_percentile_gh_29003_Fraction", OBJECT + " (Fraction)"),
        ("TestQuantile::test_fraction", OBJECT + " (Fraction)"),
        ("TestQuantile::test_weibull_fraction", OBJECT + " (Fraction)"),
        ("TestQuantile::test_quantile_gh_29003_Fraction", OBJECT + " (Fraction)"),
        ("TestQuantile::test_inf_zeroes_err[O-*]", OBJECT),
        ("TestQuantile::test_nan_err[*-O-*]", OBJECT),
    ],
    "test_numpy_numeric.py": [
        ("TestNonarrayArgs::test_var", OBJECT + ": its last check is var of an object array of complex"),
        ("TestNonarrayArgs::test_std_with_mean_keyword_keepdims_true_masked", MASKED),
        ("TestNonarrayArgs::test_var_with_mean_keyword_keepdims_true_masked", MASKED),
    ],
    "test_numpy_linalg.py": [
        ("TestEig::test_types", EIG_COMPLEX),
        ("TestEigvals::test_types", EIG_COMPLEX),
        ("TestEig::test_0_size", EIG_COMPLEX + " (float64 wanted for an empty integer stack)"),
        ("TestEigvals::test_0_size", EIG_COMPLEX + " (float64 wanted for an empty integer stack)"),
        ("TestSolve::test_0_size", SUBCLASS + " (the test wants its ArraySubclass back)"),
        ("TestSolve::test_0_size_k", SUBCLASS + " (the test wants its ArraySubclass back)"),
        ("TestInv::test_0_size", SUBCLASS + " (the test wants its ArraySubclass back)"),
        *((f"TestMatrixPower::{t}[dt16]", OBJECT + " (dt16 is dtype('O'))") for t in (
            "test_large_power", "test_power_is_zero", "test_power_is_one", "test_power_is_two",
            "test_power_is_minus_one", "test_exceptions_bad_power", "test_exceptions_non_square",
            "test_exceptions_not_invertible")),
        # NumPy's test returns at once for its dtnoinv dtypes (float16, longdouble, clongdouble: dt9,
        # dt12, dt15), calling nothing, on NumPy as here: no test of anything to run
        *((f"TestMatrixPower::{t}[dt{i}]", NOTHING) for t in ("test_power_is_minus_one", "test_exceptions_not_invertible")
          for i in (9, 12, 15)),
    ],
    "test_numpy_linalg_products.py": [],
    "test_numpy_nanfunctions.py": [
        ("TestSignatureMatch", NO_CALL),
        ("TestNanFunctions_ArgminArgmax", NOT_XPMATH),
        ("TestNanFunctions_CumSumProd", NOT_XPMATH),
        *((f"TestNanFunctions_NumberTypes::test_nanfunc[{f}-*]", NOT_XPMATH)
          for f in ("nanargmin", "nanargmax", "nanprod", "nancumsum", "nancumprod")),
        *((f"TestNanFunctions_NumberTypes::{t}[*-O]", OBJECT)
          for t in ("test_nanfunc", "test_nanfunc_q", "test_nanfunc_ddof", "test_nanfunc_correction")),
        ("TestNanFunctions_MinMax::test_object_array", OBJECT),
        ("TestNanFunctions_MinMax::test_masked", MASKED),
        ("TestNanFunctions_MinMax::test_subclass", SUBCLASS),
        ("TestNanFunctions_SumProd::test_subclass", SUBCLASS),
        ("TestNanFunctions_MeanVarStd::test_subclass", SUBCLASS),
        ("TestNanFunctions_Median::test_allnans[m8*]", DATETIME),
        ("test__nan_mask", PRIVATE),
        ("test__replace_nan", PRIVATE),
    ],
    "test_scipy_stats.py": [
        ("TestZscore::test_zscore_constant_input_1d", ZSCORE_CONSTANT),
        ("TestZscore::test_zscore_constant_input_2d", ZSCORE_CONSTANT),
        ("TestZscore::test_zscore_constant_input_2d_nan_policy_omit", ZSCORE_CONSTANT),
        ("TestZscore::test_zscore_masked_element_0_gh19039", MASKED),
    ],
    "test_sklearn_checks.py": [],
    "test_sklearn_logistic.py": [
        # what the tests are of, outside xpmath's LogisticRegression
        *((t, SOLVERS_NA) for t in (
            "test_check_solver_option[LogisticRegression]", "test_elasticnet_l1_ratio_err_helpful[LogisticRegression-*]",
            "test_liblinear_dual_random_state", "test_consistency_path", "test_logistic_regression_solvers",
            "test_logistic_regression_solvers_multiclass", "test_logistic_regression_solvers_multiclass_unpenalized",
            "test_logistic_regression_sample_weights[liblinear-*]", "test_logistic_regression_sample_weights[sag*]",
            "test_logistic_regression_solver_class_weights[liblinear]",
            "test_logistic_regression_solver_class_weights[sag*]", "test_sample_and_class_weight_equivalence_liblinear",
            "test_logistic_regression_class_weights", "test_liblinear_decision_function_zero", "test_logreg_l1",
            "test_max_iter[liblinear-*]", "test_max_iter[sag*]", "test_n_iter[*-liblinear]", "test_n_iter[*-sag*]",
            "test_warm_start[*-sag*]", "test_saga_vs_liblinear", "test_warm_start_converge_LR",
            "test_elastic_net_coeffs", "test_elastic_net_l1_l2_equivalence", "test_elastic_net_vs_l1_l2",
            "test_LogisticRegression_elastic_net_objective", "test_l1_ratio_non_elasticnet",
            "test_elastic_net_versus_sgd", "test_penalty_none[sag*]", "test_c_inf_no_warning[sag*]",
            "test_logisticregression_liblinear_sample_weight", "test_multinomial_identifiability_on_iris[*-sag*]",
            "test_liblinear_with_large_values", "test_liblinear_not_stuck", "test_zero_max_iter[liblinear]",
            "test_zero_max_iter[sag*]", "test_liblinear_multiclass_raises", "test_lr_penalty_l1ratio_incompatible",
        )),
        *((t, SPARSE) for t in ("test_predict_2_classes", "test_predict_3_classes", "test_sparsify",
                                "test_dtype_match", "test_large_sparse_matrix")),
        *((t, LRCV) for t in (
            "test_check_solver_option[LogisticRegressionCV]", "test_elasticnet_l1_ratio_err_helpful[LogisticRegressionCV-*]",
            "test_logistic_cv", "test_logistic_cv_refit_false_non_elasticnet", "test_logistic_cv_mock_scorer",
            "test_multinomial_cv_iris", "test_logistic_cv_folds_with_classes_missing", "test_logistic_cv_sparse",
            "test_logistic_regressioncv_class_weights", "test_logistic_regression_sample_weights[*-cv]",
            "test_logistic_regression_cv_refit", "test_LogisticRegressionCV_GridSearchCV_elastic_net",
            "test_LogisticRegressionCV_no_refit", "test_LogisticRegressionCV_elasticnet_attribute_shapes",
            "test_LogisticRegressionCV_on_folds", "test_scores_attribute_layout_elasticnet",
            "test_lr_cv_scores_differ_when_sample_weight_is_requested",
            "test_lr_cv_scores_without_enabling_metadata_routing", "test_passing_params_without_enabling_metadata_routing",
            "test_penalty_deprecated[LogisticRegressionCV]", "test_logisticregressioncv_warns_with_use_legacy_attributes",
            "test_lr_scoring_warns", "test_get_default_scorer",
        )),
        *((t, SK_PRIVATE) for t in ("test_logistic_regression_path_convergence_fail",
                                 "test_logistic_regression_path_coefs_multinomial",
                                 "test_logistic_regression_path_init_coefs", "test_logreg_predict_proba_multinomial")),
        ("test_logistic_cv_multinomial_score", GET_PARAMS),
        *((t, CALLBACKS) for t in ("test_logistic_regression_callback_support",
                                   "test_logistic_regression_callback_fitted_estimator",
                                   "test_logistic_regression_callback_support_warning")),
        *((t, ARRAY_API) for t in ("test_logistic_regression_array_api_compliance",
                                   "test_logistic_regression_array_api_warm_start")),
        # scikit-learn's test skips itself for these before fitting anything
        *((f"test_max_iter[newton-cholesky-*-max_iter{i}]", NOTHING) for i in (1, 2, 3)),
    ],
    "test_sklearn_linear_base.py": [
        *((t, SPARSE) for t in (
            "test_linear_regression_sample_weights[*csr*]", "test_raises_value_error_if_positive_and_sparse",
            "test_linear_regression_sparse", "test_linear_regression_sparse_equal_dense",
            "test_linear_regression_sparse_multiple_outcome", "test_inplace_data_preprocessing[*cs*]",
            "test_linear_regression_sample_weight_consistency[*csr*]")),
        ("test_inplace_data_preprocessing[*None]", COPY_X),
        *((t, SK_LINEAR_PRIVATE) for t in (
            "test_preprocess_data", "test_preprocess_data_multioutput", "test_preprocess_data_weighted",
            "test_sparse_preprocess_data_offsets", "test_csr_preprocess_data", "test_preprocess_copy_data_no_checks",
            "test_dtype_preprocess_data", "test_preprocess_data_integer_array_api_on_float32_only_device",
            "test_rescale_data", "test_fused_types_make_dataset")),
        ("test_array_api_move_estimator_to", SK_ARRAY_API),
        ("test_predict_proba_lr_large_values", SK_OTHER),
    ],
    "test_sklearn_pca.py": [
        *((t, SPARSE) for t in ("test_pca_sparse", "test_pca_sparse_fit_transform", "test_sparse_pca_solver_error",
                                "test_sparse_pca_auto_arpack_singular_values_consistency")),
        *((t, SK_ARRAY_API) for t in ("test_pca_array_api_compliance", "test_pca_mle_array_api_compliance",
                                      "test_array_api_error_and_warnings_on_unsupported_params")),
    ],
}


DASK_CALL = "dask: each call builds and computes a graph (10-200 ms), and these loops make hundreds of calls"
DASK_SKLEARN = ("dask: scikit-learn's test modules of LinearRegression and PCA fit hundreds of small models, each "
                "a few Dask graphs (minutes in all); tests/test_linear_regression.py and tests/test_pca.py check the "
                "Dask fits, chunked by rows, against scikit-learn's")
DASK_GD = ("dask: gradient descent computes once per step, up to max_iter=1000 steps a fit "
           "(a single check: minutes)")

BUDGET: dict[str, list[tuple[str, tuple[str, ...], str]]] = {
    "test_numpy_linalg.py": [
        # TestNormDouble runs on dask; these repeat its loops for float32 and int64
        ("TestNormSingle", ("dask",), DASK_CALL),
        ("TestNormInt64", ("dask",), DASK_CALL),
    ],
    "test_sklearn_checks.py": [
        ("test_estimator_checks[LinearRegression(solver='gd')-*]", ("dask",), DASK_GD),
    ],
    # the whole modules on dask (every test of each, by name)
    "test_sklearn_linear_base.py": [(t, ("dask",), DASK_SKLEARN) for t in (
        "test_linear_regression", "test_linear_regression_vs_lstsq", "test_linear_regression_sample_weights",
        "test_raises_value_error_if_sample_weights_greater_than_1d", "test_fit_intercept",
        "test_linear_regression_multiple_outcome", "test_linear_regression_positive",
        "test_linear_regression_positive_multiple_outcome", "test_linear_regression_positive_vs_nonpositive",
        "test_linear_regression_positive_vs_nonpositive_when_positive", "test_linear_regression_sample_weight_consistency")],
    "test_sklearn_pca.py": [(t, ("dask",), DASK_SKLEARN) for t in (
        "test_pca", "test_no_empty_slice_warning", "test_whitening", "test_pca_solver_equivalence",
        "test_pca_explained_variance_empirical", "test_pca_singular_values_consistency", "test_pca_singular_values",
        "test_pca_check_projection", "test_pca_check_projection_list", "test_pca_inverse", "test_pca_validation",
        "test_n_components_none", "test_n_components_mle", "test_n_components_mle_error", "test_pca_dim",
        "test_infer_dim_1", "test_infer_dim_2", "test_infer_dim_3", "test_infer_dim_by_explained_variance",
        "test_pca_score", "test_pca_score3", "test_pca_sanity_noise_variance", "test_pca_score_consistency_solvers",
        "test_pca_zero_noise_variance_edge_cases", "test_pca_svd_solver_auto", "test_pca_deterministic_output",
        "test_pca_dtype_preservation", "test_pca_n_components_mostly_explained_variance_ratio",
        "test_assess_dimension_bad_rank", "test_small_eigenvalues_mle", "test_mle_redundant_data",
        "test_fit_mle_too_few_samples", "test_mle_simple_case", "test_assess_dimension_rank_one",
        "test_pca_randomized_svd_n_oversamples", "test_feature_names_out", "test_variance_correctness")],
}


NUMBA_ULP = ("numba: var/std without mean= run the one-read kernel, with mean= NumPy's two-pass code; the test "
             "wants the two bit for bit, and they differ in the last bit (1 ulp)")

#: Run, and expected to fail on the backends named (xfail, not strict): what a backend computes
#: differently from NumPy by design, to the last bit.
KNOWN: dict[str, list[tuple[str, tuple[str, ...], str]]] = {
    "test_numpy_numeric.py": [
        ("TestNonarrayArgs::test_std_with_mean_keyword_keepdims_false", ("numba",), NUMBA_ULP),
        ("TestNonarrayArgs::test_var_with_mean_keyword_keepdims_false", ("numba",), NUMBA_ULP),
    ],
}
