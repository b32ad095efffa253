"""How scripts/lighthouse.py reads a run's trace and sums up its runs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("lighthouse_script", ROOT / "scripts" / "lighthouse.py")
lighthouse = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lighthouse)

NAVIGATION = 1_000_000
FIRST_PAINT = NAVIGATION + 1_250_000  # trace clock, microseconds


def decision(ms_after_navigation: float, reason: str) -> dict:
    return {"name": "SendBeginFrameDecision", "ts": NAVIGATION + ms_after_navigation * 1000, "args": {"reason": reason, "should_send": reason.startswith("Send")}}


def held(*events: dict) -> int:
    return lighthouse.first_frame_held_back_ms({"traceEvents": list(events)}, NAVIGATION, FIRST_PAINT)


def test_frames_throttled_before_the_first_paint_held_it_back_from_the_first_throttled_one():
    assert held(decision(100, "SendDefault"), decision(240, "ThrottleUndrawnFrames"), decision(300, "ThrottleUndrawnFrames")) == 1010


def test_a_run_whose_frames_were_offered_is_not_held_back():
    assert held(decision(100, "SendDefault"), decision(200, "SendFrameTiming")) == 0


def test_throttling_outside_the_load_is_not_counted():
    assert held(decision(-50, "ThrottleUndrawnFrames"), decision(1300, "ThrottleUndrawnFrames"), decision(4000, "ThrottleUndrawnFrames")) == 0


def test_held_back_runs_are_counted_and_stay_in_the_median():
    def run(performance: int, held_back_ms: int) -> dict:
        return {"performance": performance, "total-blocking-time-ms": 200 - performance, "first-frame-held-back-ms": held_back_ms}

    summary = lighthouse.median_scores([run(99, 0), run(85, 1010), run(90, 1012), run(97, 0)])
    assert summary["performance"] == 93.5  # (90 + 97) / 2: the held-back runs 85 and 90 count
    assert summary["total-blocking-time-ms"] == 106.5
    assert summary["performance-runs"] == [99, 85, 90, 97]
    assert summary["first-frame-held-back-ms-runs"] == [0, 1010, 1012, 0]
    assert summary["runs-held-back"] == 2
