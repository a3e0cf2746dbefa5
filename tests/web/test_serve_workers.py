"""`autosafety serve --workers N`: several processes on one port with PostgreSQL serving one
campaign's raters (and scenarios), each process with its share of the CPUs for analyses; refused
on SQLite (exit 2, no traceback)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from _serve import Served
from autosafety.campaign import CampaignStore, campaign_cells
from autosafety.cli import main
from autosafety.model import load_model


def test_several_workers_on_sqlite_exit_2(capsys, tmp_path):
    try:
        main(["serve", "--workers", "2", "--port", "1", "--db", f"sqlite:///{tmp_path / 's.db'}"])
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    err = capsys.readouterr().err
    assert code == 2 and "--workers" in err and "postgresql+psycopg://" in err
    assert "Traceback" not in err and not (tmp_path / "s.db").exists()


def _socket_owners(pids: list[int], port: int) -> dict[int, int]:
    """Established TCP connections to ``port`` held by each process."""
    owner = {}
    for pid in pids:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("socket:["):
                owner[int(link[8:-1])] = pid
    counts = dict.fromkeys(pids, 0)
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "01" and int(fields[9]) in owner:
            counts[owner[int(fields[9])]] += 1
    return counts


def test_two_workers_on_postgresql_both_answer(postgres, free_port, tmp_path):
    url = postgres.create_database("workers")
    model = load_model("wehner-2026")
    (area, factor), = campaign_cells(model, ["interpretability:task_length"])
    store = CampaignStore(url)
    made = store.create(model, name="big", model_ref="wehner-2026", cells=[(area, factor)],
                        raters=[None] * 200)
    store.close()
    served = Served(free_port, "--workers", "2", "--db", url, log=tmp_path / "serve.log")
    clients: list[httpx.Client] = []
    try:
        served.wait_up()
        workers = [p for p in served.children()
                   if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]
        assert len(workers) == 2
        for pid in workers:  # each process gets its share of the CPUs for analyses
            env = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            slots = max(1, (os.cpu_count() or 1) // 2)
            assert f"AUTOSAFETY_SERVE_ANALYSIS_SLOTS={slots}".encode() in env

        spec = model.spec.model_dump(mode="json")

        def save(k: int) -> tuple[int, ...]:
            """Rater k saves twice (versions 1 and 2) and a scenario, on one keep-alive connection."""
            client = httpx.Client(base_url=served.url, timeout=30,
                                  headers={"Authorization": f"Bearer {made.raters[k].token}"})
            clients.append(client)
            answers = [client.put(f"/api/rater/answers/{area}/{factor}", json={
                "value": 5.0 + version, "low": None, "high": None, "rationale": "", "not_my_area": False,
                "version": version}) for version in (0, 1)]
            saved = client.post("/api/scenarios", json={"name": f"s{k}", "model": spec})
            return (*(a.status_code for a in answers), saved.status_code)

        # keep-alive connections, 10 at a time, until both processes hold some (at most 200)
        statuses = []
        with ThreadPoolExecutor(10) as pool:
            while len(clients) < 200:
                statuses += pool.map(save, range(len(clients), len(clients) + 10))
                owners = _socket_owners(workers, free_port)
                if all(owners.values()):
                    break
        assert set(statuses) == {(200, 200, 201)}
        assert all(owners.values()), owners
        assert sum(owners.values()) == len(clients)
        names = {s["name"] for s in httpx.get(f"{served.url}/api/scenarios", timeout=30).json()}
        assert names == {f"s{k}" for k in range(len(clients))}
        store = CampaignStore(url)
        stored = {a.rater: (a.version, a.answer.value) for a in store.answers(made.id)}
        store.close()
        assert stored == {made.raters[k].pseudonym: (2, 6.0) for k in range(len(clients))}
    finally:
        for c in clients:
            c.close()
        served.stop()
    assert served.process.returncode == 0
