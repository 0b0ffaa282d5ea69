"""The crowd benchmark's arithmetic and report (benchmarks.crowd), without a server or a clock.

Percentiles and throughput of a phase, the fan-minute arithmetic, the calls too rare for a
run, the arrival spread, the container's gunicorn settings, and the table and PASS/FAIL
lines ``make bench`` prints. One end-to-end run of a tiny crowd checks what no arithmetic
can: that the gunicorn workers share the fans' sessions and cached data.
"""

from __future__ import annotations

import json
import math
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from benchmarks import concurrency, crowd
from benchmarks.concurrency import with_key_prefix
from benchmarks.crowd import CrowdResult, Phase, View
from benchmarks.crowd_fans import Recorder, browser
from benchmarks.measure import BROWSER_ACCEPT_ENCODING
from loadtest.stack import free_port

REPO = Path(__file__).resolve().parents[2]


def views(*seconds: float, status: int | str = 200, start: float = 0.0) -> list[View]:
    return [View("dashboard", status, value, start + n) for n, value in enumerate(seconds)]


def a_phase(
    *,
    fans: int = 50,
    seconds: float = 30.0,
    latencies: tuple[float, ...] = (0.01,) * 20,
    calls: int = 100,
    name: str = "steady",
    endpoints: dict[str, int] | None = None,
) -> Phase:
    return Phase(name, fans, seconds, tuple(views(*latencies)), calls, 0.2, {}, endpoints or {})


def a_result(**changes: object) -> CrowdResult:
    fields: dict[str, object] = {
        "workers": 2,
        "threads": 4,
        "latency_ms": 50.0,
        "quests": 30,
        "rewards": 12,
        "think": (5.0, 10.0),
        "cache": "redis://127.0.0.1:6379/12",
        "render": (8.0, 10.0, 12.0),
        "render_calls": 0,
        "arrival": a_phase(name="arriving", calls=250, seconds=34.0),
        "steady": (a_phase(fans=50, seconds=30.0, calls=120), a_phase(fans=10, seconds=12.0)),
        "unseen": {"FAN_TAGS_CACHE_TTL": 0.2, "SESSION_CHECK_INTERVAL": 0.2},
        "intervals": {"FAN_TAGS_CACHE_TTL": 300, "SESSION_CHECK_INTERVAL": 300},
        "tracebacks": 0,
        "seconds": 88.0,
        "log": {},
    }
    fields.update(changes)
    return CrowdResult(**fields)  # type: ignore[arg-type]


# --- A phase's figures --------------------------------------------------------------------------


def test_a_phase_keeps_the_views_that_started_within_it():
    every = views(0.1, 0.2, 0.3, 0.4, start=9.0)  # started at 9, 10, 11 and 12 s
    item = crowd.phase(
        "steady", fans=2, views=every, start=10.0, end=12.0, calls=3, cpu_seconds=0.05
    )
    assert [view.started for view in item.views] == [10.0, 11.0]
    assert item.seconds == 2.0
    assert item.throughput == 1.0
    assert item.cpu_ms_per_page == 25.0


def test_p50_is_the_median_and_p95_the_nearest_rank():
    item = a_phase(latencies=tuple(n / 1000 for n in range(1, 21)))  # 1..20 ms
    assert item.p50() == pytest.approx(10.5)
    assert item.p95() == pytest.approx(19.0)


def test_a_phase_without_views_has_no_latency_rather_than_zero():
    item = a_phase(latencies=())
    assert math.isnan(item.p50())
    assert math.isnan(item.p95())
    assert math.isnan(item.cpu_ms_per_page)


def test_errors_are_every_view_that_was_not_a_page():
    item = Phase(
        "steady",
        3,
        10.0,
        (
            View("dashboard", 200, 0.1, 0),
            View("wallet", 302, 0.1, 1),  # sent to log in: the session was not found
            View("quests", 500, 0.1, 2),
            View("quests", "no answer", 0.1, 3),
        ),
        4,
        0.1,
    )
    assert item.errors == 3


# --- Fan-minutes ----------------------------------------------------------------------------


def test_fan_minutes_and_calls_per_fan_minute():
    assert crowd.fan_minutes(50, 24) == 20.0
    assert crowd.per_fan_minute(100, 20.0) == 5.0
    assert math.isnan(crowd.per_fan_minute(3, 0.0))
    item = a_phase(fans=10, seconds=30.0, calls=25)
    assert item.fan_minutes == 5.0
    assert item.calls_per_fan_minute == 5.0


def test_pages_per_minute_of_a_fan_reading_five_to_ten_seconds():
    assert crowd.pages_per_minute((5.0, 10.0)) == 8.0
    assert crowd.pages_per_minute((5.0, 10.0), page_seconds=0.5) == pytest.approx(60 / 8)


