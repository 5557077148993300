"""`yishi bench` keeps working: a small run against real server processes, checked for integrity.

Timings are not asserted here (the machine running the tests is shared and noisy); the targets
are checked by the benchmark itself and recorded in docs/performance.md.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from live import cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "performance.md"
BENCH_WAIT_BUDGET_S = "120"  # `yishi bench --timeout`: any one wait of the run; generous for busy CPUs


def test_a_small_hall_votes_and_no_ballot_is_lost_nor_any_tally_seen_going_backwards(capsys):
    code = cli.main(["bench", "--phones", "50", "--burst", "0.5", "--baseline", "--json", "--timeout", BENCH_WAIT_BUDGET_S])
    result = json.loads(capsys.readouterr().out)

    assert result["phones"] == result["joined"] == 50
    assert result["acked_ballots"] == result["recorded_ballots"] == 50
    assert result["lost_ballots"] == 0
    assert result["tally_went_backwards"] == 0
    assert result["final_tally"] == [50] and result["tally_equals_voters"]
    assert result["phones_without_final"] == 0
    assert result["baseline"]["acked_ballots"] == 50 and result["baseline_ratio"] > 0
    assert code == 0


def test_every_field_of_the_json_output_is_documented(capsys):
    cli.main(["bench", "--phones", "5", "--burst", "0.2", "--json", "--timeout", BENCH_WAIT_BUDGET_S])
    result = json.loads(capsys.readouterr().out)
    documented = set(re.findall(r"^\| `(\w+)`", DOC.read_text(), flags=re.M))
    fields = set(result) | {"baseline", "baseline_msgs_per_s", "baseline_ratio", "soak"}
    assert fields - documented == set(), "document these in docs/performance.md"
    required = {"phones", "join_per_s", "vote_ack_ms", "vote_seen_ms", "final_after_last_vote_s", "acked_ballots",
                "recorded_ballots", "lost_ballots", "tally_went_backwards", "server_cpu_s", "rss_kb_per_phone", "msgs_per_s"}
    assert required <= set(result)


def test_two_server_processes_on_postgresql_and_redis_lose_nothing(capsys):
    """The scale-out path as `yishi bench --server-workers 2` runs it: 200 phones spread by the kernel
    over two `yishi serve` processes sharing PostgreSQL and Redis."""
    from support.servers import postgres, redis

    with postgres() as db, redis() as r:
        code = cli.main(["bench", "--phones", "200", "--burst", "1", "--json", "--timeout", BENCH_WAIT_BUDGET_S,
                         "--database", db, "--redis", r, "--server-workers", "2"])
    result = json.loads(capsys.readouterr().out)
    assert result["server_processes"] == 2
    assert result["joined"] == 200 and result["acked_ballots"] == result["recorded_ballots"] == 200
    assert result["lost_ballots"] == 0 and result["tally_went_backwards"] == 0
    assert result["tally_equals_voters"] and result["phones_without_final"] == 0
    assert code == 0


def test_several_server_processes_need_postgresql_and_redis(capsys, tmp_path):
    assert cli.main(["bench", "--phones", "5", "--server-workers", "2"]) == 2
    assert "--server-workers needs" in capsys.readouterr().err
    assert cli.main(["serve", "--workers", "2", "--data", str(tmp_path / "data")]) == 2
    assert "several server processes share PostgreSQL and Redis" in capsys.readouterr().err
