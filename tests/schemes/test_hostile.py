"""Issue 15 for schemes and safety cases: alias bombs, duplicate keys, cases that grow quadratically."""

from __future__ import annotations

import itertools

import yaml

from autosafety.schemes import example_text

LAUGHS = ("{a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol], b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], "
          "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b], d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c], "
          "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d], f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e], "
          "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f], h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]}")


def bomb_scheme() -> str:
    """A valid scheme whose first experiment's free-form parameters hold an alias tree."""
    lines = example_text("ai-explores-oversight").splitlines()
    data = yaml.safe_load("\n".join(lines))
    data["evaluation"]["experiments"][0]["parameters"] = {"p": "BOMB"}
    return yaml.safe_dump(data, sort_keys=False).replace("p: BOMB", "p: " + LAUGHS)


def test_an_alias_bomb_in_experiment_parameters_is_refused(cli, write_yaml):
    text = bomb_scheme()
    assert len(text) < 5000
    run = cli("scheme", "assess", write_yaml(text), "--format", "json")
    assert run.code == 2 and run.out == "" and "Traceback" not in run.err
    assert "aliases expand this document past" in run.err and ": line " in run.err


def test_the_alias_bomb_through_the_api_is_422_and_the_server_answers_after(client):
    for _ in range(3):
        r = client.post("/api/schemes/assess", json={"yaml": bomb_scheme()})
        assert r.status_code == 422
        assert "aliases expand" in r.json()["problems"][0]["message"]
    ok = client.post("/api/schemes/assess", json={"yaml": example_text("deference")})
    assert ok.status_code == 200 and ok.json()["level"] >= 1


def test_oversized_parameters_sent_as_data_are_refused_with_the_field(client):
    data = yaml.safe_load(example_text("ai-explores-oversight"))
    data["evaluation"]["experiments"][0]["parameters"] = {"blob": ["x" * 1000] * 200}
    r = client.post("/api/schemes/assess", json={"scheme": data})
    assert r.status_code == 422
    p = r.json()["problems"][0]
    assert "evaluation.experiments[0].parameters" in p["location"]
    assert "100,000" in p["message"]


def test_duplicate_keys_in_a_scheme_and_a_case(cli, write_yaml):
    text = example_text("deference").replace("name:", "name: first\nname:", 1)
    run = cli("scheme", "assess", write_yaml(text))
    assert run.code == 2 and "duplicate key 'name'" in run.err and "column 1: duplicate" in run.err
    case = "G1:\n  text: root\n  undeveloped: true\n  text: again\n"
    run = cli("scheme", "validate", write_yaml(case, "case.gsn.yaml"))
    assert run.code == 2 and "line 4 column 3: duplicate key 'text'" in run.err
    json_text = '{"name": "a", "name": "b"}'
    path = write_yaml(json_text, "s.json")
    run = cli("scheme", "assess", path)
    assert run.code == 2 and "name" in run.err and "duplicate key" in run.err


def chain_to_root(n: int) -> str:
    lines = []
    for i in range(1, n + 1):
        refs = [f"G{i + 1}"] if i < n else ["Sn1"]
        if i > 1:
            refs.append("G1")  # every goal points back to the root
        lines.append(f"G{i}:\n  text: goal {i}\n  supportedBy: [{', '.join(refs)}]")
    lines.append("Sn1:\n  text: evidence")
    return "\n".join(lines) + "\n"


def test_a_10000_goal_chain_pointing_back_to_the_root_is_refused_quickly(cli, write_yaml):
    path = write_yaml(chain_to_root(10_000), "case.gsn.yaml")
    run = cli("scheme", "validate", path)
    assert run.code == 2 and "Traceback" not in run.err
    # every goal is referenced: gsn2x stops at C01 before looking for cycles
    assert "C01: There are no unreferenced elements found." in run.err
    assert len(run.err) < 5_000


def test_a_long_cycle_under_a_root_is_reported_once_quickly(cli, write_yaml):
    n = 10_000
    lines = [f"G{i}:\n  text: goal {i}\n  supportedBy: [G{i + 1}]" for i in range(n)]
    lines.append(f"G{n}:\n  text: last\n  supportedBy: [Sn1, G5000]\nSn1:\n  text: evidence")
    run = cli("scheme", "validate", write_yaml("\n".join(lines) + "\n", "case.gsn.yaml"))
    assert run.code == 2
    cycles = [line for line in run.err.splitlines() if "C04" in line]
    assert len(cycles) == 1 and f"C04: Cycle detected at element G{n}. Cycle is G5000 -> G5001" in cycles[0]


def test_the_cycle_report_names_a_real_cycle_of_the_group():
    from autosafety.schemes._gsn import case_from_data, validate

    data = yaml.safe_load("G1: {text: a, supportedBy: [G2]}\nG2: {text: b, supportedBy: [G3]}\n"
                          "G3: {text: c, supportedBy: [G4]}\nG4: {text: d, supportedBy: [G2, Sn1]}\n"
                          "Sn1: {text: e}\n")
    case, _ = case_from_data(data)
    c04 = [v for v in validate(case) if v.rule == "C04"]
    assert len(c04) == 1
    path = c04[0].message.split("Cycle is ", 1)[1].rstrip(".").split(" -> ")
    assert path[0] == path[-1]
    for a, b in itertools.pairwise(path):  # every step is a real supportedBy link
        assert b in case.nodes[a].supported_by


def test_one_anchored_list_reused_by_3000_goals_is_refused_quickly(cli, write_yaml):
    n = 3000
    ids = ", ".join(f"Sn{i}" for i in range(n))
    lines = [f"G0:\n  text: root\n  supportedBy: &all [{ids}]"]
    lines += [f"G{i}:\n  text: g\n  supportedBy: *all" for i in range(1, n)]
    lines += [f"Sn{i}:\n  text: e" for i in range(n)]
    run = cli("scheme", "validate", write_yaml("\n".join(lines) + "\n", "case.gsn.yaml"))
    assert run.code == 2 and "aliases expand this document past" in run.err


def test_a_large_valid_case_validates_in_linear_time(cli, write_yaml):
    n = 20_000
    lines = [f"G{i}:\n  text: goal {i}\n  supportedBy: [G{i + 1}]" for i in range(n)]
    lines.append(f"G{n}:\n  text: last\n  undeveloped: true")
    run = cli("scheme", "validate", write_yaml("\n".join(lines) + "\n", "case.gsn.yaml"))
    assert run.code == 0, run.err[:500]
    assert f"{n + 1} elements" in run.out