def test_calls_rarer_than_the_run_are_added_once_per_interval():
    added = crowd.unseen_calls_per_minute(
        {"FAN_TAGS_CACHE_TTL": 300, "SESSION_CHECK_INTERVAL": 600, "NEVER": None, "SEEN": 30},
        observed_seconds=88.0,
    )
    assert added == {"FAN_TAGS_CACHE_TTL": 0.2, "SESSION_CHECK_INTERVAL": 0.1}


def test_arrival_spread_is_the_ttl_plus_the_mean_wait_for_the_next_page():
    # A fixed pause p: the next page comes p/2 after any moment, on average.
    assert crowd.arrival_spread(30, (6.0, 6.0)) == pytest.approx(33.0)
    # Uniform 5-10 s: E[X²]/2E[X] = (25 + 50 + 100) / 3 / 15.
    assert crowd.arrival_spread(30, (5.0, 10.0)) == pytest.approx(30 + 175 / 45)
    assert crowd.arrival_spread(30, (0.0, 0.0)) == 30


def test_steady_figure_pools_the_phases_by_fan_minute_and_adds_the_rarer_calls():
    result = a_result(
        steady=(
            a_phase(fans=50, seconds=36.0, calls=150),  # 30 fan-minutes
            a_phase(fans=1, seconds=6.0, calls=5),  # 0.1 fan-minute: 50 a minute alone
        )
    )
    assert result.seen_calls_per_fan_minute() == pytest.approx(155 / 30.1)
    assert result.calls_per_fan_minute() == pytest.approx(155 / 30.1 + 0.4)
    assert result.calls_per_login() == 5.0


# --- The container's settings and the crowd's plan --------------------------------------------


def test_gunicorn_settings_are_read_from_the_dockerfile():
    assert crowd.gunicorn_settings((REPO / "Dockerfile").read_text()) == (2, 4)
    assert crowd.gunicorn_settings("ENV GUNICORN_THREADS=8 \\\n GUNICORN_WORKERS=3") == (3, 8)
    with pytest.raises(ValueError, match="GUNICORN_THREADS"):
        crowd.gunicorn_settings("ENV GUNICORN_WORKERS=2")


def test_phases_run_from_the_largest_crowd_down():
    assert crowd.phase_plan((1, 10, 50), (8, 10, 34)) == [(50, 34), (10, 10), (1, 8)]
    with pytest.raises(ValueError):
        crowd.phase_plan((1, 10), (8,))
    with pytest.raises(ValueError):
        crowd.phase_plan((0,), (8,))


def test_the_run_s_key_prefix_is_added_once():
    assert with_key_prefix("redis://h:6379/12", "crowd-1") == "redis://h:6379/12?key_prefix=crowd-1"
    assert (
        with_key_prefix("redis://h:6379/12?ssl_cert_reqs=none", "crowd-1")
        == "redis://h:6379/12?ssl_cert_reqs=none&key_prefix=crowd-1"
    )
    assert (
        with_key_prefix("redis://h/1?KEY_PREFIX=mine", "crowd-1") == "redis://h/1?KEY_PREFIX=mine"
    )


def test_log_problems_counts_warning_and_error_lines_without_their_time():
    log = (
        "[2026-12-06 10:00:00 +0000] [7] [INFO] Booting worker with pid: 7\n"
        "2026-12-06 10:00:01,123 WARNING accounts.cache_backend cache unavailable: get Timeout\n"
        "2026-12-06 10:00:02,456 WARNING accounts.cache_backend cache unavailable: get Timeout\n"
        "2026-12-06 10:00:03,789 ERROR django.request Internal Server Error: /portal/\n"
        "2026-12-06 10:00:04,000 INFO accounts.requests GET /portal/ 200\n"
    )
    assert crowd.log_problems(log) == {
        "WARNING accounts.cache_backend cache unavailable: get Timeout": 2,
        "ERROR django.request Internal Server Error: /portal/": 1,
    }


# --- The report -------------------------------------------------------------------------------


def test_p95_target_is_three_times_latency_plus_render_at_the_largest_crowd():
    # Render p50 10 ms: the limit is 3 x (50 + 10) = 180 ms.
    at_limit = a_result(steady=(a_phase(latencies=(0.180,) * 20), a_phase(fans=10)))
    over = a_result(steady=(a_phase(latencies=(0.181,) * 20), a_phase(fans=10)))
    p95_at, *_ = crowd.crowd_verdicts(at_limit)
    p95_over, *_ = crowd.crowd_verdicts(over)
    assert p95_at.passed and p95_at.scope == "crowd of 50"
    assert p95_at.measured == "180.0 ms ≤ 180.0 (1.00x)"
    assert not p95_over.passed


