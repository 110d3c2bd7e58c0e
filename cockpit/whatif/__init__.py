"""The what-if driver model: baseline from the actuals, scenarios, goal seek, sensitivity."""

from cockpit.whatif.fit import Fit
from cockpit.whatif.goalseek import GoalSeekResult, goal_seek
from cockpit.whatif.model import (
    DRIVERS,
    OUTPUTS,
    Baseline,
    Driver,
    Output,
    OutputValue,
    Settings,
    baseline_from_history,
    build_baseline,
    parse_driver,
    run_scenario,
    scenario_report,
)
from cockpit.whatif.sensitivity import sensitivity

__all__ = [
    "DRIVERS", "OUTPUTS", "Baseline", "Driver", "Fit", "GoalSeekResult", "Output", "OutputValue",
    "Settings", "baseline_from_history", "build_baseline", "goal_seek", "parse_driver",
    "run_scenario", "scenario_report", "sensitivity",
]  # fmt: skip
