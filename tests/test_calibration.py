"""The shipped answer policy is what benchmarks/calibrate.py fits: anyone can reproduce it."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "bot" / "search" / "data" / "calibration.json"
REFIT_TOLERANCE = 0.05


def _calibrate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("calibrate", ROOT / "benchmarks" / "calibrate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["calibrate"] = module
    spec.loader.exec_module(module)
    return module


def test_the_shipped_policy_is_the_one_the_script_fits() -> None:
    calibrate = _calibrate()
    missing = [path for _, path in calibrate.TUNING_SETS if not path.exists()]
    if missing:
        pytest.skip(f"tuning sets not here: {', '.join(p.name for p in missing)}")
    model = calibrate.fit(calibrate.collect(calibrate.TUNING_SETS))
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    # Within what older library versions (rapidfuzz's ratios) may move; with the versions the
    # file was fitted with, the match is exact to the last digit.
    assert shipped["weights"] == pytest.approx(list(model.weights), abs=REFIT_TOLERANCE)
    assert shipped["bias"] == pytest.approx(model.bias, abs=REFIT_TOLERANCE)
    assert shipped["thresholds"]["answer"] == pytest.approx(model.answer, abs=REFIT_TOLERANCE)
    assert shipped["thresholds"]["suggest"] == pytest.approx(model.suggest, abs=REFIT_TOLERANCE)


def test_each_knowledge_base_weighs_the_same_in_the_fit() -> None:
    calibrate = _calibrate()
    samples = [
        calibrate.Sample("big", "a", None, "", (), False, None),
        calibrate.Sample("big", "a", None, "", (), False, None),
        calibrate.Sample("big", "a", None, "", (), False, None),
        calibrate.Sample("small", "b", None, "", (), False, None),
    ]
    weights = calibrate.knowledge_weights(samples)
    assert weights["big"] * 3 == pytest.approx(weights["small"] * 1)