def test_calls_target_is_six_per_active_fan_minute_rarer_calls_included():
    # 50 fans for 30 s: 25 fan-minutes.
    def result(calls: int) -> CrowdResult:
        return a_result(steady=(a_phase(fans=50, seconds=30.0, calls=calls),), unseen={"TAGS": 0.4})

    _, within, _ = crowd.crowd_verdicts(result(140))  # 5.6 + 0.4 = 6.0
    _, over, _ = crowd.crowd_verdicts(result(141))
    assert within.passed
    assert within.measured == "6.00 (seen 5.60 + rarer 0.40)"
    assert not over.passed


def test_errors_tracebacks_and_error_lines_fail_the_crowd_but_warnings_do_not():
    *_, clean = crowd.crowd_verdicts(a_result(log={"WARNING x cache unavailable": 3}))
    assert clean.passed
    assert clean.measured == "60 pages, no error"  # three phases of 20
    failing = a_result(
        steady=(
            Phase("steady", 50, 30.0, tuple(views(0.01, status=302)), 100, 0.1, {"401 refused": 2}),
        ),
        tracebacks=1,
        log={"ERROR django.request Internal Server Error: /portal/": 1},
    )
    *_, broken = crowd.crowd_verdicts(failing)
    assert not broken.passed
    assert broken.measured == (
        "1 errors; API refused or unknown: 401 refused; 1 tracebacks in the server log; "
        "1 ERROR lines in the server log"
    )


def test_table_prints_every_phase_and_how_the_fan_minute_figure_is_made():
    table = crowd.crowd_table(a_result())
    lines = table.splitlines()
    assert "gunicorn 2 workers x 4 threads (the container's), stand-in 50 ms" in lines[1]
    assert "5-10 s pause (~8 pages a minute)" in table
    assert "Render (a page with no API call, through gunicorn): p50 10.0 ms over 3 views" in table
    rows = [line.split() for line in lines if line.startswith(("arriving ", "steady "))]
    assert [row[:2] for row in rows] == [["arriving", "50"], ["steady", "50"], ["steady", "10"]]
    # steady 50 fans, 30 s, 20 views, 0.67 pages/s, 10 ms; 120 calls over 25 fan-minutes.
    assert rows[1] == [
        "steady",
        "50",
        "30",
        "20",
        "0.67",
        "10.0",
        "10.0",
        "0",
        "10.0",
        "120",
        "25.0",
        "4.8",
    ]
    assert rows[0][-2:] == ["-", "-"]  # arriving: counted per login instead
    assert "Per login: 5.0 API calls." in table
    # (120 + 100) calls over (25 + 2) fan-minutes, plus two rarer calls every 300 s.
    assert (
        "Per active fan-minute: 8.15 seen in the steady phases + 0.2 fan record (tags) "
        "(every 300 s) + 0.2 session check (every 300 s), too rare for this run = 8.55."
    ) in table
    assert "NOTE" not in table


def test_table_says_when_the_shared_cache_lost_the_catalogue_mid_run():
    refilled = a_result(steady=(a_phase(endpoints={"businesses": 2, "quests": 2}),))
    assert "the business list was fetched 2 times in the steady phases" in crowd.crowd_table(
        refilled
    )


# --- The crowd's browser ----------------------------------------------------------------------


class _EchoHeaders(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps(dict(self.headers)).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


def test_a_crowd_fan_sends_its_session_cookie_and_asks_for_gzip_as_chromium_does():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoHeaders)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        record = Recorder()
        fan = browser(server.server_address[1], cookie="sessionid", session="abc", record=record)
        status, _, body = fan.request("dashboard", "GET", "/portal/")
        fan.close()
    finally:
        server.shutdown()
        server.server_close()
    sent = json.loads(body)
    assert status == 200
    assert sent["Accept-Encoding"] == BROWSER_ACCEPT_ENCODING
    assert sent["Cookie"] == "sessionid=abc"
    assert sent["Host"] == "127.0.0.1"
    assert [(view.page, view.status) for view in record.snapshot()] == [("dashboard", 200)]


def test_without_redis_the_crowd_shares_a_file_cache_in_its_directory(tmp_path, monkeypatch):
    monkeypatch.setattr(concurrency, "REDIS_PORT", free_port())  # nothing listens there
    with concurrency.shared_cache(tmp_path, None) as (url, shown):
        assert url.startswith(f"filecache://{tmp_path / 'cache'}?key_prefix=crowd-")
        assert shown == f"filecache://{tmp_path / 'cache'}"


def test_a_given_cache_url_is_shown_without_its_password(tmp_path):
    with concurrency.shared_cache(tmp_path, "locmemcache://user:hunter2@crowd") as (url, shown):
        assert url.startswith("locmemcache://user:hunter2@crowd?key_prefix=crowd-")
        assert "hunter2" not in shown
